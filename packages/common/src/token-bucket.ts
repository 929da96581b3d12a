/** The rate of a token bucket; one object may serve many buckets (a server's sockets all share theirs). */
export interface TokenRate {
  readonly perSecond: number;
  readonly burst: number;
  readonly now: () => number;
}

/** What a bucket holds: its tokens, as of `tokensAt` (an object may keep these two fields itself, see takeToken). */
export interface TokenCount {
  tokens: number;
  tokensAt: number;
}

/** What takes tokens (a TokenBucket, or an adapter over a TokenCount kept elsewhere). */
export interface Bucket {
  take(): boolean;
  msUntilToken(): number;
}

/** A full bucket's count, now. */
export function fullCount(rate: TokenRate): TokenCount {
  return { tokens: rate.burst, tokensAt: rate.now() };
}

/** Refills `count` at `rate`, never above the burst; a clock that went backwards refills nothing. */
function refill(rate: TokenRate, count: TokenCount): void {
  const now = rate.now();
  const elapsed = Math.max(0, now - count.tokensAt);
  count.tokensAt = now;
  count.tokens = Math.min(rate.burst, count.tokens + (elapsed * rate.perSecond) / 1000);
}

/** Takes one token from `count`. False when it is empty (the frame should wait or be dropped). */
export function takeToken(rate: TokenRate, count: TokenCount): boolean {
  return takeTokens(rate, count, 1);
}

/** Takes `n` tokens from `count` (a bucket of bytes, say). False, taking none, when it holds fewer. */
export function takeTokens(rate: TokenRate, count: TokenCount, n: number): boolean {
  refill(rate, count);
  if (count.tokens < n) {
    return false;
  }
  count.tokens -= n;
  return true;
}

/** Milliseconds until `count` has a token (0 when one is there now). */
export function msUntilToken(rate: TokenRate, count: TokenCount): number {
  refill(rate, count);
  return count.tokens >= 1 ? 0 : Math.ceil(((1 - count.tokens) * 1000) / rate.perSecond);
}

/** A token bucket: `burst` tokens, refilled at `perSecond`. One token per frame. */
export class TokenBucket implements Bucket, TokenCount {
  tokens: number;
  tokensAt: number;
  private readonly rate: TokenRate;

  constructor(rate: TokenRate);
  constructor(perSecond: number, burst: number, now: () => number);
  constructor(rate: TokenRate | number, burst = 0, now: () => number = Date.now) {
    this.rate = typeof rate === 'number' ? { perSecond: rate, burst, now } : rate;
    this.tokens = this.rate.burst;
    this.tokensAt = this.rate.now();
  }

  /** Takes one token. False when the bucket is empty (the frame should be dropped). */
  take(): boolean {
    return takeToken(this.rate, this);
  }

  /** Milliseconds until the next token (0 when one is there now). */
  msUntilToken(): number {
    return msUntilToken(this.rate, this);
  }
}
