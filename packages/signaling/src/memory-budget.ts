import type { Clock } from './options.js';
import { Timer } from '@rendezvous/common';

/** A socket whose unsent bytes stay above this for drainTimeoutMs is a slow consumer. */
export const DRAIN_THRESHOLD_BYTES = 64 * 1024;

/**
 * Detached queues may hold at most this share of the budget (forced server events aside), so that they can never
 * crowd out live sockets: a budget full of queued messages would otherwise refuse, or cut a socket for, every send.
 */
export const QUEUED_SHARE = 0.5;

/** UTF-8 takes at most 3 bytes per UTF-16 code unit: `3 * text.length` bounds a frame without measuring it. */
const MAX_UTF8_PER_UNIT = 3;

/** What the budget needs to know about a socket. */
export interface BudgetedSocket {
  /** Bytes the socket had unsent when last measured: what it holds against the budget. */
  readonly unsent: number;
  /** Measures the socket's unsent bytes now, reporting any change through `MemoryBudget.changed`. */
  measure(): number;
}

export type SlowReason = 'memoryBudgetBytes' | 'drainTimeoutMs' | 'maxBufferedBytes';

/**
 * Why a detached queue's reservation was refused: the queues' share of the budget is full (counted with the
 * queue limits, as before: nobody is cut for it), or the sender's address has its share.
 */
export type QueueRefusal = 'maxQueuedWhileDetached' | 'maxQueuedBytesPerAddress';

export interface MemoryBudgetDeps {
  budgetBytes: number;
  drainTimeoutMs: number;
  /** Queued bytes one address may have across all detached queues (charged to the sender's address). */
  maxQueuedBytesPerAddress: number;
  clock: Clock;
  /** Cuts a slow consumer. It must release the socket (report its bytes gone) before returning. */
  onSlow: (socket: BudgetedSocket, reason: SlowReason) => void;
}

/**
 * The one owner of the server's message memory: unsent outbound bytes of every socket plus every detached
 * session's queue. Keeps the sum under `budgetBytes` (the queues within `QUEUED_SHARE` of it, and each
 * address within `maxQueuedBytesPerAddress` of the queues), and cuts sockets that do not drain within
 * `drainTimeoutMs`.
 *
 * Unsent bytes are measured, not tracked per write: a socket reports what ws still holds right after each
 * send (nothing, as long as the kernel takes the frame, which costs one read of ws.bufferedAmount) and is
 * measured again before the next one. Between sends a socket's count may only be stale high (it can only
 * drain without us sending), so every decision measures first: a full budget measures every socket with
 * bytes outstanding, a drain clock measures its socket when it runs out, and readers of the totals call
 * sweep(). A drain clock is never stopped late in a way that matters: a socket can only rise again through
 * a send, which measures (and stops the clock) first.
 */
export class MemoryBudget {
  private buffered = 0;
  private queued = 0;
  /** Sockets whose last measurement was above zero. */
  private readonly outstanding = new Set<BudgetedSocket>();
  private readonly drainTimers = new Map<BudgetedSocket, Timer>();
  private readonly queuedByAddress = new Map<string, number>();

  constructor(private readonly deps: MemoryBudgetDeps) {}

  get bufferedBytes(): number {
    return this.buffered;
  }

  get queuedBytes(): number {
    return this.queued;
  }

  get totalBytes(): number {
    return this.buffered + this.queued;
  }

  /** Bytes queued for detached sessions on behalf of `address`. */
  queuedFor(address: string): number {
    return this.queuedByAddress.get(address) ?? 0;
  }

  /** Measures every socket with bytes outstanding, so the totals are current. */
  sweep(): void {
    for (const socket of [...this.outstanding]) {
      socket.measure();
    }
  }

  /**
   * Whether `text` may go out on `socket`. When it would not fit, the socket with the most unsent bytes is
   * cut as a slow consumer first; false when the frame still does not fit (or `socket` was cut).
   */
  admitSend(socket: BudgetedSocket, text: string): boolean {
    const room = this.deps.budgetBytes - this.totalBytes;
    if (text.length * MAX_UTF8_PER_UNIT <= room) {
      return true;
    }
    const bytes = Buffer.byteLength(text);
    if (bytes <= room) {
      return true;
    }
    this.sweep();
    if (this.totalBytes + bytes <= this.deps.budgetBytes) {
      return true;
    }
    let heaviest: BudgetedSocket | undefined;
    for (const candidate of this.outstanding) {
      if (candidate.unsent > (heaviest?.unsent ?? 0)) {
        heaviest = candidate;
      }
    }
    if (heaviest !== undefined) {
      this.deps.onSlow(heaviest, 'memoryBudgetBytes');
    }
    return heaviest !== socket && this.totalBytes + bytes <= this.deps.budgetBytes;
  }

  /** Cuts `socket` as a slow consumer (it stays over a per-socket limit). */
  cut(socket: BudgetedSocket, reason: SlowReason): void {
    this.deps.onSlow(socket, reason);
  }

  /**
   * `socket` went from `before` to `after` unsent bytes (a measurement, or 0 when it closed). Starts its
   * drain clock when it is above the threshold, stops it once it is down to it.
   */
  changed(socket: BudgetedSocket, before: number, after: number): void {
    this.buffered += after - before;
    if (after > 0) {
      this.outstanding.add(socket);
    } else {
      this.outstanding.delete(socket);
    }
    if (after > DRAIN_THRESHOLD_BYTES) {
      this.startDrainClock(socket);
    } else {
      this.stopDrainClock(socket);
    }
  }

  /**
   * Reserves `bytes` of a detached queue, charged to `address`. Null when reserved; otherwise the limit that
   * refused them (the queues' share of the budget, or the address's share). `force` reserves regardless.
   */
  reserveQueued(bytes: number, address: string, force = false): QueueRefusal | null {
    const refusal = force ? null : this.queueRefusal(bytes, address);
    if (refusal !== null) {
      return refusal;
    }
    this.queued += bytes;
    this.queuedByAddress.set(address, this.queuedFor(address) + bytes);
    return null;
  }

  /** Gives back `bytes` of a detached queue that were charged to `address`. */
  releaseQueued(bytes: number, address: string): void {
    this.queued -= bytes;
    const left = this.queuedFor(address) - bytes;
    if (left > 0) {
      this.queuedByAddress.set(address, left);
    } else {
      this.queuedByAddress.delete(address);
    }
  }

  /** Clears every drain timer. Idempotent. */
  close(): void {
    for (const timer of this.drainTimers.values()) {
      timer.stop();
    }
    this.drainTimers.clear();
  }

  private queueRefusal(bytes: number, address: string): QueueRefusal | null {
    if (this.queuedFor(address) + bytes > this.deps.maxQueuedBytesPerAddress) {
      return 'maxQueuedBytesPerAddress';
    }
    if (this.queued + bytes > this.deps.budgetBytes * QUEUED_SHARE) {
      return 'maxQueuedWhileDetached';
    }
    if (this.totalBytes + bytes > this.deps.budgetBytes) {
      this.sweep();
    }
    return this.totalBytes + bytes > this.deps.budgetBytes ? 'maxQueuedWhileDetached' : null;
  }

  private startDrainClock(socket: BudgetedSocket): void {
    if (this.drainTimers.has(socket)) {
      return;
    }
    const timer = new Timer(this.deps.clock);
    this.drainTimers.set(socket, timer);
    timer.start(this.deps.drainTimeoutMs, () => {
      socket.measure(); // the socket may have drained since it was last measured: that stops its clock
      if (!this.drainTimers.delete(socket)) {
        return;
      }
      this.deps.onSlow(socket, 'drainTimeoutMs');
    });
  }

  private stopDrainClock(socket: BudgetedSocket): void {
    const timer = this.drainTimers.get(socket);
    if (timer === undefined) {
      return;
    }
    timer.stop();
    this.drainTimers.delete(socket);
  }
}
