/**
 * Seeded fuzzing of what a remote peer controls: the OFFER, ANSWER, CANDIDATE, LEAVE and EXPIRE messages relayed to
 * a Peer (mostly shaped as the schema allows, with hostile values, ids of live connections and SDK extensions),
 * interleaved with connection state changes; and the frames the data decoders read. Nothing may throw or reject,
 * every error is a PeerError, and the Peer stays usable. FUZZ_SEED=<n> replays a run, FUZZ_SEED=random explores.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { pack } from 'peerjs-js-binarypack';
import { fuzzSeed, prng } from '@rendezvous/common';
import { settle } from '../fake-timers.test-util.js';
import { FakeWebSocket } from '../fake-websocket.test-util.js';
import { FakeRTC } from './fake-rtc.test-util.js';
import { MAX_CONNECTIONS } from './limits.js';
import { PeerError } from './peer-errors.js';
import { openPeer, relay } from './peer-harness.test-util.js';
import { codecFor } from './serializers.js';

const SEED = fuzzSeed(0x9e3779b9, process.env['FUZZ_SEED']);
const ROUNDS = 1500;

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

const TYPES = ['OFFER', 'ANSWER', 'CANDIDATE', 'LEAVE', 'EXPIRE'] as const;
const SOURCES = ['bob', 'bob', 'bob', 'carol', 'carol', 'alice', 'x'.repeat(300), 'no/slash'];
const CONNECTION_IDS = ['dc_1', 'dc_1', 'mc_1', 'mc_1', 'dc_2', 'mc_2', '', 'z'.repeat(65)];
const HOSTILE: readonly unknown[] = [
  null,
  0,
  -1,
  1e308,
  '',
  'x'.repeat(5000),
  [],
  [1, [2, [3]]],
  {},
  { __proto__: { polluted: true } },
  { type: 'offer', sdp: 'v=0' },
  { type: 'answer', sdp: 'v=0' },
  { type: 'pranswer', sdp: 7 },
  { v: 1, restart: true },
  { v: 1, close: 'dc_in' },
  { v: 'one', close: 7 },
  true,
];

/** A payload shaped like the real one for `type`, with some fields swapped for hostile values. */
function payload(random: Random, type: (typeof TYPES)[number]): unknown {
  const kind = pick(random, ['data', 'data', 'media', 'media', 'file']);
  const base: Record<string, unknown> = {
    sdp: {
      type: pick(random, ['offer', 'offer', 'answer', 'answer', 'rollback']),
      sdp: pick(random, ['v=0', 'v=0', 'refuse', '']),
    },
    type: kind,
    connectionId: pick(random, CONNECTION_IDS),
    serialization: pick(random, ['json', 'binary', 'raw', 'msgpack', 'default']),
    reliable: random() < 0.5,
    label: pick(random, ['chat', 'chat', 'chat', '', 'l'.repeat(300)]),
    metadata: pick(random, HOSTILE),
    candidate: { candidate: pick(random, ['candidate:1 1 udp 1 127.0.0.1 9 typ host', '', 'junk']), sdpMid: '0' },
    rendezvous: pick(random, [{ v: 1 }, { v: 1, restart: true }, { v: 1, close: pick(random, CONNECTION_IDS) }, 'x', null]),
  };
  if (type === 'LEAVE' || type === 'EXPIRE') {
    return random() < 0.3 ? pick(random, HOSTILE) : { rendezvous: base['rendezvous'] };
  }
  for (const key of Object.keys(base)) {
    if (random() < 0.04) {
      base[key] = pick(random, HOSTILE);
    }
  }
  return random() < 0.02 ? pick(random, HOSTILE) : base;
}

beforeEach(() => {
  FakeWebSocket.reset();
  FakeRTC.made = [];
});
afterEach(() => FakeWebSocket.reset());

test(`hostile directory messages and state changes never throw, only PeerErrors (seed ${SEED})`, async (t) => {
  // A listener that throws is caught by the emitters and reported to console.error: count those as throws.
  const reported = t.mock.method(console, 'error', () => undefined);
  const random = prng(SEED);
  const { peer, socket } = await openPeer('alice');
  const errors: unknown[] = [];
  peer.on('error', (error) => errors.push(error));
  peer.on('call', (call) => (random() < 0.7 ? call.answer() : call.close()));
  peer.on('connection', (connection) => connection.on('error', (error) => errors.push(error)));
  peer.connect('bob').on('error', (error) => errors.push(error));
  for (let round = 0; round < ROUNDS; round++) {
    const type = pick(random, TYPES);
    const message = { type: random() < 0.02 ? 'HEARTBEAT' : type, src: pick(random, SOURCES), payload: payload(random, type) };
    relay(socket, pick(random, ['alice', 'alice', 'bob']), message);
    if (random() < 0.1 && FakeRTC.made.length > 0) {
      pick(random, FakeRTC.made).setState(pick(random, ['connected', 'disconnected', 'failed', 'closed']));
    }
    if (round % 50 === 0) {
      await settle();
    }
  }
  await settle();
  assert.deepEqual(
    reported.mock.calls.map((call) => String(call.arguments[1])),
    [],
    'nothing threw out of a handler',
  );
  assert.equal(peer.open, true, 'the Peer stays open');
  for (const error of errors) {
    assert.ok(error instanceof PeerError, String(error));
  }
  const reasons = new Set(errors.map((error) => (error as PeerError).message.split(':')[0]));
  assert.ok(FakeRTC.made.length > 10, 'the fuzz made connections');
  assert.ok(reasons.has('Dropped a message from peer bob'), 'the fuzz reached the connections, past the schema');
  const live = Object.values(peer.connections).flat();
  assert.ok(live.length <= MAX_CONNECTIONS);

  // Still usable: a good OFFER makes a connection that answers.
  const answered: string[] = [];
  peer.on('connection', (connection) => answered.push(connection.connectionId));
  const sdk = { rendezvous: { v: 1 } };
  relay(socket, 'alice', {
    type: 'OFFER',
    src: 'dave',
    payload: { sdp: { type: 'offer', sdp: 'v=0' }, type: 'data', connectionId: 'dc_good', serialization: 'json', ...sdk },
  });
  await settle();
  assert.deepEqual(answered, ['dc_good']);
  peer.destroy();
});

/** Frames a remote peer could put on a data channel: random bytes, valid BinaryPack with bytes changed, chunks. */
async function hostileFrame(random: Random): Promise<unknown> {
  const roll = random();
  if (roll < 0.3) {
    const bytes = new Uint8Array(Math.floor(random() * 64));
    bytes.forEach((_, i) => (bytes[i] = Math.floor(random() * 256)));
    return bytes.buffer;
  }
  if (roll < 0.6) {
    const value = pick(random, [{ a: [1, 'two', { three: 3 }] }, 'text', [new Uint8Array(40).buffer], 1.5, null]);
    const bytes = new Uint8Array((await pack(value)) as ArrayBuffer);
    for (let n = 0; n < 1 + random() * 3 && bytes.length > 0; n++) {
      bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    }
    return bytes.buffer;
  }
  if (roll < 0.85) {
    const chunk = {
      __peerData: pick(random, [1, 2, -1, 1.5, 2 ** 53, 'x', { type: 'close' }]),
      n: pick(random, [0, 1, 5, -1, 1e9, 'n']),
      total: pick(random, [1, 2, 3, 0, 1e9, null]),
      data: pick(random, [new Uint8Array(10).buffer, 'text', null, new Uint8Array(20_000).buffer]),
    };
    return pack(chunk);
  }
  return pick(random, ['{"a":1}', '{not json', '', 'x'.repeat(1000), 42, null, new Uint8Array(3)]);
}

test(`the data decoders never throw on hostile frames (seed ${SEED})`, async () => {
  const random = prng(SEED + 1);
  const codecs = (['binary', 'json', 'raw'] as const).map((serialization) => codecFor(serialization));
  const kinds = new Set<string>();
  for (let round = 0; round < 3000; round++) {
    const frame = await hostileFrame(random);
    for (const codec of codecs) {
      const decoded = codec.decode(frame);
      assert.ok(['data', 'close', 'partial', 'error'].includes(decoded.kind));
      kinds.add(decoded.kind);
    }
  }
  assert.deepEqual([...kinds].sort(), ['close', 'data', 'error', 'partial'], 'the fuzz reached every outcome');
});
