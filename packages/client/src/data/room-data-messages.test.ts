import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RendezvousError } from '@rendezvous/protocol';
import { fakeConnection, settle, type FakeChannel } from './fake-channel.test-util.js';
import { HIGH_WATER_MARK, LOW_WATER_MARK, MAX_MESSAGE_BYTES, MAX_QUEUED_BYTES_PER_PEER } from './limits.js';
import type { DataMessage } from './message-framing.js';
import { RoomData } from './room-data.js';

/** Alice and Bob, each with a RoomData, on one fake connection (`a` is Alice's side). */
function pair(options: { auto?: boolean; open?: boolean } = {}) {
  const conn = fakeConnection(options);
  const alice = new RoomData();
  const bob = new RoomData();
  alice.attach('bob', conn.a);
  bob.attach('alice', conn.b);
  const got: Array<[string, DataMessage]> = [];
  const errors: RendezvousError[] = [];
  bob.on('message', (from, data) => got.push([from, data]));
  bob.on('error', (error) => errors.push(error));
  return { conn, alice, bob, got, errors };
}

test('messages arrive in order, each as the type it was sent', async () => {
  const { alice, got } = pair();
  alice.send('one');
  alice.send(new Uint8Array([1, 2, 3]));
  alice.send({ n: 3 });
  alice.send('four', { to: 'bob' });
  await settle();
  assert.deepEqual(
    got.map(([from, data]) => [from, data instanceof ArrayBuffer ? [...new Uint8Array(data)] : data]),
    [
      ['alice', 'one'],
      ['alice', [1, 2, 3]],
      ['alice', { n: 3 }],
      ['alice', 'four'],
    ],
  );
});

test('send reaches one, several or every peer; an unknown target sends to none', () => {
  const alice = new RoomData();
  const conns = ['p1', 'p2', 'p3'].map((id) => {
    const conn = fakeConnection();
    alice.attach(id, conn.a);
    return conn;
  });
  const frames = (i: number): number => (conns[i]?.a.messages as FakeChannel).sent.length;
  alice.send('all');
  alice.send('some', { to: ['p1', 'p3', 'p1'] });
  alice.send('one', { to: 'p2' });
  assert.throws(() => alice.send('x', { to: ['p1', 'nobody'] }), { code: 'PEER_NOT_IN_ROOM' });
  assert.deepEqual([frames(0), frames(1), frames(2)], [2, 2, 2]);
});

test('messages sent before the channel opens are queued and flushed in order on open', async () => {
  const { conn, alice, got } = pair({ open: false });
  alice.send('a');
  alice.send('b');
  assert.deepEqual(alice.queued('bob'), { bytes: 2, messages: 2 });
  await settle();
  assert.equal(got.length, 0);
  conn.a.messages.open();
  await settle();
  assert.deepEqual(got, [
    ['alice', 'a'],
    ['alice', 'b'],
  ]);
  assert.deepEqual(alice.queued('bob'), { bytes: 0, messages: 0 });
});

test('a peer added before its connection queues; the queue survives detach and flushes on the next attach', async () => {
  const alice = new RoomData();
  alice.addPeer('bob');
  alice.send('before any connection');
  const first = fakeConnection({ open: false });
  alice.attach('bob', first.a);
  alice.send('on the first connection');
  alice.detach('bob');
  alice.send('while detached');
  const second = fakeConnection();
  const bob = new RoomData();
  const got: DataMessage[] = [];
  bob.on('message', (_from, data) => got.push(data));
  bob.attach('alice', second.b);
  alice.attach('bob', second.a);
  await settle();
  assert.deepEqual(got, ['before any connection', 'on the first connection', 'while detached']);
  assert.equal(first.a.messages.sent.length, 0);
});

test('backpressure: nothing more is handed to a channel past the high-water mark until bufferedamountlow', () => {
  const { conn, alice } = pair({ auto: false });
  const channel = conn.a.messages;
  assert.equal(channel.bufferedAmountLowThreshold, LOW_WATER_MARK);
  const big = 'x'.repeat(MAX_MESSAGE_BYTES);
  const count = Math.ceil((HIGH_WATER_MARK * 1.5) / MAX_MESSAGE_BYTES);
  for (let i = 0; i < count; i++) {
    alice.send(big);
  }
  assert.ok(channel.bufferedAmount <= HIGH_WATER_MARK, `buffered ${channel.bufferedAmount}`);
  const handed = channel.sent.length;
  assert.ok(handed < count && alice.queued('bob').messages === count - handed);
  channel.deliver(1); // still above the low-water mark: no event, nothing more sent
  assert.equal(channel.sent.length, handed);
  channel.deliver(); // drains: bufferedamountlow fires, sending resumes
  assert.equal(channel.sent.length, count);
  assert.equal(alice.queued('bob').messages, 0);
});

test('a full queue throws DATA_TOO_LARGE (what: queue) and sends to no target', () => {
  const alice = new RoomData();
  alice.addPeer('p1');
  alice.addPeer('p2');
  const big = new Uint8Array(MAX_MESSAGE_BYTES);
  const fits = MAX_QUEUED_BYTES_PER_PEER / MAX_MESSAGE_BYTES;
  for (let i = 0; i < fits; i++) {
    alice.send(big, { to: 'p1' });
  }
  assert.throws(
    () => alice.send(big),
    (error: RendezvousError) => error.code === 'DATA_TOO_LARGE' && error.detail?.what === 'queue' && error.detail.peerId === 'p1',
  );
  assert.equal(alice.queued('p2').messages, 0);
  assert.equal(alice.queued('p1').messages, fits);
});

test('a message over the limit throws DATA_TOO_LARGE and queues nothing', () => {
  const { alice } = pair({ open: false });
  assert.throws(() => alice.send(new ArrayBuffer(MAX_MESSAGE_BYTES + 1)), { code: 'DATA_TOO_LARGE' });
  assert.equal(alice.queued('bob').messages, 0);
});

test('hostile frames are dropped with an error event; later messages still arrive', async () => {
  const { conn, got, errors } = pair();
  const raw = conn.a.messages; // what Alice's end sends, bypassing her RoomData
  raw.send('zunknown tag');
  raw.send('j{not json');
  raw.send(new Uint8Array([0x01, 2]));
  raw.send('s' + 'x'.repeat(MAX_MESSAGE_BYTES + 1));
  raw.send('sstill fine');
  await settle();
  assert.deepEqual(
    errors.map((e) => e.code),
    ['BAD_MESSAGE', 'BAD_MESSAGE', 'BAD_MESSAGE', 'DATA_TOO_LARGE'],
  );
  assert.deepEqual(got, [['alice', 'still fine']]);
});

test('a listener that throws does not break delivery', async () => {
  const { alice, bob, got } = pair();
  bob.on('message', () => {
    throw new Error('listener bug');
  });
  const original = console.error;
  console.error = () => undefined;
  try {
    alice.send('1');
    alice.send('2');
    await settle();
  } finally {
    console.error = original;
  }
  assert.deepEqual(got, [
    ['alice', '1'],
    ['alice', '2'],
  ]);
});

test('close() is idempotent, removes every listener, and later sends throw INVALID_STATE', () => {
  const { conn, alice } = pair({ open: false });
  alice.send('queued');
  alice.on('message', () => undefined);
  const channel = conn.a.messages;
  assert.ok(channel.listenerCount() > 0 && conn.a.channelListenerCount > 0);
  alice.close();
  alice.close();
  assert.equal(channel.listenerCount(), 0);
  assert.equal(conn.a.channelListenerCount, 0);
  assert.equal(alice.listenerCount('message'), 0);
  assert.deepEqual(alice.peerIds, []);
  assert.throws(() => alice.send('x'), { code: 'INVALID_STATE' });
  channel.open(); // nothing left to flush
  assert.equal(channel.sent.length, 0);
});

test('removePeer drops its queue; detach keeps it', () => {
  const { alice } = pair({ open: false });
  alice.send('x');
  alice.detach('bob');
  assert.equal(alice.queued('bob').messages, 1);
  alice.removePeer('bob');
  assert.equal(alice.queued('bob').messages, 0);
  assert.throws(() => alice.send('y', { to: 'bob' }), { code: 'PEER_NOT_IN_ROOM' });
});
