import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RendezvousError } from '@rendezvous/protocol';
import { fakeConnection, settle } from './fake-channel.test-util.js';
import type { IncomingStream } from './incoming-stream.js';
import { MAX_MESSAGE_BYTES } from './limits.js';
import { decodeMessage, encodeInternal, type DataMessage, type JsonValue } from './message-framing.js';
import { RoomData } from './room-data.js';
import { decodeMeta, encodeMeta } from './stream-framing.js';

function pair(options: { open?: boolean } = {}) {
  const conn = fakeConnection(options);
  const alice = new RoomData();
  const bob = new RoomData();
  alice.attach('bob', conn.a);
  bob.attach('alice', conn.b);
  const messages: DataMessage[] = [];
  const internal: Array<[string, string, JsonValue]> = [];
  const streams: IncomingStream[] = [];
  const internalStreams: Array<[string, IncomingStream]> = [];
  const errors: RendezvousError[] = [];
  bob.on('message', (_from, data) => messages.push(data));
  bob.on('internal', (from, topic, data) => internal.push([from, topic, data]));
  bob.on('stream', (stream) => streams.push(stream));
  bob.on('internal-stream', (topic, stream) => internalStreams.push([topic, stream]));
  bob.on('error', (error) => errors.push(error));
  return { conn, alice, bob, messages, internal, streams, internalStreams, errors };
}

test('internal messages reach the internal event only, in order with application messages', async () => {
  const { conn, alice, messages, internal } = pair({ open: false });
  alice.send('app 1');
  alice.sendInternal('chat', { text: 'hi' });
  alice.send({ app: 2 });
  alice.sendInternal('file:v1', 'x', { to: 'bob' });
  await settle();
  assert.deepEqual(messages, []);
  conn.a.messages.open();
  await settle();
  assert.deepEqual(messages, ['app 1', { app: 2 }]);
  assert.deepEqual(internal, [
    ['alice', 'chat', { text: 'hi' }],
    ['alice', 'file:v1', 'x'],
  ]);
});

test('an internal frame keeps its place in the queue: app and internal arrive interleaved as sent', async () => {
  const { conn, alice, bob } = pair({ open: false });
  const seen: string[] = [];
  bob.on('message', (_from, data) => seen.push(`app:${JSON.stringify(data)}`));
  bob.on('internal', (_from, topic, data) => seen.push(`${topic}:${JSON.stringify(data)}`));
  alice.send('1');
  alice.sendInternal('chat', '2');
  alice.send('3');
  conn.a.messages.open();
  await settle();
  assert.deepEqual(seen, ['app:"1"', 'chat:"2"', 'app:"3"']);
});

test('bad topics are a TypeError and send nothing; oversize internal data is DATA_TOO_LARGE', () => {
  const { alice } = pair({ open: false });
  for (const topic of ['', 'Chat', 'a b', 'x'.repeat(33), 'chat\n', 'é']) {
    assert.throws(() => alice.sendInternal(topic, 1), TypeError, topic);
  }
  assert.throws(() => alice.sendInternal('chat', 'x'.repeat(MAX_MESSAGE_BYTES)), { code: 'DATA_TOO_LARGE' });
  assert.throws(() => alice.openStream('bob', {}, { topic: 'NO' }), TypeError);
  assert.equal(alice.queued('bob').messages, 0);
  alice.close();
  assert.throws(() => alice.sendInternal('chat', 1), { code: 'INVALID_STATE' });
});

test('hostile internal frames are dropped with BAD_MESSAGE, never thrown', async () => {
  const { conn, internal, messages, errors } = pair();
  const raw = conn.a.messages;
  raw.send('ichat');
  raw.send('iBAD 1');
  raw.send('i 1');
  raw.send('ichat {nope');
  raw.send(encodeInternal('chat', 'ok').data);
  await settle();
  assert.deepEqual(
    errors.map((e) => e.code),
    ['BAD_MESSAGE', 'BAD_MESSAGE', 'BAD_MESSAGE', 'BAD_MESSAGE'],
  );
  assert.deepEqual(internal, [['alice', 'chat', 'ok']]);
  assert.deepEqual(messages, []);
});

test('framing: an internal frame decodes to its topic; an application frame has topic null', () => {
  assert.deepEqual(decodeMessage('p', encodeInternal('a.b_c:d-1', [1, { x: null }]).data), {
    ok: true,
    message: [1, { x: null }],
    topic: 'a.b_c:d-1',
  });
  assert.deepEqual(decodeMessage('p', 'j{"a":1}'), { ok: true, message: { a: 1 }, topic: null });
  const meta = decodeMeta('p', encodeMeta({ name: 'f' }, 'file'));
  assert.ok(meta.ok);
  assert.deepEqual([meta.meta, meta.topic], [{ name: 'f' }, 'file']);
  const plain = decodeMeta('p', encodeMeta({ name: 'f' }));
  assert.ok(plain.ok);
  assert.equal(plain.topic, null);
  const bad = decodeMeta('p', 'tBAD {}');
  assert.ok(!bad.ok && bad.error.code === 'BAD_MESSAGE');
});

test('an internal stream arrives as internal-stream with its topic, the meta untouched, never as stream', async () => {
  const { alice, streams, internalStreams } = pair();
  const out = alice.openStream('bob', { name: 'a.txt', size: 3 }, { topic: 'file' });
  const plain = alice.openStream('bob', { name: 'app' });
  await settle();
  assert.equal(streams.length, 1);
  assert.deepEqual(streams[0]?.meta, { name: 'app' });
  assert.equal(internalStreams.length, 1);
  const [topic, incoming] = internalStreams[0] ?? [];
  assert.equal(topic, 'file');
  assert.deepEqual(incoming?.meta, { name: 'a.txt', size: 3 });
  const chunks: number[] = [];
  incoming?.on('data', (chunk) => chunks.push(...new Uint8Array(chunk)));
  await out.write(new Uint8Array([1, 2, 3]));
  await out.end();
  assert.deepEqual(chunks, [1, 2, 3]);
  plain.abort();
});

test('reachable fires once per attach whose message channel opens (at once when already open)', async () => {
  const alice = new RoomData();
  const reached: string[] = [];
  alice.on('reachable', (peerId) => reached.push(peerId));
  alice.addPeer('bob');
  const first = fakeConnection({ open: false });
  alice.attach('bob', first.a);
  assert.deepEqual(reached, []);
  first.a.messages.open();
  assert.deepEqual(reached, ['bob']);
  first.a.messages.fire('open'); // a stray second open does not repeat it
  assert.deepEqual(reached, ['bob']);
  alice.detach('bob');
  const second = fakeConnection({ open: true });
  alice.attach('bob', second.a);
  assert.deepEqual(reached, ['bob', 'bob']);
  const never = fakeConnection({ open: false });
  alice.attach('carol', never.a);
  alice.detach('carol');
  never.a.messages.open(); // opened after its detach: not reachable
  await settle();
  assert.deepEqual(reached, ['bob', 'bob']);
});

test('a queued message is flushed before reachable fires', () => {
  const conn = fakeConnection({ open: false });
  const alice = new RoomData();
  alice.attach('bob', conn.a);
  alice.send('queued');
  let flushedFirst = false;
  alice.on('reachable', () => (flushedFirst = conn.a.messages.sent.length === 1));
  conn.a.messages.open();
  assert.ok(flushedFirst);
});
