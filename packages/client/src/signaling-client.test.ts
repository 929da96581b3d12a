import assert from 'node:assert/strict';
import { afterEach, beforeEach, test, type TestContext } from 'node:test';
import { RendezvousError } from '@rendezvous/protocol';
import { advance, fakeTimers, settle } from './fake-timers.test-util.js';
import { FakeWebSocket, welcome } from './fake-websocket.test-util.js';
import { SignalingClient } from './signaling-client.js';

const options = { displayName: 'Ada', WebSocketImpl: FakeWebSocket, reconnect: { initialMs: 1, maxMs: 5, timeoutMs: 200 } };

/** A connected client; time is fake from the start. */
async function connected(t: TestContext): Promise<{ client: SignalingClient; socket: FakeWebSocket }> {
  fakeTimers(t);
  const promise = SignalingClient.connect('ws://test/ws', options);
  await settle();
  const socket = FakeWebSocket.last();
  assert.equal(socket.lastSent().type, 'hello');
  socket.receive(welcome());
  return { client: await promise, socket };
}

beforeEach(() => FakeWebSocket.reset());
afterEach(() => FakeWebSocket.reset());

test('connect says hello and resolves after welcome', async (t) => {
  const { client, socket } = await connected(t);
  const hello = socket.sent[0];
  assert.equal(hello?.['version'], 1);
  assert.equal(hello?.['displayName'], 'Ada');
  assert.equal(client.peerId, 'peer-aaaaaaaa');
  assert.equal(client.state, 'open');
  assert.deepEqual(client.iceServers, [{ urls: 'stun:127.0.0.1:3478' }]);
  client.close();
  assert.equal(socket.closedWith, 1000);
  assert.equal(client.state, 'closed');
});

test('connect rejects with the error code the server answers', async () => {
  const promise = SignalingClient.connect('ws://test/ws', options);
  await settle();
  FakeWebSocket.last().receive({ type: 'error', code: 'PROTOCOL_VERSION', message: 'nope' });
  await assert.rejects(promise, (error: unknown) => error instanceof RendezvousError && error.code === 'PROTOCOL_VERSION');
});

test('connect rejects SIGNALING_UNREACHABLE when the socket cannot open', async () => {
  FakeWebSocket.refuse = true;
  await assert.rejects(
    SignalingClient.connect('ws://test/ws', options),
    (error: unknown) => error instanceof RendezvousError && error.code === 'SIGNALING_UNREACHABLE',
  );
});

test('connect times out without welcome', async (t) => {
  fakeTimers(t);
  let outcome = 'pending';
  const connecting = SignalingClient.connect('ws://test/ws', { ...options, helloTimeoutMs: 5000 }).then(
    () => 'connected',
    (error: unknown) => (error instanceof RendezvousError ? error.code : 'other'),
  );
  void connecting.then((result) => (outcome = result));
  await advance(t, 4999, 1000);
  assert.equal(outcome, 'pending');
  await advance(t, 1);
  assert.equal(outcome, 'TIMEOUT');
  assert.equal(FakeWebSocket.last().closedWith, 1000);
});

test('request correlates replies by requestId, ignoring other traffic', async (t) => {
  const { client, socket } = await connected(t);
  const first = client.request({ type: 'join', room: 'a' }, 'joined');
  const second = client.request({ type: 'join', room: 'b' }, 'joined');
  const [m1, m2] = socket.sent.slice(-2);
  assert.ok(typeof m1?.['requestId'] === 'string' && m1['requestId'] !== m2?.['requestId']);
  const joined = (room: string, requestId: unknown) => ({
    type: 'joined',
    room,
    self: { peerId: 'peer-aaaaaaaa', displayName: 'Ada', media: { audioMuted: false, videoMuted: false, screenSharing: false } },
    peers: [],
    capacity: 6,
    requestId,
  });
  socket.receive({ type: 'peer-left', room: 'x', peerId: 'peer-bbbbbbbb', reason: 'left' });
  socket.receive(joined('b', m2?.['requestId']));
  socket.receive({ type: 'error', code: 'ROOM_FULL', message: 'full', requestId: m1?.['requestId'] });
  assert.equal((await second).room, 'b');
  await assert.rejects(
    first,
    (error: unknown) => error instanceof RendezvousError && error.code === 'ROOM_FULL' && error.requestId === m1?.['requestId'],
  );
  client.close();
});

test('request times out with TIMEOUT', async (t) => {
  const { client } = await connected(t);
  const reply = client.request({ type: 'leave' }, 'left', 10);
  t.mock.timers.tick(10);
  await assert.rejects(reply, (error: unknown) => error instanceof RendezvousError && error.code === 'TIMEOUT');
  client.close();
});

test('unsolicited errors are emitted as error events; messages as message events', async (t) => {
  const { client, socket } = await connected(t);
  const errors: string[] = [];
  const types: string[] = [];
  client.on('error', (error) => errors.push(error.code));
  client.on('message', (message) => types.push(message.type));
  socket.receive({ type: 'error', code: 'RATE_LIMITED', message: 'slow down' });
  socket.receive({ type: 'peer-left', room: 'x', peerId: 'peer-bbbbbbbb', reason: 'left' });
  socket.receive({ type: 'nonsense' });
  assert.deepEqual(types, ['error', 'peer-left']);
  assert.deepEqual(errors, ['RATE_LIMITED', 'BAD_MESSAGE']);
  client.close();
});

test('an abnormal drop reconnects with the resume token and flushes queued messages', async (t) => {
  const { client, socket } = await connected(t);
  const states: string[] = [];
  const resumed: boolean[] = [];
  client.on('state', (state) => states.push(state));
  client.on('resumed', (w) => resumed.push(w.resumed));
  socket.drop(1006);
  assert.equal(client.state, 'reconnecting');
  client.send({ type: 'media-state', media: { audioMuted: true, videoMuted: false, screenSharing: false } });
  assert.equal(FakeWebSocket.instances.length, 1, 'waits for the backoff');
  await advance(t, 5);
  const next = FakeWebSocket.last();
  assert.notEqual(next, socket);
  assert.equal(next.lastSent()['resumeToken'], 'token-1');
  next.receive(welcome({ resumed: true, resumeToken: 'token-2' }));
  await settle();
  assert.deepEqual(states, ['reconnecting', 'open']);
  assert.deepEqual(resumed, [true]);
  assert.equal(next.lastSent().type, 'media-state');
  // the new token is used next time
  next.drop(1006);
  await advance(t, 5);
  assert.equal(FakeWebSocket.last().lastSent()['resumeToken'], 'token-2');
  client.close();
  assert.equal(client.state, 'closed');
});

test('a failed resume emits reset, drops the queue and rejects pending requests', async (t) => {
  const { client, socket } = await connected(t);
  const resets: string[] = [];
  client.on('reset', (w) => resets.push(w.peerId));
  const pending = client.request({ type: 'leave' }, 'left', 5000);
  socket.drop(1006);
  client.send({ type: 'leave' });
  await advance(t, 5);
  const next = FakeWebSocket.last();
  next.receive(welcome({ resumed: false, peerId: 'peer-cccccccc' }));
  await assert.rejects(pending, (error: unknown) => error instanceof RendezvousError && error.code === 'RESUME_FAILED');
  assert.deepEqual(resets, ['peer-cccccccc']);
  assert.equal(client.peerId, 'peer-cccccccc');
  assert.equal(next.sent.length, 1); // only hello: the queued leave belonged to the old session
  client.close();
});

test('reconnecting gives up after the timeout and closes with an error', async (t) => {
  const { client, socket } = await connected(t);
  const errors: string[] = [];
  client.on('error', (error) => errors.push(error.code));
  FakeWebSocket.refuse = true;
  socket.drop(1006);
  await advance(t, 195);
  assert.equal(client.state, 'reconnecting', 'still trying within the timeout');
  assert.ok(FakeWebSocket.instances.length > 10, 'with attempt after attempt');
  await advance(t, 15);
  assert.equal(client.state, 'closed');
  assert.deepEqual(errors, ['SIGNALING_UNREACHABLE']);
  assert.throws(
    () => client.send({ type: 'leave' }),
    (error: unknown) => error instanceof RendezvousError && error.code === 'SIGNALING_CLOSED',
  );
});

test('a policy close (1008) does not reconnect', async (t) => {
  const { client, socket } = await connected(t);
  socket.drop(1008);
  assert.equal(client.state, 'closed');
  await advance(t, 10);
  assert.equal(FakeWebSocket.instances.length, 1);
});

test('close() during a reconnect attempt leaves no socket or timer behind', async (t) => {
  const { client, socket } = await connected(t);
  socket.drop(1006);
  client.close();
  await advance(t, 20);
  assert.equal(FakeWebSocket.instances.length, 1);
  assert.equal(client.state, 'closed');
});
