import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PeerjsClientMessageSchema } from '@rendezvous/protocol';
import { HOSTILE_VALUES, mutationsOf, withValue, type Json } from '../../protocol/src/hostile-input.test-util.js';
import { checkPeerjsMessage } from './fast-message.js';
import { parseClientMessage } from './messages.js';

const DST = 'peer-B_2';
const OFFER_SDP = { type: 'offer', sdp: 'v=0\r\n' };
const BASES: Json[] = [
  { type: 'HEARTBEAT' },
  {
    type: 'OFFER',
    dst: DST,
    payload: { sdp: OFFER_SDP, type: 'media', connectionId: 'mc_1', browser: 'chrome', metadata: { a: [1, 'x'] } },
  },
  {
    type: 'OFFER',
    dst: DST,
    payload: { label: 'dc_1', sdp: OFFER_SDP, reliable: true, type: 'data', serialization: 'binary', connectionId: 'dc_1' },
  },
  {
    type: 'ANSWER',
    dst: DST,
    payload: { sdp: { type: 'answer', sdp: '' }, type: 'media', connectionId: 'mc_1', browser: 'firefox' },
  },
  {
    type: 'CANDIDATE',
    dst: DST,
    payload: { candidate: { candidate: 'candidate:1 1 udp 1 1.2.3.4 5 typ host' }, type: 'data', connectionId: 'dc_1' },
  },
  {
    type: 'CANDIDATE',
    dst: DST,
    payload: {
      candidate: { candidate: '', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'Zq3v' },
      type: 'media',
      connectionId: 'mc_1',
    },
  },
  {
    type: 'CANDIDATE',
    dst: DST,
    payload: {
      candidate: { candidate: 'c', sdpMid: null, sdpMLineIndex: null, usernameFragment: null },
      type: 'media',
      connectionId: 'x',
    },
  },
];

/** The generic hostile values, and the words of the peerjs protocol. */
const HOSTILE: unknown[] = [...HOSTILE_VALUES, 'media', 'data', 'OFFER', 'LEAVE', 'HEARTBEAT'];

function* inputs(): Generator<unknown> {
  yield* HOSTILE;
  for (const base of BASES) {
    yield* mutationsOf(base, HOSTILE);
    for (const key of ['metadata', 'label', 'reliable', 'serialization']) {
      if (base['payload'] !== undefined) {
        for (const value of HOSTILE) {
          yield withValue(base, ['payload', key], value);
        }
      }
    }
  }
}

test('checkPeerjsMessage accepts exactly what the schema accepts for HEARTBEAT, OFFER, ANSWER and CANDIDATE, and returns the same message', () => {
  let accepted = 0;
  let checked = 0;
  for (const input of inputs()) {
    checked++;
    const schema = PeerjsClientMessageSchema.safeParse(input);
    const fast = checkPeerjsMessage(input);
    const label = JSON.stringify(input)?.slice(0, 160);
    const type = (input as Json | null)?.['type'];
    if (type === 'HEARTBEAT' || type === 'OFFER' || type === 'ANSWER' || type === 'CANDIDATE') {
      assert.equal(fast !== undefined, schema.success, `accepts differently: ${label}`);
    } else {
      assert.equal(fast, undefined, `other types go to the schema: ${label}`);
    }
    if (fast !== undefined && schema.success) {
      accepted++;
      assert.deepEqual(fast, schema.data, label);
      assert.equal(JSON.stringify(fast), JSON.stringify(schema.data), label);
    }
  }
  assert.ok(checked > 1_000 && accepted > 100, `${checked} inputs, ${accepted} accepted`);
});

test('a parsed frame is what the schema alone makes of it, valid or not', () => {
  const reference = (frame: string) => {
    const result = PeerjsClientMessageSchema.safeParse(JSON.parse(frame));
    return result.success ? result.data : undefined;
  };
  const frames = [...inputs()].map((input) => JSON.stringify(input)).filter((frame) => frame !== undefined);
  frames.push(
    `{"type":"CANDIDATE","dst":"${DST}","payload":{"candidate":{"candidate":""},"type":"data","connectionId":"c","__proto__":{"x":1}}}`,
    `{"type":"OFFER","dst":"${DST}","payload":{"__proto__":null,"sdp":{"type":"offer","sdp":""},"type":"data","connectionId":"c"}}`,
    `{"type":"ANSWER","dst":"${DST}","__proto__":{"payload":1},"payload":{"sdp":{"type":"answer","sdp":""},"type":"data","connectionId":"c"}}`,
    `{"type":"LEAVE","dst":"${DST}"}`,
    `{"type":"EXPIRE","dst":"${DST}","payload":{"a":1}}`,
    `{"type":"CANDIDATE","dst":"${DST}","payload":{"candidate":{"candidate":"","sdpMLineIndex":1e400},"type":"data","connectionId":"c"}}`,
  );
  for (const frame of frames) {
    const ours = parseClientMessage(frame);
    assert.deepEqual(ours, reference(frame), frame.slice(0, 160));
    assert.equal(JSON.stringify(ours), JSON.stringify(reference(frame)), frame.slice(0, 160));
  }
});
