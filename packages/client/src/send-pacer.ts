/**
 * Client-side pacing of signaling frames. The server drops frames past its per-session token bucket
 * (`RATE_LIMITED`); the pacer runs its own, smaller bucket in front of the socket and queues what does
 * not fit, in order, until tokens refill. Nothing queued is dropped (up to `maxQueued`, a memory bound).
 */

/** Share of the server's announced rate and burst the SDK uses (headroom for jitter and clock skew). */
export const PACING_MARGIN = 0.9;
/** The server's default limits, assumed when the welcome announces none. */
export const ASSUMED_RATE_PER_SECOND = 50;
export const ASSUMED_BURST = 200;
/** After a `RATE_LIMITED` reply, nothing is sent for this long (the server's bucket is empty). */
export const RATE_LIMITED_BACKOFF_MS = 250;
/** A frame rejected with `RATE_LIMITED` is re-sent at most this many times. */
export const MAX_RESENDS = 3;
/** Frames sent with an id that are remembered for a re-send (a rejection comes back within one round trip). */
export const REMEMBERED_FRAMES = 256;

export interface PacerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: PacerClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface SendPacerOptions {
  /** Share of the announced limits to use; `Infinity` sends as fast as frames come. Default PACING_MARGIN. */
  margin?: number;
  /** Frames held at most (while offline or paced); past it the oldest is dropped. */
  maxQueued: number;
  clock?: PacerClock;
  /** Called after frames left the queue (it is shorter now): a bulk sender may hand over more. */
  onSent?: () => void;
}

/** Sends one frame; false when the socket cannot take it now (the frame stays first in line). */
export type Sink = (text: string) => boolean;

interface Entry {
  seq: number;
  text: string;
  /** requestId of the frame, when it can be matched to a `RATE_LIMITED` reply. */
  id: string | undefined;
  resends: number;
}

export class SendPacer {
  readonly #margin: number;
  readonly #maxQueued: number;
  readonly #clock: PacerClock;
  readonly #onSent: (() => void) | undefined;
  #queue: Entry[] = [];
  readonly #recent = new Map<string, Entry>();
  #rate = 0;
  #burst = 0;
  #tokens = 0;
  #last = 0;
  #holdUntil = 0;
  #seq = 0;
  #sink: Sink | null = null;
  #timer: unknown = null;
  #closed = false;

  constructor(options: SendPacerOptions) {
    this.#margin = options.margin ?? PACING_MARGIN;
    if (!(this.#margin > 0)) {
      throw new RangeError(`pacing margin must be positive, not ${this.#margin}`);
    }
    this.#maxQueued = options.maxQueued;
    this.#clock = options.clock ?? systemClock;
    this.#onSent = options.onSent;
    this.setLimits(undefined, undefined);
  }

  /** Frames waiting to be sent. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Applies the server's announced limits (with the margin) and starts with a full bucket, as the server does. */
  setLimits(perSecond: number | undefined, burst: number | undefined): void {
    this.#rate = (perSecond ?? ASSUMED_RATE_PER_SECOND) * this.#margin;
    this.#burst = Math.max(1, Math.floor((burst ?? ASSUMED_BURST) * this.#margin));
    this.#tokens = this.#burst;
    this.#last = this.#clock.now();
  }

  /** Starts sending through `sink` (a fresh socket: call `setLimits` first so the bucket is full). */
  attach(sink: Sink): void {
    this.#sink = sink;
    this.#drain();
  }

  /** Stops sending (socket gone); queued frames wait for the next `attach`. */
  detach(): void {
    this.#sink = null;
    this.#cancelTimer();
  }

  /** Queues one frame and sends what the bucket allows. */
  push(text: string, id?: string): void {
    if (this.#closed) {
      return;
    }
    if (this.#queue.length >= this.#maxQueued) {
      this.#queue.shift();
    }
    this.#seq += 1;
    this.#queue.push({ seq: this.#seq, text, id, resends: 0 });
    this.#drain();
  }

  /**
   * The server rejected frame `id` with `RATE_LIMITED`: puts it back in its place in the queue and pauses
   * for RATE_LIMITED_BACKOFF_MS with an empty bucket. False when the frame is unknown or was re-sent enough.
   */
  resend(id: string): boolean {
    const entry = this.#recent.get(id);
    if (entry === undefined || this.#closed) {
      return false;
    }
    this.#recent.delete(id);
    this.#tokens = 0;
    this.#last = this.#clock.now();
    this.#holdUntil = this.#last + RATE_LIMITED_BACKOFF_MS;
    if (entry.resends >= MAX_RESENDS) {
      return false;
    }
    entry.resends += 1;
    let index = this.#queue.findIndex((queued) => queued.seq > entry.seq);
    if (index < 0) {
      index = this.#queue.length;
    }
    this.#queue.splice(index, 0, entry);
    this.#cancelTimer();
    this.#drain();
    return true;
  }

  /** Drops everything queued (the session was replaced). */
  clear(): void {
    this.#queue = [];
    this.#recent.clear();
  }

  /** Stops for good: clears the queue and the timer. Idempotent. */
  close(): void {
    this.#closed = true;
    this.detach();
    this.clear();
  }

  #refill(now: number): void {
    if (this.#tokens >= this.#burst) {
      this.#last = now; // full (or unpaced: Infinity)
      return;
    }
    const elapsed = Math.max(0, now - this.#last);
    this.#last = now;
    const gained = elapsed === 0 ? 0 : (elapsed * this.#rate) / 1000; // Infinity when unpaced
    this.#tokens = Math.min(this.#burst, this.#tokens + gained);
  }

  #drain(): void {
    if (this.#sink === null || this.#timer !== null) {
      return;
    }
    const now = this.#clock.now();
    this.#refill(now);
    let sent = 0;
    while (this.#queue.length > 0 && this.#sink !== null && now >= this.#holdUntil && this.#tokens >= 1) {
      const entry = this.#queue[0] as Entry;
      if (!this.#sink(entry.text)) {
        this.detach();
        return;
      }
      this.#queue.shift();
      this.#tokens -= 1;
      this.#remember(entry);
      sent += 1;
    }
    if (sent > 0) {
      this.#onSent?.();
    }
    if (this.#queue.length === 0 || this.#sink === null) {
      return;
    }
    const refillMs = Number.isFinite(this.#rate) ? Math.ceil(((1 - this.#tokens) * 1000) / this.#rate) : 1;
    const wait = Math.max(this.#holdUntil - now, refillMs, 1);
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null;
      this.#drain();
    }, wait);
  }

  #remember(entry: Entry): void {
    if (entry.id === undefined) {
      return;
    }
    this.#recent.set(entry.id, entry);
    if (this.#recent.size > REMEMBERED_FRAMES) {
      this.#recent.delete(this.#recent.keys().next().value as string);
    }
  }

  #cancelTimer(): void {
    if (this.#timer !== null) {
      this.#clock.clearTimeout(this.#timer);
    }
    this.#timer = null;
  }
}
