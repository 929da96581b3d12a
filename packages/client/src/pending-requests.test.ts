import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RendezvousError, type ServerMessage } from '@rendezvous/protocol';
import { PendingRequests } from './pending-requests.js';

const reply = (type: string, requestId: string): ServerMessage => ({ type, requestId }) as unknown as ServerMessage;
const errorReply = (requestId: string): ServerMessage =>
  ({ type: 'error', code: 'ROOM_FULL', message: 'full', requestId }) as unknown as ServerMessage;

test('a reply of an expected type resolves it; other types leave it waiting; its timer goes with it', async (t) => {
  const live = new Set<object>();
  t.mock.method(globalThis, 'setTimeout', () => {
    const handle = {};
    live.add(handle);
    return handle;
  });
  t.mock.method(globalThis, 'clearTimeout', (handle: object) => live.delete(handle));
  const requests = new PendingRequests();
  const answer = requests.wait('r1', ['joined'], 'join', 1000);
  assert.equal(requests.answer('r1', reply('peer-joined', 'r1')), true, 'ours, though not the reply yet');
  assert.equal(requests.size, 1);
  assert.equal(requests.answer('r2', reply('joined', 'r2')), false, 'no such request');
  assert.equal(requests.answer(undefined, reply('joined', 'r1')), false);
  requests.answer('r1', reply('joined', 'r1'));
  assert.equal((await answer).type, 'joined');
  assert.equal(requests.size, 0);
  assert.equal(live.size, 0, 'no timer left behind');
});

test('an error reply, a timeout, a failed send and rejectAll each reject exactly the requests they concern', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const requests = new PendingRequests();
  const refused = requests.wait('a', ['joined'], 'join', 1000);
  const late = requests.wait('b', ['joined'], 'join', 1000);
  const unsent = requests.wait('c', ['joined'], 'join', 5000);
  const dropped = requests.wait('d', ['joined'], 'join', 5000);
  requests.answer('a', errorReply('a'));
  await assert.rejects(refused, (error: RendezvousError) => error.code === 'ROOM_FULL' && error.requestId === 'a');
  t.mock.timers.tick(1000);
  await assert.rejects(late, (error: RendezvousError) => error.code === 'TIMEOUT' && /join within 1000 ms/.test(error.message));
  requests.reject('c', new RendezvousError('SIGNALING_CLOSED'));
  await assert.rejects(unsent, { code: 'SIGNALING_CLOSED' });
  assert.equal(requests.size, 1);
  requests.rejectAll(new RendezvousError('RESUME_FAILED'));
  await assert.rejects(dropped, (error: RendezvousError) => error.code === 'RESUME_FAILED' && error.requestId === 'd');
  assert.equal(requests.size, 0);
});
