import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PeerjsClientMessageSchema } from '@rendezvous/protocol';
import { checkMessageText, SplicedMessage } from './raw-message.js';

type Json = Record<string, unknown>;

const DST = 'peer-B_2';
const SRC = 'peer A-1';
const payload = (type: 'offer' | 'answer', extra: Json = {}): Json => ({
  sdp: { type, sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' },
  type: 'media',
  connectionId: 'mc_1',
  ...extra,
});
const candidate = (fields: Json): Json => ({
  candidate: { candidate: 'candidate:1 1 udp 1 203.0.113.7 5 typ host', ...fields },
  type: 'data',
  connectionId: 'dc_1',
});
/** Both orders: the bench's (dst first) and the peerjs client's (payload first). */
const BASES: Json[] = [
  { type: 'OFFER', dst: DST, payload: payload('offer', { browser: 'chrome' }) },
  { type: 'OFFER', payload: payload('offer', { browser: 'chrome' }), dst: DST },
  { type: 'ANSWER', dst: DST, payload: payload('answer') },
  { type: 'ANSWER', payload: payload('answer'), dst: DST },
  { type: 'CANDIDATE', dst: DST, payload: candidate({ sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'Zq3v' }) },
  { type: 'CANDIDATE', payload: candidate({ sdpMid: '0', sdpMLineIndex: 1024, usernameFragment: 'Zq3v' }), dst: DST },
  { type: 'CANDIDATE', dst: DST, payload: candidate({ sdpMid: null, sdpMLineIndex: null, usernameFragment: null }) },
  { type: 'CANDIDATE', dst: DST, payload: candidate({ sdpMLineIndex: 7 }) },
];
/** Keys out of the schema's order: parsed, not taken on their text. */
const SHUFFLED: Json = { type: 'CANDIDATE', dst: DST, payload: candidate({ usernameFragment: 'u', sdpMid: 'm' }) };
const HOSTILE: unknown[] = [
  null,
  true,
  0,
  -0,
  1.5,
  1025,
  1e3,
  '',
  'x',
  'offer',
  'answer',
  'media',
  'data',
  'a'.repeat(64),
  'a'.repeat(65),
  'a'.repeat(256),
  'a'.repeat(257),
  'a'.repeat(2048),
  'a'.repeat(2049),
  'a'.repeat(60_000),
  'a'.repeat(60_001),
  'a b',
  'a  b',
  'x"y',
  'x\\y',
  'tab\there',
  '\ud800',
  'é😀',
  [],
  {},
  { nested: [1, 2] },
];

/** Every path to a value inside `value` (objects only). */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [];
  }
  return Object.entries(value).flatMap(([key, child]) => [[...prefix, key], ...paths(child, [...prefix, key])]);
}

function withValue(base: Json, path: string[], value: unknown): Json {
  const copy = structuredClone(base);
  let node: Json = copy;
  for (const key of path.slice(0, -1)) {
    node = node[key] as Json;
  }
  node[path[path.length - 1]!] = value;
  return copy;
}

function* frames(): Generator<string> {
  for (const base of [...BASES, SHUFFLED]) {
    yield JSON.stringify(base);
    for (const path of paths(base)) {
      for (const value of HOSTILE) {
        yield JSON.stringify(withValue(base, path, value));
      }
    }
    for (const key of ['metadata', 'label', 'reliable', 'serialization', 'browser', 'extra', '__proto__', 'sdp']) {
      for (const value of HOSTILE) {
        yield JSON.stringify(base).replace(
          '"connectionId":"mc_1"',
          `"connectionId":"mc_1",${JSON.stringify(key)}:${JSON.stringify(value)}`,
        );
      }
    }
  }
  const head = `{"type":"OFFER","dst":"${DST}","payload":{"sdp":{"type":"offer","sdp":"`;
  const rest = '"},"type":"media","connectionId":"mc_1"}}';
  for (const sdp of ['\\u0041\\/\\b\\f\\t', '\\"', '\\\\', 'a\\', '\\x', '\\u12G4', 'a\tb', '\\n'.repeat(30_001)]) {
    yield head + sdp + rest;
  }
  yield `${head}v=0${rest} `;
  yield `${head}v=0${rest}}`;
  yield `${head}v=0"},"type":"media","connectionId":"mc_1","browser":"a","browser":"b"}}`;
  yield `${head}v=0"},"type":"media","connectionId":"mc_1"},"dst":"other"}`;
  yield `{"type":"OFFER","payload":{"sdp":{"type":"offer","sdp":"v=0"},"type":"media","connectionId":"mc_1"}}`;
  const cand = `{"type":"CANDIDATE","dst":"${DST}","payload":{"candidate":{"candidate":"c"`;
  for (const index of ['0', '00', '01', '1024', '1025', '9999', '-0', '1.0', '1e2', 'null', '"0"']) {
    yield `${cand},"sdpMLineIndex":${index}},"type":"media","connectionId":"c"}}`;
  }
  yield `${cand},"x":1},"type":"media","connectionId":"c"}}`;
  yield `${cand},"sdpMid":"a\\u0041"},"type":"media","connectionId":"c"}}`;
  yield `${cand}},"type":"media","connectionId":"c","candidate":"again"}}`;
  yield `{"type":"OFFER", "dst":"${DST}","payload":{"sdp":{"type":"offer","sdp":"v=0"},"type":"media","connectionId":"mc_1"}}`;
}

test('checkMessageText accepts only what the schema accepts, and its spliced relay parses to the same message', () => {
  let accepted = 0;
  let checked = 0;
  for (const frame of frames()) {
    checked++;
    const raw = checkMessageText(frame);
    if (raw === undefined) {
      continue;
    }
    const label = frame.slice(0, 160);
    const reference = PeerjsClientMessageSchema.safeParse(JSON.parse(frame));
    assert.ok(reference.success, `accepted on its text, refused by the schema: ${label}`);
    accepted++;
    assert.deepEqual(raw.plain(), reference.data, label);
    assert.equal(JSON.stringify(raw.plain()), JSON.stringify(reference.data), label);
    const data = reference.data as { type: string; dst: string; payload: unknown };
    const expected = JSON.stringify({ type: data.type, src: SRC, dst: data.dst, payload: data.payload });
    const spliced = new SplicedMessage(SRC, raw);
    assert.equal(JSON.stringify(JSON.parse(spliced.text)), expected, label);
    assert.equal(JSON.stringify(spliced.message()), expected, label);
  }
  assert.ok(checked > 500 && accepted > 100, `${checked} frames, ${accepted} accepted on their text`);
});

test('the forms the peerjs client and the bench send are taken on their text', () => {
  for (const base of BASES) {
    assert.notEqual(checkMessageText(JSON.stringify(base)), undefined, JSON.stringify(base).slice(0, 80));
  }
  assert.equal(checkMessageText(JSON.stringify(SHUFFLED)), undefined);
});
