/** What outgoing and incoming transfers share: their states and events. */
import type { RendezvousError } from '@rendezvous/protocol';
import type { TransferProgress } from './progress.js';

/**
 * `queued` (sender: waiting for a slot) → `offered` (waiting for the receiver's answer) → `transferring` ⇄ `paused`
 * (the link dropped; waiting for the peer to be reachable again) → `verifying` (every byte is there; the hashes are
 * compared) → `done`. Or it ends `cancelled` (by either side, or rejected) or `error`.
 */
export type TransferState = 'queued' | 'offered' | 'transferring' | 'paused' | 'verifying' | 'done' | 'cancelled' | 'error';

/** Who stopped a cancelled transfer: this side, the other side, or the receiver by rejecting the offer. */
export type CancelledBy = 'local' | 'remote' | 'rejected';

export interface TransferEvents<Result> {
  /** Bytes, percent, rate and time left; after each chunk (receiver) or acknowledgement (sender), and at the end. */
  progress: [progress: TransferProgress];
  /** Every state change. */
  state: [state: TransferState];
  /** The receiver verified the whole file against the sender's SHA-256. */
  done: [result: Result];
  /** FILE_HASH_MISMATCH, or DATA_CHANNEL_CLOSED / INVALID_STATE with `detail.cause` (see file-errors.ts). */
  error: [error: RendezvousError];
  cancelled: [by: CancelledBy];
}

export function isFinished(state: TransferState): boolean {
  return state === 'done' || state === 'cancelled' || state === 'error';
}

/** The abort reason a cancelled transfer gives its stream (the other side reads it as a cancel). */
export const CANCEL_ABORT_REASON = 'cancelled';

/** Whether a stream error says the other side cancelled the transfer. */
export function isRemoteCancel(error: unknown): boolean {
  const detail = (error as RendezvousError | undefined)?.detail;
  return detail?.['cause'] === 'aborted-remotely' && detail['reason'] === CANCEL_ABORT_REASON;
}
