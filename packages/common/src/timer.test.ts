import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from './fake-clock.js';
import { Timer } from './timer.js';

describe('Timer', () => {
  it('runs once when due; start() replaces the pending timeout; stop() is idempotent', () => {
    const clock = new FakeClock();
    const timer = new Timer(clock);
    const runs: string[] = [];
    timer.start(100, () => runs.push('first'));
    timer.start(50, () => runs.push('second'));
    assert.equal(clock.pending, 1, 'the first timeout was cleared');
    clock.advance(50);
    assert.deepEqual(runs, ['second']);
    assert.equal(timer.active, false);
    clock.advance(100);
    assert.deepEqual(runs, ['second']);
    timer.start(10, () => runs.push('third'));
    timer.stop();
    timer.stop();
    clock.advance(10);
    assert.deepEqual(runs, ['second']);
    assert.equal(clock.pending, 0);
  });
});
