import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { RendezvousError } from '@rendezvous/protocol';
import { FakeWebSocket, tick, welcome } from './fake-websocket.test-util.js';
import { SignalingClient } from './signaling-client.js';

const options = { displayName: 'Ada', WebSocketImpl: FakeWebSocket, reconnect: false as const };

async function connected(): Promise<{ client: SignalingClient; socket: FakeWebSocket }> {
  const promise = SignalingClient.connect('ws://test/ws', options);
  await tick();
  const socket = FakeWebSocket.last();
  socket.receive(welcome());
  return { client: await promise, socket };
}

beforeEach(() => FakeWebSocket.reset());
afterEach(() => FakeWebSocket.reset());

test('a rejected request carries the wire detail and request id', async () => {
  const { client, socket } = await connected();
  const errors: RendezvousError[] = [];
  client.on('error', (error) => errors.push(error));
  const join = client.request({ type: 'join', room: 'full' }, 'joined');
  const requestId = socket.lastSent()['requestId'] as string;
  socket.receive({ type: 'error', code: 'ROOM_FULL', message: '6 of 6', requestId, detail: { size: 6, capacity: 6 } });
  await assert.rejects(join, (error: unknown) => {
    assert.ok(error instanceof RendezvousError);
    assert.deepEqual([error.code, error.requestId, error.detail], ['ROOM_FULL', requestId, { size: 6, capacity: 6 }]);
    return true;
  });
  assert.deepEqual(errors, [], 'an answered error is not also emitted');
  client.close();
});

test('an error no request waits for is emitted with its detail; one without detail has none', async () => {
  const { client, socket } = await connected();
  const errors: RendezvousError[] = [];
  client.on('error', (error) => errors.push(error));
  socket.receive({ type: 'error', code: 'ROOM_FULL', message: 'x', requestId: 'stale', detail: { size: 2, capacity: 2 } });
  socket.receive({ type: 'error', code: 'NOT_IN_ROOM', message: 'Join a room first.' });
  assert.deepEqual(
    errors.map((e) => [e.code, e.requestId, e.detail]),
    [
      ['ROOM_FULL', 'stale', { size: 2, capacity: 2 }],
      ['NOT_IN_ROOM', undefined, undefined],
    ],
  );
  client.close();
});
