import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NackTracker } from './nack-tracker.js';

test('a gap is NACKed at once, again after the retry interval, until it arrives', () => {
  const nacks = new NackTracker({ retryIntervalMs: 50 });
  nacks.onPacket(10, 0);
  nacks.onPacket(11, 5);
  assert.deepEqual(nacks.due(5), [], 'no gap');
  nacks.onPacket(14, 10);
  assert.equal(nacks.size, 2);
  assert.deepEqual(nacks.due(10), [12, 13]);
  assert.deepEqual(nacks.due(30), [], 'too soon to ask again');
  nacks.onPacket(12, 40); // retransmission arrives
  assert.deepEqual(nacks.due(60), [13]);
  nacks.onPacket(13, 70);
  assert.deepEqual(nacks.due(200), []);
  assert.equal(nacks.size, 0);
  assert.equal(nacks.gaveUp, 0);
});

test('gives up after maxRetries tries or maxAgeMs', () => {
  const byTries = new NackTracker({ retryIntervalMs: 10, maxRetries: 2, maxAgeMs: 10_000 });
  byTries.onPacket(1, 0);
  byTries.onPacket(3, 0);
  assert.deepEqual(byTries.due(0), [2]);
  assert.deepEqual(byTries.due(10), [2]);
  assert.deepEqual(byTries.due(20), []);
  assert.equal(byTries.size, 0);
  assert.equal(byTries.gaveUp, 1);

  const byAge = new NackTracker({ retryIntervalMs: 10, maxAgeMs: 100 });
  byAge.onPacket(1, 0);
  byAge.onPacket(3, 0);
  assert.deepEqual(byAge.due(100), [2]);
  assert.deepEqual(byAge.due(101), []);
  assert.equal(byAge.gaveUp, 1);
});

test('gaps across the 16-bit wrap; reordered packets are not gaps', () => {
  const nacks = new NackTracker();
  nacks.onPacket(65533, 0);
  nacks.onPacket(1, 0);
  assert.deepEqual(nacks.due(0), [65534, 65535, 0]);
  nacks.onPacket(65535, 1);
  nacks.onPacket(0, 1);
  assert.deepEqual(nacks.due(200), [65534]);
  nacks.onPacket(2, 2);
  nacks.onPacket(65530, 3); // very late, long given up: no effect
  assert.equal(nacks.size, 1);
});

test('bounded: a gap beyond maxMissing clears the list, and the oldest entries are dropped first', () => {
  const nacks = new NackTracker({ maxMissing: 3 });
  nacks.onPacket(0, 0);
  nacks.onPacket(3, 0);
  nacks.onPacket(6, 0); // missing 1, 2, 4, 5 → 1 dropped
  assert.equal(nacks.size, 3);
  assert.deepEqual(nacks.due(0), [2, 4, 5]);
  nacks.onPacket(100, 0);
  assert.equal(nacks.size, 0);
  assert.equal(nacks.gaveUp, 1 + 3 + 93);
  nacks.onPacket(102, 0);
  assert.deepEqual(nacks.due(1000), [101], 'tracking resumes from the jump');
});

test('reset forgets everything', () => {
  const nacks = new NackTracker();
  nacks.onPacket(1, 0);
  nacks.onPacket(5, 0);
  nacks.reset();
  nacks.onPacket(9, 0);
  assert.deepEqual(nacks.due(0), []);
});
