import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '@rendezvous/common';
import { RATE_WINDOW_MS } from './limits.js';
import { ProgressMeter } from './progress.js';

test('rate is measured over the sliding window; time left follows from it', () => {
  const clock = new FakeClock(0);
  const meter = new ProgressMeter(10_000, clock);
  assert.deepEqual(meter.update(0), { bytes: 0, total: 10_000, percent: 0, rate: 0, secondsLeft: null });
  clock.advance(1000);
  meter.update(1000); // 1000 B/s so far
  clock.advance(1000);
  const p = meter.update(2000);
  assert.equal(p.rate, 1000);
  assert.equal(p.percent, 20);
  assert.equal(p.secondsLeft, 8);
  // Much faster now: after the window passes, the old slow samples no longer count.
  for (let t = 0; t < RATE_WINDOW_MS + 1000; t += 500) {
    clock.advance(500);
    meter.update(meter.bytes + 1000);
  }
  assert.equal(meter.snapshot().rate, 2000);
});
