import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseClientMessage, SignalSchema } from '@rendezvous/protocol';
import { HOSTILE_VALUES, mutationsOf, paths, withValue, type Json } from '../../protocol/src/hostile-input.test-util.js';
import { decodeFrame } from './frames.js';
import { checkSignal, checkSignalText, RelayedSignal } from './signal-frame.js';

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

const FROM = 'Sender_-12345678';

/** checkSignalText's verdict on `frame`, held to the schema's: the same message, and a relayed text that parses to it. */
function checkText(frame: string): boolean {
  const raw = checkSignalText(frame);
  const reference = parseClientMessage(frame);
  const decoded = decodeFrame(Buffer.from(frame), false, 1 << 20);
  // Bad JSON differs only in the requestId decodeFrame salvages from it.
  assert.deepEqual(decoded.ok ? decoded : decoded.code, reference.ok ? reference : reference.code, frame.slice(0, 160));
  if (raw === undefined) {
    return false;
  }
  assert.ok(reference.ok, `accepted on its text, refused by the schema: ${frame.slice(0, 160)}`);
  assert.deepEqual(raw.plain(), reference.message, frame.slice(0, 160));
  const relayed = new RelayedSignal(FROM, raw);
  const expected = { type: 'signal', from: FROM, data: (reference.message as { data: unknown }).data };
  assert.deepEqual(JSON.parse(relayed.text), expected, frame.slice(0, 160));
  assert.deepEqual(relayed.message(), expected);
  return true;
}

test('checkSignalText accepts only what SignalSchema accepts, and relays the same data', () => {
  let accepted = 0;
  for (const input of inputs()) {
    const frame = JSON.stringify(input);
    if (frame !== undefined && checkText(frame)) {
      accepted++;
    }
  }
  assert.ok(accepted > 20, `${accepted} accepted on their text`);
});

test('a description whose sdp text is odd is relayed as the schema reads it, or left to the parser', () => {
  const head = `{"type":"signal","to":"${TO}","data":{"kind":"description","description":{"type":"offer","sdp":"`;
  const sdps = [
    '',
    'v=0\\r\\n',
    '\\u0041\\/\\b\\f\\t\\"',
    '\\\\',
    'é😀\u2028',
    '\\ud800',
    '\\',
    'a\\',
    '\\x',
    '\\u12',
    '\\u12G4',
  ];
  const controls = ['\t', '\n', '\u0000', '\u001f'];
  const tails = [
    '"}}}',
    '"}},"requestId":"r-1"}',
    '"}}} ',
    '"}}}}',
    '"}},"requestId":""}',
    `"}},"requestId":"${'r'.repeat(65)}"}`,
  ];
  const cases = [
    ...sdps.flatMap((sdp) => tails.map((tail) => head + sdp + tail)),
    ...controls.map((c) => `${head}a${c}b"}}}`),
    `${head}${'\\n'.repeat(30_001)}"}}}`,
    `${head}${'a'.repeat(60_000)}"}}}`,
    `${head}${'a'.repeat(60_001)}"}}}`,
    `${head}v=0"},"x":1}}`,
    `${head}v=0","x":1}}}`,
    `${head}v=0","sdp":"w"}}}`,
    `${head}v=0"}},"data":{"kind":"reset"}}`,
    `${head}v=0"}},"requestId":"a\\"b"}`,
    `{"type":"signal","to":"${TO}","data":{"kind":"description","description":{"type":"pranswer","sdp":""}}}`,
    `{"type":"signal","to":"${TO}!","data":{"kind":"description","description":{"type":"offer","sdp":""}}}`,
    `{"type":"signal", "to":"${TO}","data":{"kind":"description","description":{"type":"offer","sdp":""}}}`,
  ];
  const accepted = cases.filter((frame) => checkText(frame)).length;
  // Four plain sdps with either good tail, and the longest plain sdp.
  assert.equal(accepted, 9);
});
