import assert from 'node:assert/strict';
import { afterEach, beforeEach, test, type TestContext } from 'node:test';
import { RendezvousError } from '@rendezvous/protocol';
import {
  CALL_ID,
  CALL_ROOM,
  OTHER,
  SELF,
  joinedCallRoom,
  lastRequest,
  otherInfo,
  phone,
  sentTypes,
} from './call-client.test-util.js';
import type { CallClient } from './call-client.js';
import type { ActiveCall, IncomingCall, OutgoingCall } from './calls.js';
import { settle } from './fake-timers.test-util.js';
import { FakeWebSocket } from './fake-websocket.test-util.js';

beforeEach(() => FakeWebSocket.reset());
afterEach(() => FakeWebSocket.reset());

const isCode = (code: string) => (error: unknown) => error instanceof RendezvousError && error.code === code;

/** Ada calls Bob and Bob's client is ringing. */
async function ringing(t: TestContext): Promise<{ client: CallClient; socket: FakeWebSocket; call: OutgoingCall }> {
  const { client, socket } = await phone(t);
  const placed = client.call(OTHER);
  socket.receive({ type: 'call-ringing', callId: CALL_ID, to: otherInfo, requestId: lastRequest(socket, 'call') });
  return { client, socket, call: await placed };
}

/** Bob calls Ada: the incoming call, and what it reported. */
async function incoming(
  t: TestContext,
): Promise<{ client: CallClient; socket: FakeWebSocket; call: IncomingCall; ended: string[] }> {
  const { client, socket } = await phone(t);
  const calls: IncomingCall[] = [];
  client.on('incoming', (call) => calls.push(call));
  socket.receive({ type: 'incoming-call', callId: CALL_ID, from: otherInfo });
  const call = calls[0];
  assert.ok(call !== undefined && calls.length === 1, 'one incoming event');
  const ended: string[] = [];
  call.on('ended', (reason) => ended.push(reason));
  return { client, socket, call, ended };
}

/** Ada's outgoing call is accepted; the call's room is set up. */
async function active(t: TestContext): Promise<{ socket: FakeWebSocket; call: ActiveCall }> {
  const { socket, call: outgoing } = await ringing(t);
  const accepted: ActiveCall[] = [];
  outgoing.on('accepted', (call) => accepted.push(call));
  socket.receive({ type: 'call-accepted', callId: CALL_ID, room: CALL_ROOM });
  assert.deepEqual([...accepted], [], 'not active before the room is joined');
  socket.receive(joinedCallRoom());
  const call = accepted[0];
  assert.ok(call !== undefined && accepted.length === 1);
  assert.equal(call.room.name, CALL_ROOM);
  return { socket, call };
}

test('a busy callee: call() resolves with a call that has ended, and a listener added then hears busy', async (t) => {
  const { client, socket } = await phone(t);
  const placed = client.call(OTHER);
  socket.receive({ type: 'call-ended', callId: CALL_ID, reason: 'busy', requestId: lastRequest(socket, 'call') });
  const call = await placed;
  assert.equal(call.endReason, 'busy');
  const heard: string[] = [];
  call.on('ended', (reason) => heard.push(reason));
  assert.deepEqual(heard, ['busy'], 'heard at once, without waiting for a timer');
  call.once('ended', (reason) => heard.push(`once:${reason}`));
  call.cancel();
  assert.deepEqual(heard, ['busy', 'once:busy']);
  assert.deepEqual(sentTypes(socket), ['call'], 'a call that is over is not cancelled on the server');
});

test('an accepted call ends when the other side hangs up; its room has closed by then', async (t) => {
  const { socket, call } = await active(t);
  const order: string[] = [];
  call.room.on('state', (state) => order.push(`room:${state} (call ended: ${call.ended})`));
  call.on('ended', (reason, by) => order.push(`call:${reason} by ${by}`));
  socket.receive({ type: 'call-ended', callId: CALL_ID, reason: 'hangup', by: OTHER });
  assert.deepEqual(order, ['room:closed (call ended: true)', `call:hangup by ${OTHER}`]);
});

test('hangUp() tells the server and ends the call as ours; a second one does nothing', async (t) => {
  const { socket, call } = await active(t);
  const ended: unknown[] = [];
  call.on('ended', (reason, by) => ended.push([reason, by]));
  await call.hangUp();
  await call.hangUp();
  assert.deepEqual(ended, [['hangup', SELF]]);
  assert.equal(call.room.state, 'closed');
  assert.deepEqual(sentTypes(socket), ['call', 'call-hangup']);
});

test('a room that is left on its own ends its call as disconnected', async (t) => {
  const { socket, call } = await active(t);
  const ended: string[] = [];
  call.on('ended', (reason) => ended.push(reason));
  socket.receive({ type: 'left', room: CALL_ROOM });
  assert.deepEqual(ended, ['disconnected']);
});

test('cancel() stops ringing; a call-accepted that crossed it is hung up', async (t) => {
  const { socket, call } = await ringing(t);
  const heard: string[] = [];
  call.on('ended', (reason) => heard.push(reason));
  call.on('accepted', () => heard.push('accepted'));
  call.cancel();
  assert.deepEqual(heard, ['cancelled']);
  socket.receive({ type: 'call-accepted', callId: CALL_ID, room: CALL_ROOM });
  socket.receive(joinedCallRoom());
  assert.deepEqual(heard, ['cancelled'], 'never accepted');
  assert.deepEqual(sentTypes(socket), ['call', 'call-cancel', 'call-hangup']);
});

test('reject() declines once; the call can no longer be accepted', async (t) => {
  const { socket, call, ended } = await incoming(t);
  call.reject();
  call.reject();
  assert.deepEqual(ended, ['rejected']);
  assert.deepEqual(sentTypes(socket), ['call-reject']);
  await assert.rejects(call.accept(), isCode('INVALID_STATE'));
});

test('accept() resolves with the call once its room is joined', async (t) => {
  const { socket, call, ended } = await incoming(t);
  const accepting = call.accept();
  call.reject(); // too late: accepting
  socket.receive({ type: 'call-accepted', callId: CALL_ID, room: CALL_ROOM, requestId: lastRequest(socket, 'call-accept') });
  socket.receive(joinedCallRoom());
  const activeCall = await accepting;
  assert.equal(activeCall.remote.peerId, OTHER);
  assert.equal(activeCall.room.state, 'joined');
  assert.deepEqual(ended, []);
});

test('the caller cancels while we accept: accept() rejects, the call ends once as cancelled', async (t) => {
  const { socket, call, ended } = await incoming(t);
  const accepting = call.accept();
  const requestId = lastRequest(socket, 'call-accept');
  socket.receive({ type: 'call-ended', callId: CALL_ID, reason: 'cancelled', by: OTHER });
  socket.receive({ type: 'error', code: 'CALL_NOT_FOUND', message: 'No such call', requestId });
  await assert.rejects(accepting, isCode('CALL_NOT_FOUND'));
  assert.deepEqual(ended, ['cancelled']);
});

test('accept() times out when no call room comes; a late call-accepted is hung up, no room is made', async (t) => {
  const { client, socket, call, ended } = await incoming(t);
  const accepting = call.accept();
  const requestId = lastRequest(socket, 'call-accept');
  const outcome = accepting.then(
    () => 'resolved',
    (error: unknown) => (error instanceof RendezvousError ? error.code : 'other'),
  );
  t.mock.timers.tick(9_999);
  await settle();
  assert.deepEqual(ended, [], 'still accepting just before the timeout');
  t.mock.timers.tick(1);
  assert.equal(await outcome, 'TIMEOUT');
  assert.deepEqual(ended, ['disconnected']);
  const listening = client.signaling.listenerCount('message');
  socket.receive({ type: 'call-accepted', callId: CALL_ID, room: CALL_ROOM, requestId });
  socket.receive(joinedCallRoom());
  assert.deepEqual(sentTypes(socket), ['call-accept', 'call-hangup']);
  assert.equal(client.signaling.listenerCount('message'), listening, 'no room listens to the session');
});

test('accepted by the server but the room never joined: the timeout hangs the call up', async (t) => {
  const { socket, call, ended } = await incoming(t);
  const accepting = call.accept();
  socket.receive({ type: 'call-accepted', callId: CALL_ID, room: CALL_ROOM, requestId: lastRequest(socket, 'call-accept') });
  t.mock.timers.tick(10_000);
  await assert.rejects(accepting, isCode('TIMEOUT'));
  assert.deepEqual(ended, ['disconnected']);
  assert.deepEqual(sentTypes(socket), ['call-accept', 'call-hangup']);
});

test('a closed session ends every call as disconnected', async (t) => {
  const { client, socket, call: outgoing } = await ringing(t);
  const ended: string[] = [];
  outgoing.on('ended', (reason) => ended.push(`outgoing ${reason}`));
  client.on('incoming', (call) => call.on('ended', (reason) => ended.push(`incoming ${reason}`)));
  socket.receive({ type: 'incoming-call', callId: 'call-0002', from: otherInfo });
  socket.drop(1008);
  assert.deepEqual(ended, ['outgoing disconnected', 'incoming disconnected']);
});
