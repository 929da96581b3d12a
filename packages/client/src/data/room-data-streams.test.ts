import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { RendezvousError } from '@rendezvous/protocol';
import { fakeConnection, settle, type FakeChannel } from './fake-channel.test-util.js';
import type { IncomingStream } from './incoming-stream.js';
import { HIGH_WATER_MARK, MAX_META_BYTES, MAX_STREAMS_PER_PEER, STREAM_CHUNK_BYTES, STREAM_WINDOW_BYTES } from './limits.js';
import { RoomData } from './room-data.js';

function pair(options: { auto?: boolean } = {}) {
  const conn = fakeConnection(options);
  const alice = new RoomData();
  const bob = new RoomData();
  alice.attach('bob', conn.a);
  bob.attach('alice', conn.b);
  const streams: IncomingStream[] = [];
  const errors: RendezvousError[] = [];
  bob.on('stream', (stream) => streams.push(stream));
  bob.on('error', (error) => errors.push(error));
  return { conn, alice, bob, streams, errors };
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

test('a stream carries its meta first and several MB intact (hash and bytes equal), with progress', async () => {
  const { alice, bob } = pair();
  const file = randomBytes(5 * 1024 * 1024 + 123);
  const received: Buffer[] = [];
  let meta: unknown;
  let ended = false;
  bob.on('stream', (stream) => {
    meta = stream.meta;
    assert.equal(stream.from, 'alice');
    stream.on('data', (chunk) => received.push(Buffer.from(chunk)));
    stream.on('end', () => (ended = true));
  });
  const out = alice.openStream('bob', {
    name: 'a.bin',
    size: file.byteLength,
    type: 'application/octet-stream',
    sha256: sha256(file),
  });
  const progress: number[] = [];
  out.on('progress', (sent) => progress.push(sent));
  for (let offset = 0; offset < file.byteLength; offset += 100_000) {
    await out.write(file.subarray(offset, offset + 100_000));
  }
  await out.end();
  const whole = Buffer.concat(received);
  assert.ok(ended);
  assert.deepEqual(meta, { name: 'a.bin', size: file.byteLength, type: 'application/octet-stream', sha256: sha256(file) });
  assert.equal(sha256(whole), sha256(file));
  assert.ok(whole.equals(file));
  assert.equal(out.state, 'finished');
  assert.equal(out.bytesAcknowledged, file.byteLength);
  assert.equal(progress.at(-1), file.byteLength);
  assert.ok(progress.every((value, i) => i === 0 || value >= (progress[i - 1] ?? 0)));
});

test('the async iterator reads a stream; a slow reader holds the sender at the window', async () => {
  const { alice, streams } = pair();
  const file = randomBytes(STREAM_WINDOW_BYTES + 5 * STREAM_CHUNK_BYTES);
  const out = alice.openStream('bob', { name: 'b' });
  await settle();
  const incoming = streams[0];
  assert.ok(incoming !== undefined);
  const iterator = incoming[Symbol.asyncIterator]();
  let written = false;
  const writing = out.write(file).then(() => (written = true));
  await settle();
  assert.equal(written, false, 'waits for the reader');
  assert.ok(out.bytesSent <= STREAM_WINDOW_BYTES);
  const parts: Buffer[] = [];
  const ending = writing.then(() => out.end());
  for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
    parts.push(Buffer.from(next.value));
  }
  await ending;
  assert.ok(Buffer.concat(parts).equals(file));
  assert.equal(incoming.bytesReceived, file.byteLength);
});

test('stream writes pause at the high-water mark and resume on bufferedamountlow', async () => {
  const { conn, alice, streams } = pair({ auto: false });
  const out = alice.openStream('bob', {});
  conn.a.announceAll();
  const channel = conn.a.channels[0] as FakeChannel;
  let written = false;
  const writing = out.write(new Uint8Array(HIGH_WATER_MARK * 2)).then(() => (written = true));
  await settle();
  assert.equal(written, false);
  assert.ok(
    channel.bufferedAmount <= HIGH_WATER_MARK + STREAM_CHUNK_BYTES &&
      channel.bufferedAmount >= HIGH_WATER_MARK - STREAM_CHUNK_BYTES,
  );
  const before = out.bytesSent;
  channel.deliver(1);
  await settle();
  assert.equal(out.bytesSent, before, 'still above the low-water mark');
  for (let round = 0; round < 10 && !written; round++) {
    channel.deliver();
    (conn.b.channels[0] as FakeChannel).deliver(); // credits back to the sender
    await settle();
  }
  await writing;
  channel.deliver();
  assert.equal(streams[0]?.bytesReceived, HIGH_WATER_MARK * 2);
});

test('the sender aborts: its pending write rejects; the receiver fails with the reason', async () => {
  const { alice, streams } = pair();
  const out = alice.openStream('bob', {});
  await out.write(new Uint8Array(10));
  const incoming = streams[0];
  assert.ok(incoming !== undefined);
  const failures: RendezvousError[] = [];
  incoming.on('error', (error) => failures.push(error));
  const senderErrors: RendezvousError[] = [];
  out.on('error', (error) => senderErrors.push(error));
  out.abort('changed my mind');
  await assert.rejects(out.write(new Uint8Array(1)), { code: 'DATA_CHANNEL_CLOSED' });
  await settle();
  assert.equal(failures[0]?.code, 'DATA_CHANNEL_CLOSED');
  assert.deepEqual(failures[0]?.detail, { peerId: 'alice', cause: 'aborted-remotely', reason: 'changed my mind' });
  assert.equal(incoming.state, 'failed');
  assert.deepEqual(senderErrors, []);
});

test('the receiver aborts: the sender fails with DATA_CHANNEL_CLOSED and an error event', async () => {
  const { alice, bob } = pair();
  bob.on('stream', (stream) => stream.abort('no thanks'));
  const out = alice.openStream('bob', {});
  const errors: RendezvousError[] = [];
  out.on('error', (error) => errors.push(error));
  await assert.rejects(out.write(new Uint8Array(STREAM_WINDOW_BYTES * 2)), { code: 'DATA_CHANNEL_CLOSED' });
  assert.deepEqual(errors[0]?.detail, { peerId: 'bob', cause: 'aborted-remotely', reason: 'no thanks' });
  await assert.rejects(out.end(), { code: 'DATA_CHANNEL_CLOSED' });
});

test('a channel that closes before end fails the stream on both sides; detach and removePeer do too', async () => {
  const { conn, alice, bob, streams } = pair();
  const first = alice.openStream('bob', {});
  const second = alice.openStream('bob', {});
  const third = alice.openStream('bob', {});
  await Promise.all([first.write(new Uint8Array(5)), second.write(new Uint8Array(5)), third.write(new Uint8Array(5))]);
  const incomingErrors: string[] = [];
  for (const stream of streams) {
    stream.on('error', (error) => incomingErrors.push(`${stream.label}:${String(error.detail?.cause)}`));
  }
  (conn.a.channels[0] as FakeChannel).drop();
  await assert.rejects(first.end(), { code: 'DATA_CHANNEL_CLOSED' });
  alice.detach('bob');
  assert.equal(second.state, 'failed');
  bob.removePeer('alice');
  await assert.rejects(second.end(), (error: RendezvousError) => error.detail?.cause === 'closed');
  assert.equal(third.state, 'failed');
  assert.deepEqual(incomingErrors.sort(), ['stream:1:closed', 'stream:2:closed', 'stream:3:closed']);
});

test('openStream refuses a big meta, a peer without a connection, and more than the per-peer limit', () => {
  const { alice } = pair();
  assert.throws(() => alice.openStream('bob', { name: 'x'.repeat(MAX_META_BYTES) }), { code: 'DATA_TOO_LARGE' });
  assert.throws(() => alice.openStream('bob', { size: -1 }), TypeError);
  alice.addPeer('carol');
  assert.throws(() => alice.openStream('carol', {}), { code: 'DATA_CHANNEL_CLOSED' });
  assert.throws(() => alice.openStream('dave', {}), { code: 'PEER_NOT_IN_ROOM' });
  for (let i = 0; i < MAX_STREAMS_PER_PEER; i++) {
    alice.openStream('bob', {});
  }
  assert.throws(() => alice.openStream('bob', {}), { code: 'INVALID_STATE' });
});

test('hostile stream channels are closed with an error event; other labels are left alone', async () => {
  const { conn, streams, errors } = pair();
  const raw = (label: string, ...frames: Array<string | ArrayBuffer>): FakeChannel => {
    const channel = conn.a.open(label);
    queueMicrotask(() => frames.forEach((frame) => channel.send(frame)));
    return channel;
  };
  raw('stream:bad', 'hello');
  raw('stream:huge', 'm' + JSON.stringify({ name: 'x'.repeat(MAX_META_BYTES) }));
  raw('stream:array', 'm[1,2]');
  raw('stream:chunk', 'm{}', new ArrayBuffer(STREAM_CHUNK_BYTES + 1));
  raw('stream:tag', 'm{}', 'zzz');
  const other = raw('chat', 'anything');
  await settle();
  assert.deepEqual(
    errors.map((e) => e.code),
    ['BAD_MESSAGE', 'DATA_TOO_LARGE', 'BAD_MESSAGE', 'BAD_MESSAGE', 'BAD_MESSAGE'],
  );
  assert.equal(streams.length, 2);
  assert.ok(streams.every((stream) => stream.state === 'failed'));
  assert.equal(other.readyState, 'open');
  assert.ok(conn.b.channels.filter((c) => c.label.startsWith('stream:')).every((c) => c.readyState === 'closed'));
});

test('past MAX_STREAMS_PER_PEER incoming channels are closed with an error', async () => {
  const { conn, errors } = pair();
  for (let i = 0; i <= MAX_STREAMS_PER_PEER; i++) {
    conn.a.open(`stream:${i}`);
  }
  await settle();
  assert.deepEqual(
    errors.map((e) => e.code),
    ['INVALID_STATE'],
  );
  assert.equal(conn.b.channels.filter((c) => c.readyState === 'closed').length, 1);
});

test('close() ends every stream and leaves no listener on any channel', async () => {
  const { conn, alice, bob } = pair();
  const out = alice.openStream('bob', {});
  await out.write(new Uint8Array(3));
  const back = bob.openStream('alice', {});
  await back.write(new Uint8Array(3));
  alice.close();
  bob.close();
  await settle();
  const all = [conn.a.messages, conn.b.messages, ...conn.a.channels, ...conn.b.channels] as FakeChannel[];
  assert.deepEqual(
    all.map((c) => c.listenerCount()),
    all.map(() => 0),
  );
  assert.equal(out.state, 'failed');
  assert.equal(back.state, 'failed');
  assert.equal(out.listenerCount('error') + conn.a.channelListenerCount + conn.b.channelListenerCount, 0);
});
