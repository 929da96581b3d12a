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
