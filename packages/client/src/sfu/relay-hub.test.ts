import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  ClientMessageSchema,
  MAX_RELAY_DATA_CHARS,
  ServerMessageSchema,
  type ClientMessageInput,
  type ServerMessageOf,
} from '@rendezvous/protocol';
import type { DataMessage } from '../data/index.js';
import { MAX_MESSAGE_BYTES } from '../data/limits.js';
import { RoomData } from '../data/room-data.js';
import { RelayHub } from './relay-hub.js';

/**
 * Members of one SFU room, each a RoomData over a RelayHub, linked by a stand-in for the server's `relay` handler:
 * frames pass the real schemas both ways (as JSON text), go to `to` or every other member, and arrive in order on a
 * later task, like frames on a socket.
 */
function room(ids: string[], options: { relayBytesPerSecond?: number } = {}) {
  const frames: { from: string; message: ClientMessageInput }[] = [];
  const members = new Map<string, { data: RoomData; hub: RelayHub; sent: Set<() => void> }>();
  const deliver = (from: string, text: string): void => {
    const parsed = ClientMessageSchema.parse(JSON.parse(text));
    assert.equal(parsed.type, 'relay');
    if (parsed.type !== 'relay') {
      return;
    }
    assert.ok(text.length < 65_536, `a relay frame fits the server's maxFrameBytes (${text.length})`);
    const { to, requestId: _r, type: _t, ...body } = parsed;
    const out = ServerMessageSchema.parse(JSON.parse(JSON.stringify({ type: 'relay', from, ...body })));
    for (const id of to ?? ids.filter((id) => id !== from)) {
      setImmediate(() => members.get(id)?.hub.receive(out as ServerMessageOf<'relay'>));
    }
  };
  for (const id of ids) {
    const sent = new Set<() => void>();
    const hub = new RelayHub({
      send: (message) => {
        frames.push({ from: id, message });
        deliver(id, JSON.stringify(message));
        setImmediate(() => sent.forEach((listener) => listener()));
      },
      queuedFrames: () => 0,
      onSent: (listener) => {
        sent.add(listener);
        return () => sent.delete(listener);
      },
      relayBytesPerSecond: () => options.relayBytesPerSecond,
    });
    members.set(id, { data: new RoomData(), hub, sent });
  }
  for (const [id, member] of members) {
    for (const other of ids.filter((o) => o !== id)) {
      member.data.addPeer(other);
      member.data.attach(other, member.hub.addPeer(other));
    }
  }
  const get = (id: string) => members.get(id)!;
  return { frames, get, members };
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 10_000 && !check(); i += 1) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.ok(check(), 'condition reached');
};

test('messages reach every member once: text, JSON and binary, in order; one frame serves the whole room', async () => {
  const { frames, get } = room(['alice-peer-0001', 'bob-peer-0001', 'carol-peer-0001']);
  const got: Record<string, [string, DataMessage][]> = { 'bob-peer-0001': [], 'carol-peer-0001': [] };
  for (const id of ['bob-peer-0001', 'carol-peer-0001']) {
    get(id).data.on('message', (from, message) => got[id]!.push([from, message]));
  }
  const alice = get('alice-peer-0001').data;
  alice.send('hello');
  alice.send({ n: 1, text: '你好' });
  alice.send(new Uint8Array([0, 1, 2, 250, 255]).buffer);
  alice.send('only bob', { to: 'bob-peer-0001' });
  await until(() => got['bob-peer-0001']!.length === 4 && got['carol-peer-0001']!.length === 3);
  assert.deepEqual(got['bob-peer-0001']!.slice(0, 2), [
    ['alice-peer-0001', 'hello'],
    ['alice-peer-0001', { n: 1, text: '你好' }],
  ]);
  assert.deepEqual([...new Uint8Array(got['carol-peer-0001']![2]![1] as ArrayBuffer)], [0, 1, 2, 250, 255]);
  assert.deepEqual(got['bob-peer-0001']![3], ['alice-peer-0001', 'only bob']);
  const fromAlice = frames.filter((f) => f.from === 'alice-peer-0001').map((f) => f.message as { to?: string[] });
  assert.equal(fromAlice.length, 4, `three room-wide frames without to, one to bob: ${JSON.stringify(fromAlice).slice(0, 400)}`);
  assert.deepEqual(
    fromAlice.map((m) => m.to),
    [undefined, undefined, undefined, ['bob-peer-0001']],
  );
});

test('the largest message goes in pieces that each fit a frame and arrives whole, text and binary', async () => {
  const { frames, get } = room(['alice-peer-0001', 'bob-peer-0001']);
  const got: DataMessage[] = [];
  get('bob-peer-0001').data.on('message', (_from, message) => got.push(message));
  const text = '界'.repeat(Math.floor(MAX_MESSAGE_BYTES / 3) - 1);
  const bytes = randomBytes(MAX_MESSAGE_BYTES);
  get('alice-peer-0001').data.send(text);
  get('alice-peer-0001').data.send(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  await until(() => got.length === 2);
  assert.equal(got[0], text);
  assert.equal(sha256(new Uint8Array(got[1] as ArrayBuffer)), sha256(bytes));
  const pieces = frames.map((f) => f.message as { data?: string; more?: true });
  assert.ok(pieces.length > 2, `${pieces.length} pieces`);
  assert.ok(pieces.every((p) => (p.data?.length ?? 0) <= MAX_RELAY_DATA_CHARS));
});

test('a stream of several MB arrives intact (hash), with credit flowing back on the same channel', async () => {
  const { get } = room(['alice-peer-0001', 'bob-peer-0001']);
  const file = randomBytes(3 * 1024 * 1024 + 7);
  const received: Buffer[] = [];
  let ended = false;
  get('bob-peer-0001').data.on('stream', (stream) => {
    stream.on('data', (chunk) => received.push(Buffer.from(chunk)));
    stream.on('end', () => (ended = true));
  });
  const out = get('alice-peer-0001').data.openStream('bob-peer-0001', { name: 'f.bin', size: file.byteLength });
  for (let at = 0; at < file.byteLength; at += 200_000) {
    await out.write(file.subarray(at, at + 200_000));
  }
  await out.end();
  await until(() => ended);
  assert.equal(sha256(Buffer.concat(received)), sha256(file));
  assert.equal(out.state, 'finished');
});

test('frames from strangers, for unknown channels, broken pieces and too many channels are dropped', async () => {
  const { get } = room(['alice-peer-0001', 'bob-peer-0001']);
  const got: DataMessage[] = [];
  const bob = get('bob-peer-0001');
  bob.data.on('message', (_from, message) => got.push(message));
  const receive = (message: Partial<ServerMessageOf<'relay'>>): void =>
    bob.hub.receive({
      type: 'relay',
      from: 'alice-peer-0001',
      ch: 'messages',
      op: 'data',
      ...message,
    });
  receive({ from: 'mallory-peer-0001', data: 'x' });
  receive({ ch: 'stream:99', data: 'x' });
  receive({ ch: 'back:stream:1', data: 'x' });
  receive({ data: 'a', more: true });
  receive({ data: 'AAAA', bin: true }); // a binary piece ends a text frame: both dropped
  receive({ data: '!!!', bin: true });
  receive({ data: 'x'.repeat(MAX_RELAY_DATA_CHARS), more: true });
  receive({ data: 'x'.repeat(MAX_RELAY_DATA_CHARS), more: true });
  receive({ data: 'x'.repeat(MAX_RELAY_DATA_CHARS) }); // past the largest message: dropped
  for (let i = 0; i < 100; i += 1) {
    receive({ ch: `s${i}`, op: 'open' });
  }
  get('alice-peer-0001').data.send('still fine');
  await until(() => got.length > 0);
  assert.deepEqual(got, ['still fine']);
});

test('sends wait for the outbox and the byte rate; close stops timers and channels', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const sent: ClientMessageInput[] = [];
  let queued = 0;
  const listeners = new Set<() => void>();
  const hub = new RelayHub({
    send: (message) => {
      sent.push(message);
      queued += 1;
    },
    queuedFrames: () => queued,
    onSent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    relayBytesPerSecond: () => 100_000,
  });
  const channels = hub.addPeer('bob-peer-0001');
  for (let i = 0; i < 10; i += 1) {
    channels.messages.send('m'.repeat(1000));
  }
  await Promise.resolve();
  assert.equal(sent.length, 4, 'four frames in the outbox at most');
  assert.equal(channels.messages.bufferedAmount, 6000);
  queued = 0;
  listeners.forEach((listener) => listener());
  assert.equal(sent.length, 8);
  queued = 0;
  listeners.forEach((listener) => listener());
  assert.equal(sent.length, 10);
  assert.equal(channels.messages.bufferedAmount, 0);
  queued = 0;
  for (let i = 0; i < 200; i += 1) {
    channels.messages.send('n'.repeat(1000));
    await Promise.resolve();
    queued = 0;
  }
  const before = sent.length;
  assert.ok(before < 210, `the byte rate holds frames back (${before - 10} of 200 went)`);
  t.mock.timers.tick(1000);
  queued = 0;
  listeners.forEach((listener) => listener());
  assert.ok(sent.length > before, 'the refill lets more go');
  hub.close();
  hub.close();
  assert.equal(listeners.size, 0);
  assert.equal(channels.messages.readyState, 'closed');
  t.mock.timers.tick(60_000);
  assert.throws(() => channels.messages.send('late'), /closed/);
});
