import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from './fake-clock.js';

describe('FakeClock', { timeout: 60_000 }, () => {
  it('starts at 0 or at the given time, and moves only through advance()', () => {
    assert.equal(new FakeClock().now(), 0);
    const clock = new FakeClock(1_800_000_000_000);
    assert.equal(clock.now(), 1_800_000_000_000);
    clock.advance(250);
    assert.equal(clock.now(), 1_800_000_000_250);
  });

  it('runs due timers earliest first, each at its own time', () => {
    const clock = new FakeClock();
    const runs: string[] = [];
    clock.setTimeout(() => runs.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => runs.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => runs.push('late'), 31);
    clock.advance(30);
    assert.deepEqual(runs, ['a@10', 'b@20']);
    assert.equal(clock.now(), 30);
    assert.equal(clock.pending, 1);
  });

  it('repeats intervals until cleared, and clears timeouts', () => {
    const clock = new FakeClock();
    let ticks = 0;
    const interval = clock.setInterval(() => ticks++, 10);
    const timeout = clock.setTimeout(() => assert.fail('cleared timeout ran'), 5);
    clock.clearTimeout(timeout);
    clock.advance(35);
    assert.equal(ticks, 3);
    clock.clearInterval(interval);
    clock.advance(100);
    assert.equal(ticks, 3);
    assert.equal(clock.pending, 0);
  });

  it('runs timers that timers schedule within the same advance()', () => {
    const clock = new FakeClock();
    const runs: number[] = [];
    clock.setTimeout(() => clock.setTimeout(() => runs.push(clock.now()), 5), 5);
    clock.advance(10);
    assert.deepEqual(runs, [10]);
  });
});
