import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RendezvousError } from '@rendezvous/protocol';
import { describeError, roomFullTitle } from './errors-text.js';

test('roomFullTitle reads the counts from the error detail, not from its message', () => {
  const full = new RendezvousError('ROOM_FULL', 'whatever prose', { detail: { size: 6, capacity: 6 } });
  assert.equal(roomFullTitle(full), 'This room is full (6 of 6)');
  assert.equal(roomFullTitle(new RendezvousError('ROOM_FULL', '6 of 6')), 'This room is full');
  assert.equal(roomFullTitle(new RendezvousError('ROOM_FULL', 'x', { detail: { size: '6', capacity: 6 } })), 'This room is full');
  assert.equal(roomFullTitle(new Error('3 of 4')), 'This room is full');
});

test('describeError uses the app text for a known code and the catalog for the rest', () => {
  assert.equal(describeError(new RendezvousError('ROOM_FULL')).title, 'This room is full');
  assert.deepEqual(describeError(new RendezvousError('DATA_TOO_LARGE', 'too big')), {
    code: 'DATA_TOO_LARGE',
    title: 'The data message is larger than the size limit.',
    detail: 'too big',
  });
  assert.equal(describeError('nope').code, null);
});
