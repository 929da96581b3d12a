/** How `resolveLimits` checks values: which limits may be zero, and the name its errors start with. */
export interface LimitRules<T> {
  /** Limits that may be zero; every other one must be a positive integer. */
  mayBeZero: ReadonlySet<keyof T>;
  /** The server the limits belong to, as errors name it: 'TURN' gives "TURN limit maxAllocations must be ...". */
  name: string;
}

/**
 * Merges overrides onto the defaults and checks every overridden value: a safe integer, at least 1 (or 0 for
 * the limits in `mayBeZero`). Keys the defaults do not have are ignored. Throws RangeError on a bad limit.
 */
export function resolveLimits<T extends { [K in keyof T]: number }>(
  defaults: Readonly<T>,
  overrides: Partial<T>,
  rules: LimitRules<T>,
): T {
  const limits: T = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof T)[]) {
    const value = overrides[key];
    if (value === undefined) {
      continue;
    }
    const min = rules.mayBeZero.has(key) ? 0 : 1;
    if (!Number.isSafeInteger(value) || value < min) {
      throw new RangeError(`${rules.name} limit ${String(key)} must be an integer >= ${min}, got ${String(value)}`);
    }
    limits[key] = value;
  }
  return limits;
}
