import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyedRateLimiter } from './rate-limiter.js';

test('per key: the limit passes, one more is refused with Retry-After, and a minute refills it', () => {
  let now = 1_000_000;
  const limiter = new KeyedRateLimiter(3, { now: () => now });
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(limiter.take('a'), { ok: true });
  }
  assert.deepEqual(limiter.take('a'), { ok: false, retryAfterSeconds: 20 });
  assert.deepEqual(limiter.take('b'), { ok: true }, 'another key is untouched');
  now += 20_000;
  assert.deepEqual(limiter.take('a'), { ok: true });
  now += 60_000;
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(limiter.take('a'), { ok: true });
  }
  assert.equal(limiter.take('a').ok, false);
});

test('the map of keys is bounded: past maxKeys the least recently seen key is forgotten', () => {
  const limiter = new KeyedRateLimiter(1, { maxKeys: 100, now: () => 0 });
  assert.equal(limiter.take('keep').ok, true);
  for (let i = 0; i < 10_000; i++) {
    limiter.take(`flood-${i}`);
    if (i % 50 === 0) {
      assert.equal(limiter.take('keep').ok, false, 'a recently seen key stays limited');
    }
  }
  assert.equal(limiter.size, 100);
});

test('peek says whether a token is there without spending it (a budget of failures: look first, take on failure)', () => {
  let now = 0;
  const limiter = new KeyedRateLimiter(2, { now: () => now });
  assert.deepEqual(limiter.peek('a'), { ok: true });
  assert.deepEqual(limiter.peek('a'), { ok: true });
  limiter.take('a');
  limiter.take('a');
  assert.deepEqual(limiter.peek('a'), { ok: false, retryAfterSeconds: 30 });
  now += 30_000;
  assert.deepEqual(limiter.peek('a'), { ok: true });
});
