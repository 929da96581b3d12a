import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveLimits, type LimitRules } from './limits.js';

interface Limits {
  size: number;
  graceMs: number;
}
const DEFAULTS: Readonly<Limits> = Object.freeze({ size: 6, graceMs: 1000 });
const RULES: LimitRules<Limits> = { mayBeZero: new Set(['graceMs']), name: 'test' };

describe('resolveLimits', { timeout: 60_000 }, () => {
  it('fills defaults and applies overrides, without changing the defaults', () => {
    assert.deepEqual(resolveLimits(DEFAULTS, {}, RULES), DEFAULTS);
    assert.deepEqual(resolveLimits(DEFAULTS, { size: 2 }, RULES), { size: 2, graceMs: 1000 });
    assert.equal(resolveLimits(DEFAULTS, { graceMs: 0 }, RULES).graceMs, 0);
    assert.equal(DEFAULTS.size, 6);
  });

  it('ignores keys the defaults do not have', () => {
    const overrides = { size: 3, other: -1 } as Partial<Limits>;
    assert.deepEqual(resolveLimits(DEFAULTS, overrides, RULES), { size: 3, graceMs: 1000 });
  });

  it('rejects limits that are not positive integers (or non-negative for mayBeZero), naming them', () => {
    assert.throws(() => resolveLimits(DEFAULTS, { size: 0 }, RULES), {
      name: 'RangeError',
      message: 'test limit size must be an integer >= 1, got 0',
    });
    assert.throws(() => resolveLimits(DEFAULTS, { size: 1.5 }, RULES), RangeError);
    assert.throws(() => resolveLimits(DEFAULTS, { size: Number.NaN }, RULES), RangeError);
    assert.throws(() => resolveLimits(DEFAULTS, { size: 2 ** 53 }, RULES), RangeError);
    assert.throws(() => resolveLimits(DEFAULTS, { graceMs: -1 }, RULES), /test limit graceMs must be an integer >= 0/);
  });
});
