/**
 * Per-key rate limits (a token bucket per client address) whose own memory is bounded: past
 * `maxKeys` the least recently seen key is forgotten, so a flood of addresses costs a fixed amount
 * of memory. A forgotten key starts again with a full bucket, which is what it would have after a
 * minute of silence anyway.
 */

/** Addresses tracked at once per limiter (about 100 bytes each). */
export const MAX_TRACKED_ADDRESSES = 10_000;

const MINUTE_MS = 60_000;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export type Take = { ok: true } | { ok: false; retryAfterSeconds: number };

export class KeyedRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  /** `perMinute` requests per key per minute, all of them at once if need be. */
  constructor(
    private readonly perMinute: number,
    options: { maxKeys?: number; now?: () => number } = {},
  ) {
    this.perMs = perMinute / MINUTE_MS;
    this.maxKeys = options.maxKeys ?? MAX_TRACKED_ADDRESSES;
    this.now = options.now ?? Date.now;
  }

  /** Spends one token of `key`, or says how many seconds until one is back. */
  take(key: string): Take {
    return this.#check(key, true);
  }

  /** Whether `key` has a token now, spending none (a limit on failures: look before, take after one). */
  peek(key: string): Take {
    return this.#check(key, false);
  }

  #check(key: string, spend: boolean): Take {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, updatedAt: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updatedAt) * this.perMs);
    bucket.updatedAt = now;
    // Re-inserting keeps the map in least-recently-seen order.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    while (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) {
        break;
      }
      this.buckets.delete(oldest);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= spend ? 1 : 0;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)) };
  }

  /** Keys tracked now (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }
}
