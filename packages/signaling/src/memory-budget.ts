import type { Clock } from './options.js';

/** A socket whose unsent bytes stay above this for drainTimeoutMs is a slow consumer. */
export const DRAIN_THRESHOLD_BYTES = 64 * 1024;

/**
 * Detached queues may hold at most this share of the budget (forced server events aside), so that they can never
 * crowd out live sockets: a budget full of queued messages would otherwise refuse, or cut a socket for, every send.
 */
export const QUEUED_SHARE = 0.5;

/** What the budget needs to know about a socket. */
export interface BudgetedSocket {
  /** Bytes handed to the socket and not yet written out. */
  readonly unsent: number;
}

export type SlowReason = 'memoryBudgetBytes' | 'drainTimeoutMs';

export interface MemoryBudgetDeps {
  budgetBytes: number;
  drainTimeoutMs: number;
  clock: Clock;
  /** Every open socket (searched for the heaviest one when the budget is full). */
  sockets: () => Iterable<BudgetedSocket>;
  /** Cuts a slow consumer. It must call release() for the socket before returning. */
  onSlow: (socket: BudgetedSocket, reason: SlowReason) => void;
}

/**
 * The one owner of the server's message memory: unsent outbound bytes of every socket (added when a
 * frame is handed to ws, removed when ws reports it written) plus every detached session's queue.
 * Keeps the sum under `budgetBytes` (the queues within `QUEUED_SHARE` of it), and cuts sockets that do not drain
 * within `drainTimeoutMs`.
 */
export class MemoryBudget {
  private buffered = 0;
  private queued = 0;
  private readonly drainTimers = new Map<BudgetedSocket, unknown>();

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

  /**
   * Whether `bytes` more may go out on `socket`. When they would not fit, the socket with the most unsent
   * bytes is cut as a slow consumer first; false when the frame still does not fit (or `socket` was cut).
   */
  admitSend(socket: BudgetedSocket, bytes: number): boolean {
    if (this.totalBytes + bytes <= this.deps.budgetBytes) return true;
    let heaviest: BudgetedSocket | undefined;
    for (const candidate of this.deps.sockets()) {
      if (candidate.unsent > (heaviest?.unsent ?? 0)) heaviest = candidate;
    }
    if (heaviest !== undefined) this.deps.onSlow(heaviest, 'memoryBudgetBytes');
    return heaviest !== socket && this.totalBytes + bytes <= this.deps.budgetBytes;
  }

  /** `socket` was handed `bytes`; starts its drain clock when it is now above the threshold. */
  sent(socket: BudgetedSocket, bytes: number): void {
    this.buffered += bytes;
    if (socket.unsent > DRAIN_THRESHOLD_BYTES && !this.drainTimers.has(socket)) {
      const timer = this.deps.clock.setTimeout(() => {
        this.drainTimers.delete(socket);
        this.deps.onSlow(socket, 'drainTimeoutMs');
      }, this.deps.drainTimeoutMs);
      this.drainTimers.set(socket, timer);
    }
  }

  /** `bytes` of `socket` were written out; stops its drain clock once it is down to the threshold. */
  flushed(socket: BudgetedSocket, bytes: number): void {
    this.buffered -= bytes;
    if (socket.unsent <= DRAIN_THRESHOLD_BYTES) this.stopDrainClock(socket);
  }

  /** `socket` closed with `unsent` bytes never written: forget them and its drain clock. */
  release(socket: BudgetedSocket, unsent: number): void {
    this.buffered -= unsent;
    this.stopDrainClock(socket);
  }

  /** Reserves `bytes` for a detached queue; false when they do not fit in the queues' share (unless `force`). */
  reserveQueued(bytes: number, force = false): boolean {
    const fits = this.totalBytes + bytes <= this.deps.budgetBytes && this.queued + bytes <= this.deps.budgetBytes * QUEUED_SHARE;
    if (!fits && !force) return false;
    this.queued += bytes;
    return true;
  }

  releaseQueued(bytes: number): void {
    this.queued -= bytes;
  }

  /** Clears every drain timer. Idempotent. */
  close(): void {
    for (const timer of this.drainTimers.values()) this.deps.clock.clearTimeout(timer);
    this.drainTimers.clear();
  }

  private stopDrainClock(socket: BudgetedSocket): void {
    const timer = this.drainTimers.get(socket);
    if (timer === undefined) return;
    this.deps.clock.clearTimeout(timer);
    this.drainTimers.delete(socket);
  }
}
