/**
 * A token bucket in bytes for the relay bandwidth cap: refilled at `rate` bytes per second up to a burst of one
 * second (at least 64 KiB, so that any datagram can pass once the bucket is full). No allocation per call.
 */
const MIN_BURST = 65_536;

export class RateBucket {
  private readonly burst: number;
  private tokens: number;
  private at = Number.NEGATIVE_INFINITY;

  constructor(private readonly rate: number) {
    this.burst = Math.max(rate, MIN_BURST);
    this.tokens = this.burst;
  }

  /** Takes `bytes` at `now` (ms) and returns true, or returns false (taking nothing) when too few are left. */
  take(bytes: number, now: number): boolean {
    const elapsed = now - this.at;
    if (elapsed > 0) {
      this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.rate) / 1000);
      this.at = now;
    }
    if (this.tokens < bytes) {
      return false;
    }
    this.tokens -= bytes;
    return true;
  }
}
