import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SlidingLimit } from './hands-rate.js';

test('allows max uses per window, then waits until the oldest one leaves the window', () => {
  let now = 1000;
  const limit = new SlidingLimit(5, 3000, () => now);
  for (let i = 0; i < 5; i++) {
    assert.equal(limit.take(), true, `use ${i + 1}`);
    now += 100;
  }
  assert.equal(limit.take(), false, 'the sixth within 3 s is refused');
  assert.equal(limit.waitMs(), 1000 + 3000 - 1500);
  now = 3999;
  assert.equal(limit.take(), false, 'still inside the window of the first use');
  now = 4000;
  assert.equal(limit.waitMs(), 0);
  assert.equal(limit.take(), true, 'the first use left the window');
  assert.equal(limit.take(), false, 'only one slot was freed');
});

test('a refused use is not counted', () => {
  let now = 0;
  const limit = new SlidingLimit(1, 1000, () => now);
  assert.equal(limit.take(), true);
  now = 500;
  assert.equal(limit.take(), false);
  now = 1000;
  assert.equal(limit.take(), true, 'the refused attempt at 500 did not push the window');
});
