import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '@rendezvous/common';
import { ProgressMeter, type RecordingProgress } from './progress-meter.js';

test('reports elapsed time and bytes every second while running, then freezes', () => {
  const clock = new FakeClock(5_000);
  const reports: RecordingProgress[] = [];
  const meter = new ProgressMeter(clock, (progress) => reports.push(progress));
  assert.equal(meter.elapsedMs, 0);
  meter.start();
  clock.advance(400);
  meter.addBytes(1000);
  assert.deepEqual(meter.progress, { elapsedMs: 400, bytes: 1000 });
  clock.advance(1600);
  meter.addBytes(24);
  clock.advance(1000);
  assert.deepEqual(reports, [
    { elapsedMs: 1000, bytes: 1000 },
    { elapsedMs: 2000, bytes: 1000 },
    { elapsedMs: 3000, bytes: 1024 },
  ]);
  clock.advance(250);
  assert.equal(meter.stop(), 3250);
  clock.advance(5000);
  assert.equal(reports.length, 3, 'no report after stop');
  assert.equal(meter.elapsedMs, 3250);
  assert.equal(meter.stop(), 3250);
  assert.equal(clock.pending, 0);
});

test('start is idempotent: one timer, the first start time', () => {
  const clock = new FakeClock();
  const meter = new ProgressMeter(clock, () => undefined);
  meter.start();
  clock.advance(500);
  meter.start();
  assert.equal(clock.pending, 1);
  clock.advance(500);
  assert.equal(meter.elapsedMs, 1000);
});
