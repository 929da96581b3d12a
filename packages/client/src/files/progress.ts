/**
 * Progress of one transfer: bytes, percent, and a rate measured over a sliding window (RATE_WINDOW_MS), from
 * which the time left follows.
 */
import type { Clock } from '@rendezvous/common';
import { RATE_WINDOW_MS } from './limits.js';

export interface TransferProgress {
  /** Bytes done: acknowledged by the receiver (sender side), verified and stored (receiver side). */
  bytes: number;
  total: number;
  /** 0 to 100 (100 for an empty file). */
  percent: number;
  /** Bytes per second over the last RATE_WINDOW_MS (0 until two samples exist). */
  rate: number;
  /** Seconds left at that rate; null while the rate is unknown. */
  secondsLeft: number | null;
}

export class ProgressMeter {
  readonly #total: number;
  readonly #clock: Clock;
  readonly #samples: Array<{ at: number; bytes: number }> = [];
  #bytes = 0;

  constructor(total: number, clock: Clock) {
    this.#total = total;
    this.#clock = clock;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Records that `bytes` are done now. A resume may move it back: the window restarts then. */
  update(bytes: number): TransferProgress {
    const at = this.#clock.now();
    if (bytes < this.#bytes) {
      this.#samples.length = 0;
    }
    this.#bytes = bytes;
    this.#samples.push({ at, bytes });
    while (this.#samples.length > 2 && at - this.#samples[1]!.at >= RATE_WINDOW_MS) {
      this.#samples.shift();
    }
    return this.snapshot();
  }

  snapshot(): TransferProgress {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    const elapsed = first === undefined || last === undefined ? 0 : last.at - first.at;
    const rate = elapsed > 0 ? ((last!.bytes - first!.bytes) * 1000) / elapsed : 0;
    const left = this.#total - this.#bytes;
    return {
      bytes: this.#bytes,
      total: this.#total,
      percent: this.#total === 0 ? 100 : (this.#bytes / this.#total) * 100,
      rate,
      secondsLeft: left === 0 ? 0 : rate > 0 ? left / rate : null,
    };
  }
}
