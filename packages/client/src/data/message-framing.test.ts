import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RendezvousError } from '@rendezvous/protocol';
import { MAX_MESSAGE_BYTES } from './limits.js';
import { decodeMessage, encodeMessage, type Decoded } from './message-framing.js';

function roundTrip(data: Parameters<typeof encodeMessage>[0]): unknown {
  const decoded = decodeMessage('p1', encodeMessage(data).data);
  assert.ok(decoded.ok, 'decodes');
  return decoded.message;
}

function failure(decoded: Decoded): RendezvousError {
  assert.equal(decoded.ok, false);
  return decoded.error;
}

test('strings come back as strings, bytes as an ArrayBuffer, other values as their JSON', () => {
  assert.equal(roundTrip('héllo'), 'héllo');
  assert.equal(roundTrip(''), '');
  assert.equal(roundTrip('{"not":"json"}'), '{"not":"json"}');
  assert.deepEqual(roundTrip({ a: [1, 'x', null], b: true }), { a: [1, 'x', null], b: true });
  assert.equal(roundTrip(42), 42);
  assert.equal(roundTrip(null), null);
  const bytes = roundTrip(new Uint8Array([9, 8, 7]).subarray(1));
  assert.ok(bytes instanceof ArrayBuffer);
  assert.deepEqual([...new Uint8Array(bytes)], [8, 7]);
  assert.deepEqual([...new Uint8Array(roundTrip(new Uint8Array([1, 2]).buffer) as ArrayBuffer)], [1, 2]);
});

test('a message over MAX_MESSAGE_BYTES throws DATA_TOO_LARGE with its size and the limit, counted in UTF-8', () => {
  assert.doesNotThrow(() => encodeMessage('x'.repeat(MAX_MESSAGE_BYTES)));
  const tooMany = 'é'.repeat(MAX_MESSAGE_BYTES / 2 + 1); // two bytes each
  assert.throws(
    () => encodeMessage(tooMany),
    (error: unknown) =>
      error instanceof RendezvousError &&
      error.code === 'DATA_TOO_LARGE' &&
      error.detail?.size === MAX_MESSAGE_BYTES + 2 &&
      error.detail.limit === MAX_MESSAGE_BYTES,
  );
  assert.throws(() => encodeMessage(new Uint8Array(MAX_MESSAGE_BYTES + 1)), { code: 'DATA_TOO_LARGE' });
  assert.throws(() => encodeMessage({ big: 'x'.repeat(MAX_MESSAGE_BYTES) }), { code: 'DATA_TOO_LARGE' });
});

test('values without a JSON form are a TypeError', () => {
  assert.throws(() => encodeMessage(undefined as unknown as null), TypeError);
  assert.throws(() => encodeMessage({ n: 1n }), TypeError);
  assert.throws(() => encodeMessage(new Blob(['x'])), TypeError);
});

test('hostile frames decode to typed errors, never a throw', () => {
  assert.equal(failure(decodeMessage('p1', 'xhello')).code, 'BAD_MESSAGE');
  assert.equal(failure(decodeMessage('p1', '')).code, 'BAD_MESSAGE');
  assert.equal(failure(decodeMessage('p1', 'j{bad')).code, 'BAD_MESSAGE');
  assert.equal(failure(decodeMessage('p1', new ArrayBuffer(0))).code, 'BAD_MESSAGE');
  assert.equal(failure(decodeMessage('p1', new Uint8Array([0x00, 1]).buffer)).code, 'BAD_MESSAGE');
  assert.equal(failure(decodeMessage('p1', 12)).code, 'BAD_MESSAGE');
  assert.equal(failure(decodeMessage('p1', 's' + 'x'.repeat(MAX_MESSAGE_BYTES + 1))).code, 'DATA_TOO_LARGE');
  assert.equal(failure(decodeMessage('p1', new ArrayBuffer(MAX_MESSAGE_BYTES + 2))).code, 'DATA_TOO_LARGE');
  const error = failure(decodeMessage('p1', 'q'));
  assert.equal(error.detail?.peerId, 'p1');
});
