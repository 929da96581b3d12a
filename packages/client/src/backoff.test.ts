import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay } from './backoff.js';

test('grows exponentially up to the cap', () => {
  const noJitter = { initialMs: 100, maxMs: 1000, jitter: 0 };
  assert.deepEqual(
    [0, 1, 2, 3, 4, 10].map((n) => backoffDelay(n, noJitter)),
    [100, 200, 400, 800, 1000, 1000],
  );
});

test('jitter stays within [base*(1-j), base]', () => {
  const options = { initialMs: 1000, maxMs: 1000, jitter: 0.5 };
  assert.equal(
    backoffDelay(0, options, () => 0),
    500,
  );
  assert.equal(
    backoffDelay(0, options, () => 1),
    1000,
  );
  for (let i = 0; i < 100; i++) {
    const delay = backoffDelay(3, options);
    assert.ok(delay >= 500 && delay <= 1000);
  }
});
