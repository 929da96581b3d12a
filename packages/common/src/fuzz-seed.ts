/**
 * The seed a fuzz test runs with, from its setting (the caller passes `process.env['FUZZ_SEED']`): `fixed` when
 * unset, so every run tests the same inputs and a failure reproduces; `<n>` replays seed n; `random` opts in to
 * a fresh seed. Print it with the results, so a random failure can be replayed.
 */
export function fuzzSeed(fixed: number, setting: string | undefined): number {
  if (setting === undefined || setting === '') {
    return fixed;
  }
  if (setting === 'random') {
    return (Math.floor(Math.random() * 0xfffffffe) + 1) >>> 0;
  }
  const seed = Number(setting);
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`FUZZ_SEED must be an integer or "random", got "${setting}"`);
  }
  return seed;
}
