import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzzSeed } from './fuzz-seed.js';

test('fuzzSeed: the fixed seed by default, a given one to replay, a fresh one only on request', () => {
  assert.equal(fuzzSeed(1234, undefined), 1234);
  assert.equal(fuzzSeed(1234, ''), 1234);
  assert.equal(fuzzSeed(1234, '99'), 99);
  const random = new Set([fuzzSeed(1234, 'random'), fuzzSeed(1234, 'random'), fuzzSeed(1234, 'random')]);
  assert.ok(random.size > 1 && ![...random].some((seed) => seed === 0 || !Number.isInteger(seed)));
  assert.throws(() => fuzzSeed(1234, 'soon'), /FUZZ_SEED must be an integer or "random"/);
});
