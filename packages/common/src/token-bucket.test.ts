import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fullCount, takeTokens, TokenBucket } from './token-bucket.js';

describe('TokenBucket', { timeout: 60_000 }, () => {
  it('allows a burst, then refills at the given rate, never above the burst', () => {
    let now = 1_000;
    const bucket = new TokenBucket(10, 3, () => now);
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
    now += 100; // one token
    assert.deepEqual([bucket.take(), bucket.take()], [true, false]);
    now += 60_000; // refill caps at the burst
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
  });

  it('takes many tokens at once, or none when fewer are there', () => {
    let now = 0;
    const rate = { perSecond: 1000, burst: 1000, now: () => now };
    const count = fullCount(rate);
    assert.equal(takeTokens(rate, count, 600), true);
    assert.equal(takeTokens(rate, count, 600), false);
    assert.equal(count.tokens, 400);
    now += 200; // 200 more
    assert.equal(takeTokens(rate, count, 600), true);
    assert.equal(count.tokens, 0);
  });

  it('ignores a clock that goes backwards', () => {
    let now = 5_000;
    const bucket = new TokenBucket(1, 1, () => now);
    assert.equal(bucket.take(), true);
    now = 0;
    assert.equal(bucket.take(), false);
  });

  it('buckets made from one shared rate keep their own tokens', () => {
    let now = 0;
    const rate = { perSecond: 10, burst: 2, now: () => now };
    const a = new TokenBucket(rate);
    const b = new TokenBucket(rate);
    assert.deepEqual([a.take(), a.take(), a.take()], [true, true, false]);
    assert.deepEqual([b.take(), b.take(), b.take()], [true, true, false]);
    now += 100;
    assert.deepEqual([a.take(), a.take(), b.take()], [true, false, true]);
  });
});
