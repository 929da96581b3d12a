import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prng } from './prng.js';

test('prng: the same seed gives the same sequence, another seed another; values lie in [0, 1) and spread out', () => {
  const a = prng(42);
  const b = prng(42);
  const first = Array.from({ length: 5 }, () => a());
  assert.deepEqual(
    first,
    Array.from({ length: 5 }, () => b()),
  );
  assert.notDeepEqual(first, Array.from({ length: 5 }, prng(43)));
  const random = prng(7);
  const buckets = new Array<number>(10).fill(0);
  for (let i = 0; i < 10_000; i++) {
    const x = random();
    assert.ok(x >= 0 && x < 1);
    buckets[Math.floor(x * 10)]! += 1;
  }
  for (const count of buckets) {
    assert.ok(count > 850 && count < 1150, `bucket ${count}`);
  }
});
