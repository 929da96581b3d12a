import type { TestContext } from 'node:test';

/** Lets promise chains and queued microtasks settle (setImmediate is never among the mocked timers). */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Fake setTimeout, setInterval and Date for this test (restored after it). */
export function fakeTimers(t: TestContext): void {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_700_000_000_000 });
}

/**
 * Advances fake time by `ms` in steps of `stepMs`, letting promises settle after each step, so that work a
 * timer starts (a reconnect attempt, say) runs before the next timer is due.
 */
export async function advance(t: TestContext, ms: number, stepMs = 1): Promise<void> {
  for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
    t.mock.timers.tick(Math.min(stepMs, ms - elapsed));
    await settle();
  }
}

/** Counts the timeouts and intervals started and not yet cleared or run, from now until the test ends. */
export function trackTimers(t: TestContext): { live(): number } {
  const live = new Set<unknown>();
  const real = { setTimeout, clearTimeout, setInterval, clearInterval };
  globalThis.setTimeout = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const handle = real.setTimeout(() => {
      live.delete(handle);
      fn(...args);
    }, ms);
    live.add(handle);
    return handle;
  }) as typeof setTimeout;
  globalThis.setInterval = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const handle = real.setInterval(fn, ms, ...args);
    live.add(handle);
    return handle;
  }) as typeof setInterval;
  const clear = (handle: unknown): void => {
    live.delete(handle);
  };
  globalThis.clearTimeout = (handle: Parameters<typeof clearTimeout>[0]) => {
    clear(handle);
    real.clearTimeout(handle);
  };
  globalThis.clearInterval = (handle: Parameters<typeof clearInterval>[0]) => {
    clear(handle);
    real.clearInterval(handle);
  };
  t.after(() => {
    for (const handle of live) {
      real.clearTimeout(handle as Parameters<typeof clearTimeout>[0]);
      real.clearInterval(handle as Parameters<typeof clearInterval>[0]);
    }
    Object.assign(globalThis, real);
  });
  return { live: () => live.size };
}
