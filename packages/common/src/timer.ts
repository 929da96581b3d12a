import type { Clock } from './clock.js';

/** What the clock hands back for a timeout, kept only to clear it. */
type TimeoutHandle = ReturnType<Clock['setTimeout']>;

/**
 * One timeout owned by one object (a session's resume grace, a call's ring, a socket's hello deadline).
 * At most one is pending: start() replaces it, stop() is idempotent, and the callback runs at most once
 * per start().
 */
export class Timer {
  /** null while no timeout is pending. */
  private handle: TimeoutHandle = null;

  constructor(private readonly clock: Clock) {}

  /** A timeout is pending. */
  get active(): boolean {
    return this.handle !== null;
  }

  /** Runs `fn` after `ms`, cancelling whatever this timer had pending. */
  start(ms: number, fn: () => void): void {
    this.stop();
    this.handle = this.clock.setTimeout(() => {
      this.handle = null;
      fn();
    }, ms);
  }

  /** Cancels the pending timeout, if any. */
  stop(): void {
    if (this.handle === null) {
      return;
    }
    this.clock.clearTimeout(this.handle);
    this.handle = null;
  }
}
