import { RendezvousError } from '@rendezvous/protocol';
import { backoffDelay } from '../backoff.js';

/** Codes after which trying the same request again cannot help. */
const FINAL_CODES = new Set(['SFU_UNAVAILABLE', 'SFU_BAD_OFFER', 'SFU_CODEC_UNSUPPORTED', 'PEER_NOT_IN_ROOM', 'NOT_IN_ROOM']);

/**
 * Retries of SFU connections (publications and subscriptions), keyed by what they carry: each failure waits a little
 * longer, up to `maxAttempts` in a row; a connection that connects starts the count again. Owns its timers.
 */
export class SfuRetry {
  readonly #maxAttempts: number;
  readonly #attempts = new Map<string, number>();
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  #closed = false;

  constructor(maxAttempts: number) {
    this.#maxAttempts = maxAttempts;
  }

  /** `key` connected: its next failure starts a fresh count. */
  succeeded(key: string): void {
    this.#attempts.delete(key);
  }

  /**
   * `key` failed with `error`: runs `again` after a backoff and returns the attempt number, or returns null when the
   * error is final or the attempts are used up.
   */
  failed(key: string, error: unknown, again: () => void): number | null {
    if (this.#closed || (error instanceof RendezvousError && FINAL_CODES.has(error.code))) {
      return null;
    }
    const attempt = (this.#attempts.get(key) ?? 0) + 1;
    if (attempt > this.#maxAttempts) {
      this.#attempts.delete(key);
      return null;
    }
    this.#attempts.set(key, attempt);
    this.cancel(key);
    this.#timers.set(
      key,
      setTimeout(
        () => {
          this.#timers.delete(key);
          again();
        },
        backoffDelay(attempt - 1),
      ),
    );
    return attempt;
  }

  /** Drops `key`'s pending retry, if any. */
  cancel(key: string): void {
    const timer = this.#timers.get(key);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.#timers.delete(key);
    }
  }

  /** Idempotent. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers.values()) {
      clearTimeout(timer);
    }
    this.#timers.clear();
    this.#attempts.clear();
  }
}
