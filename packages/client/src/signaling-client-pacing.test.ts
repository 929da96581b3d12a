import assert from 'node:assert/strict';
import { afterEach, beforeEach, test, type TestContext } from 'node:test';
import { fakeTimers, settle } from './fake-timers.test-util.js';
import { FakeWebSocket, welcome } from './fake-websocket.test-util.js';
import { RATE_LIMITED_BACKOFF_MS } from './send-pacer.js';
import { SignalingClient, type SignalingClientOptions } from './signaling-client.js';

const options: SignalingClientOptions = {
  displayName: 'Ada',
  WebSocketImpl: FakeWebSocket,
  reconnect: { initialMs: 1, maxMs: 5, timeoutMs: 200 },
};
/** Announced: 10 frames per second, burst 10; the SDK uses 90%: 9 per second, burst 9. */
const limited = {
  heartbeatIntervalMs: 10000,
  resumeGraceMs: 15000,
  maxFrameBytes: 65536,
  ringTimeoutMs: 30000,
  rateLimitPerSecond: 10,
  rateLimitBurst: 10,
};

/** A connected client; time is fake from the start. */
async function connected(
  t: TestContext,
  extra: Partial<SignalingClientOptions> = {},
): Promise<{ client: SignalingClient; socket: FakeWebSocket }> {
  fakeTimers(t);
  const promise = SignalingClient.connect('ws://test/ws', { ...options, ...extra });
  await settle();
  const socket = FakeWebSocket.last();
  socket.receive(welcome({ config: limited }));
  const client = await promise;
  return { client, socket };
}

const signal = (n: number) =>
  ({ type: 'signal', to: 'peer-bbbbbbbb', data: { kind: 'candidate', candidate: { candidate: `c${n}` } } }) as const;
const candidates = (socket: FakeWebSocket): string[] =>
  socket.sent
    .filter((m) => m['type'] === 'signal')
    .map((m) => (m['data'] as { candidate: { candidate: string } }).candidate.candidate);
const range = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `c${from + i}`);

beforeEach(() => FakeWebSocket.reset());
afterEach(() => FakeWebSocket.reset());

test('frames are paced under the announced limit, in order, none lost', async (t) => {
  const { client, socket } = await connected(t);
  for (let n = 0; n < 25; n++) {
    client.send(signal(n));
  }
  assert.deepEqual(candidates(socket), range(0, 9));
  t.mock.timers.tick(1000);
  assert.deepEqual(candidates(socket), range(0, 18));
  t.mock.timers.tick(1000);
  assert.deepEqual(candidates(socket), range(0, 25));
  client.close();
});

test('pacing: false sends as fast as frames come', async (t) => {
  const { client, socket } = await connected(t, { pacing: false });
  for (let n = 0; n < 25; n++) {
    client.send(signal(n));
  }
  assert.deepEqual(candidates(socket), range(0, 25));
  client.close();
});

test('frames still waiting when the socket drops go, paced and in order, after the resume', async (t) => {
  const { client, socket } = await connected(t);
  for (let n = 0; n < 20; n++) {
    client.send(signal(n));
  }
  socket.drop(1006);
  for (let n = 20; n < 25; n++) {
    client.send(signal(n));
  }
  t.mock.timers.tick(10); // reconnect backoff
  await settle();
  const next = FakeWebSocket.last();
  assert.notEqual(next, socket);
  next.receive(welcome({ resumed: true, config: limited }));
  await settle();
  assert.deepEqual(candidates(next), range(9, 18));
  t.mock.timers.tick(2000);
  assert.deepEqual([...candidates(socket), ...candidates(next)], range(0, 25));
  client.close();
});

test('a signal rejected with RATE_LIMITED is sent again after a back-off, without an error event', async (t) => {
  const { client, socket } = await connected(t);
  const errors: string[] = [];
  client.on('error', (error) => errors.push(error.code));
  client.send(signal(0));
  client.send(signal(1));
  const [first] = socket.sent.filter((m) => m['type'] === 'signal');
  assert.equal(typeof first?.['requestId'], 'string');
  socket.receive({ type: 'error', code: 'RATE_LIMITED', message: 'slow down', requestId: first?.['requestId'] });
  client.send(signal(2));
  assert.deepEqual(candidates(socket), ['c0', 'c1']);
  t.mock.timers.tick(RATE_LIMITED_BACKOFF_MS + 200);
  assert.deepEqual(candidates(socket), ['c0', 'c1', 'c0', 'c2']);
  assert.deepEqual(errors, []);
  client.close();
});

test('a request rejected with RATE_LIMITED is sent again and still resolves', async (t) => {
  const { client, socket } = await connected(t);
  const reply = client.request({ type: 'leave' }, 'left', 5000);
  const sent = socket.lastSent();
  socket.receive({ type: 'error', code: 'RATE_LIMITED', message: 'slow down', requestId: sent['requestId'] });
  t.mock.timers.tick(RATE_LIMITED_BACKOFF_MS + 200);
  const again = socket.lastSent();
  assert.equal(again['type'], 'leave');
  assert.equal(again['requestId'], sent['requestId']);
  socket.receive({ type: 'left', room: 'x', requestId: sent['requestId'] });
  assert.equal((await reply).type, 'left');
  client.close();
});
