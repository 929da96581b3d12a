import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERROR_CATALOG, ERROR_CODES, RendezvousError, errorFromWire, isFinalError } from './errors.js';

test('RendezvousError carries a frozen copy of its structured detail', () => {
  const given = { size: 8, capacity: 8 };
  const error = new RendezvousError('ROOM_FULL', 'full', { detail: given, requestId: 'r1' });
  given.size = 1;
  assert.deepEqual(error.detail, { size: 8, capacity: 8 });
  assert.ok(Object.isFrozen(error.detail));
  assert.equal(error.requestId, 'r1');
  assert.equal(new RendezvousError('ROOM_FULL').detail, undefined);
  assert.equal(new RendezvousError('ROOM_FULL').message, ERROR_CATALOG.ROOM_FULL.message);
});

test('only CONNECTION_RETRYING is not final', () => {
  assert.deepEqual(
    ERROR_CODES.filter((code) => !isFinalError(code)),
    ['CONNECTION_RETRYING'],
  );
  assert.equal(new RendezvousError('CONNECTION_RETRYING').final, false);
  assert.equal(new RendezvousError('CONNECTION_FAILED').final, true);
});

test('errorFromWire keeps the code, message, request id and detail of an error message', () => {
  const error = errorFromWire({ code: 'ROOM_FULL', message: '6 of 6', requestId: 'j1', detail: { size: 6, capacity: 6 } });
  assert.ok(error instanceof RendezvousError);
  assert.deepEqual(
    [error.code, error.message, error.requestId, error.detail],
    ['ROOM_FULL', '6 of 6', 'j1', { size: 6, capacity: 6 }],
  );
  const bare = errorFromWire({ code: 'NOT_IN_ROOM', message: 'Join a room first.' });
  assert.deepEqual([bare.requestId, bare.detail], [undefined, undefined]);
});
