import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TypedEmitter } from './typed-emitter.js';

type Events = { ping: [n: number]; pong: [] };

test('on/off/once deliver in order and unsubscribe', () => {
  const emitter = new TypedEmitter<Events>();
  const seen: string[] = [];
  const off = emitter.on('ping', (n) => seen.push(`a${n}`));
  emitter.once('ping', (n) => seen.push(`once${n}`));
  const b = (n: number): void => void seen.push(`b${n}`);
  emitter.on('ping', b);
  assert.equal(emitter.emit('ping', 1), true);
  off();
  emitter.off('ping', b);
  emitter.emit('ping', 2);
  assert.deepEqual(seen, ['a1', 'once1', 'b1']);
  assert.equal(emitter.listenerCount('ping'), 0);
  assert.equal(emitter.emit('pong'), false);
});

test('a throwing listener is reported and does not stop the others', (t) => {
  const emitter = new TypedEmitter<Events>();
  const errors = t.mock.method(console, 'error', () => undefined);
  const seen: number[] = [];
  emitter.on('ping', () => {
    throw new Error('boom');
  });
  emitter.on('ping', (n) => seen.push(n));
  assert.doesNotThrow(() => emitter.emit('ping', 7));
  assert.deepEqual(seen, [7]);
  assert.equal(errors.mock.callCount(), 1);
});

test('once can be removed by off with the original listener; listeners added during emit wait', () => {
  const emitter = new TypedEmitter<Events>();
  let calls = 0;
  const listener = (): void => void calls++;
  emitter.once('pong', listener);
  emitter.off('pong', listener);
  emitter.on('pong', () => {
    emitter.on('pong', listener);
  });
  emitter.emit('pong');
  assert.equal(calls, 0);
  emitter.emit('pong');
  assert.equal(calls, 1);
  emitter.removeAllListeners();
  assert.equal(emitter.listenerCount('pong'), 0);
});
