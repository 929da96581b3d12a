import type { Clock } from '@rendezvous/common';

/** How far a recording has got. */
export interface RecordingProgress {
  /** Time since recording started, in milliseconds. */
  elapsedMs: number;
  /** Bytes the browser has handed over so far. */
  bytes: number;
}

/** Counts a recording's time and bytes, and reports both every `intervalMs` while it runs. */
export class ProgressMeter {
  readonly #clock: Clock;
  readonly #onProgress: (progress: RecordingProgress) => void;
  readonly #intervalMs: number;
  #startedAt: number | null = null;
  #stoppedAt: number | null = null;
  #bytes = 0;
  #timer: unknown = null;

  constructor(clock: Clock, onProgress: (progress: RecordingProgress) => void, intervalMs = 1000) {
    this.#clock = clock;
    this.#onProgress = onProgress;
    this.#intervalMs = intervalMs;
  }

  get elapsedMs(): number {
    if (this.#startedAt === null) {
      return 0;
    }
    return (this.#stoppedAt ?? this.#clock.now()) - this.#startedAt;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get progress(): RecordingProgress {
    return { elapsedMs: this.elapsedMs, bytes: this.#bytes };
  }

  start(): void {
    if (this.#startedAt !== null) {
      return;
    }
    this.#startedAt = this.#clock.now();
    this.#timer = this.#clock.setInterval(() => this.#onProgress(this.progress), this.#intervalMs);
  }

  addBytes(count: number): void {
    this.#bytes += count;
  }

  /** Freezes the clock and stops reporting; returns the elapsed time. Idempotent. */
  stop(): number {
    if (this.#startedAt !== null && this.#stoppedAt === null) {
      this.#stoppedAt = this.#clock.now();
    }
    if (this.#timer !== null) {
      this.#clock.clearInterval(this.#timer);
      this.#timer = null;
    }
    return this.elapsedMs;
  }
}
