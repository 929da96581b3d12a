import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseClientMessage, SignalSchema } from '@rendezvous/protocol';
import { HOSTILE_VALUES, mutationsOf, paths, withValue, type Json } from '../../protocol/src/hostile-input.test-util.js';
import { decodeFrame } from './frames.js';
import { checkSignal } from './signal-frame.js';

const TO = 'AbCdEfGh12345678';
const BASES: Json[] = [
  { type: 'signal', to: TO, data: { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } } },
  { type: 'signal', to: TO, data: { kind: 'description', description: { type: 'answer', sdp: '' } }, requestId: 'r1' },
  { type: 'signal', to: TO, data: { kind: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 1.2.3.4 5 typ host' } } },
  {
    type: 'signal',
    to: TO,
    data: { kind: 'candidate', candidate: { candidate: '', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'Zq3v' } },
  },
  {
    type: 'signal',
    to: TO,
    data: { kind: 'candidate', candidate: { candidate: 'c', sdpMid: null, sdpMLineIndex: null, usernameFragment: null } },
  },
  { type: 'signal', to: TO, data: { kind: 'reset' } },
];

/** The generic hostile values, and the words of the signal message. */
const HOSTILE: unknown[] = [
  ...HOSTILE_VALUES,
  'signal',
  'reset',
  'candidate',
  'description',
  'pranswer',
  'rollback',
  { kind: 'reset' },
];

function* inputs(): Generator<unknown> {
  yield* HOSTILE;
  for (const base of BASES) {
    yield* mutationsOf(base, HOSTILE);
    for (const key of ['sdpMid', 'sdpMLineIndex', 'usernameFragment', 'requestId']) {
      for (const value of HOSTILE) {
        const where = key === 'requestId' ? [key] : ['data', 'candidate', key];
        if (paths(base).some((p) => p.join('.') === where.slice(0, -1).join('.')) || where.length === 1) {
          yield withValue(base, where, value);
        }
      }
    }
  }
}

test('checkSignal accepts exactly what SignalSchema accepts, and returns the same message (keys and their order)', () => {
  let accepted = 0;
  let checked = 0;
  for (const input of inputs()) {
    checked++;
    const schema = SignalSchema.safeParse(input);
    const fast = checkSignal(input);
    const label = JSON.stringify(input)?.slice(0, 160);
    assert.equal(fast !== undefined, schema.success, `accepts differently: ${label}`);
    if (fast !== undefined && schema.success) {
      accepted++;
      assert.deepEqual(fast, schema.data, label);
      assert.equal(JSON.stringify(fast), JSON.stringify(schema.data), label);
    }
  }
  assert.ok(checked > 1_000 && accepted > 50, `${checked} inputs, ${accepted} accepted`);
});

test('a decoded frame is the same as the protocol parser makes it, valid or not, error wording included', () => {
  for (const input of inputs()) {
    const frame = JSON.stringify(input);
    if (frame === undefined) {
      continue;
    }
    const ours = decodeFrame(Buffer.from(frame), false, 1 << 20);
    const reference = parseClientMessage(frame);
    assert.deepEqual(ours, reference, frame.slice(0, 160));
  }
});

test('JSON with __proto__ keys and broken JSON after the signal prefix go the way the schema sends them', () => {
  for (const frame of [
    `{"type":"signal","to":"${TO}","data":{"kind":"reset"},"__proto__":{"requestId":5}}`,
    `{"type":"signal","to":"${TO}","data":{"__proto__":{"kind":"reset"}}}`,
    `{"type":"signal","to":"${TO}","data":{"kind":"description","description":{"type":"offer","sdp":"","__proto__":null}}}`,
    `{"type":"signal","to":"${TO}","data":{"kind":"reset"}`,
    `{"type":"signal"}`,
    `{"type":"signal","to":"${TO}","data":{"kind":"candidate","candidate":{"candidate":"","sdpMLineIndex":1e400}}}`,
  ]) {
    assert.deepEqual(decodeFrame(Buffer.from(frame), false, 1 << 20), parseClientMessage(frame), frame);
  }
});
