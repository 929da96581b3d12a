import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_LIMITS, resolveLimits } from './options.js';

describe('resolveLimits', { timeout: 60_000 }, () => {
  it('fills defaults and applies overrides', () => {
    assert.deepEqual(resolveLimits(), DEFAULT_LIMITS);
    assert.equal(resolveLimits({ roomCapacity: 2 }).roomCapacity, 2);
    assert.equal(resolveLimits({ resumeGraceMs: 0 }).resumeGraceMs, 0);
  });

  it('rejects limits that are not positive integers', () => {
    assert.throws(() => resolveLimits({ roomCapacity: 0 }), RangeError);
    assert.throws(() => resolveLimits({ maxFrameBytes: 1.5 }), RangeError);
    assert.throws(() => resolveLimits({ rateLimitBurst: Number.NaN }), RangeError);
    assert.throws(() => resolveLimits({ resumeGraceMs: -1 }), RangeError);
  });
});
