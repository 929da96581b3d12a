import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { realClock } from './clock.js';
import { silentLogger } from './logger.js';

describe('realClock', { timeout: 60_000 }, () => {
  it('reads Date.now() and runs and clears real timers', async () => {
    const before = Date.now();
    assert.ok(realClock.now() >= before);
    const cleared = realClock.setTimeout(() => assert.fail('cleared timeout ran'), 0);
    realClock.clearTimeout(cleared);
    let ticks = 0;
    await new Promise<void>((resolve) => {
      const interval = realClock.setInterval(() => {
        if (++ticks === 2) {
          realClock.clearInterval(interval);
          resolve();
        }
      }, 1);
    });
    await new Promise<void>((resolve) => realClock.setTimeout(resolve, 0));
    assert.equal(ticks, 2);
  });
});

describe('silentLogger', { timeout: 60_000 }, () => {
  it('logs nothing and its children are silent too', () => {
    silentLogger.info({ a: 1 }, 'x');
    silentLogger.error('y');
    assert.equal(silentLogger.child({ component: 'x' }), silentLogger);
  });
});
