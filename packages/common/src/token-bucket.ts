/** The rate of a token bucket; one object may serve many buckets (a server's sockets all share theirs). */
export interface TokenRate {
  readonly perSecond: number;
  readonly burst: number;
  readonly now: () => number;
}

/** A token bucket: `burst` tokens, refilled at `perSecond`. One token per frame. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly rate: TokenRate;

  constructor(rate: TokenRate);
  constructor(perSecond: number, burst: number, now: () => number);
  constructor(rate: TokenRate | number, burst = 0, now: () => number = Date.now) {
    this.rate = typeof rate === 'number' ? { perSecond: rate, burst, now } : rate;
    this.tokens = this.rate.burst;
    this.last = this.rate.now();
  }

  /** Takes one token. False when the bucket is empty (the frame should be dropped). */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) {
      return false;
    }
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until the next token (0 when one is there now). */
  msUntilToken(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.rate.perSecond);
  }

  private refill(): void {
    const now = this.rate.now();
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.rate.burst, this.tokens + (elapsed * this.rate.perSecond) / 1000);
  }
}
