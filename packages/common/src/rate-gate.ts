import type { Clock } from './clock.js';
import type { Bucket } from './token-bucket.js';
import { Timer } from './timer.js';

/** The part of a `ws` WebSocket the gate needs: reading can be paused, so the sender's TCP window fills. */
export interface Pausable {
  pause(): void;
  resume(): void;
}

/**
 * Admits one socket's frames at the rate its token bucket allows. A frame that finds the bucket empty is
 * held, not refused, and the socket stops reading until a token comes: a sender slightly ahead of the limit
 * (frames bunched by the network or by a busy event loop) loses nothing, and a flooder is slowed by TCP
 * flow control, not by our memory. What ws had already read when reading paused is held too, up to
 * `maxHeld` frames; past that a frame is refused (RATE_LIMITED). Held frames keep their order, ahead of
 * anything that arrives later.
 */
export class RateGate<F> {
  private held: F[] = [];
  private readonly timer: Timer;
  private closed = false;

  constructor(
    private readonly bucket: Bucket,
    private readonly socket: Pausable,
    clock: Clock,
    private readonly maxHeld: number,
    private readonly admit: (frame: F) => void,
    private readonly refuse: (frame: F) => void,
  ) {
    this.timer = new Timer(clock);
  }

  /** Frames waiting for a token. */
  get heldCount(): number {
    return this.held.length;
  }

  offer(frame: F): void {
    if (this.closed) {
      return;
    }
    if (this.held.length === 0 && this.bucket.take()) {
      this.admit(frame);
      return;
    }
    if (this.held.length >= this.maxHeld) {
      this.refuse(frame);
      return;
    }
    if (this.held.length === 0) {
      this.socket.pause();
    }
    this.held.push(frame);
    this.schedule();
  }

  /** Drops held frames and stops the timer. Idempotent. */
  close(): void {
    this.closed = true;
    this.held = [];
    this.timer.stop();
  }

  private schedule(): void {
    if (this.timer.active) {
      return;
    }
    this.timer.start(Math.max(1, this.bucket.msUntilToken()), () => this.drain());
  }

  private drain(): void {
    while (!this.closed && this.held.length > 0 && this.bucket.take()) {
      this.admit(this.held.shift()!);
    }
    if (this.closed) {
      return;
    }
    if (this.held.length > 0) {
      this.schedule();
    } else {
      this.socket.resume();
    }
  }
}
