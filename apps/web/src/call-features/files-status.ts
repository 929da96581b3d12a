/**
 * What a transfer's line says: its state, its progress (percent, rate, time left) while bytes flow, who cancelled
 * or declined it, or what went wrong in words (hash mismatch, storage, the peer left, the link did not come back).
 */
import type { CancelledBy, TransferProgress, TransferState } from '@rendezvous/client';
import type { RendezvousError } from '@rendezvous/protocol';
import { describeError } from '../errors-text.js';
import { t } from '../i18n/index.js';
import { formatPercent, formatRate, formatTimeLeft } from './files-format.js';

/** How a transfer ended, when it did not end well. */
export type TransferEnd = { kind: 'cancelled'; by: CancelledBy } | { kind: 'error'; error: RendezvousError };

export interface StatusInput {
  direction: 'out' | 'in';
  state: TransferState;
  progress: TransferProgress;
  /** The other side's name. */
  peerName: string;
  /** Incoming only: the offer was accepted (a local cancel after it is a cancel, before it a decline). */
  accepted: boolean;
  end: TransferEnd | null;
}

/** The error in words: the file-transfer cases in this feature's keys, anything else from the error catalog. */
export function transferErrorText(error: RendezvousError, peerName: string): string {
  if (error.code === 'FILE_HASH_MISMATCH') {
    return t('files.error.hash');
  }
  if (error.code === 'FILE_STORAGE_FAILED') {
    return t('files.error.storage');
  }
  if (error.code === 'DATA_CHANNEL_CLOSED') {
    const cause = error.detail?.['cause'];
    if (cause === 'peer-left') {
      return t('files.error.peerLeft', { name: peerName });
    }
    if (cause === 'resume-timeout' || cause === 'too-many-resumes') {
      return t('files.error.link');
    }
    if (cause === 'remote-error') {
      return t('files.error.remote');
    }
    if (cause === 'closed') {
      return t('files.error.closed');
    }
  }
  return describeError(error).title;
}

function endText(input: StatusInput, end: TransferEnd): string {
  if (end.kind === 'error') {
    return transferErrorText(end.error, input.peerName);
  }
  if (end.by === 'rejected') {
    return t('files.declined', { name: input.peerName });
  }
  if (end.by === 'remote') {
    return t('files.cancelledRemote', { name: input.peerName });
  }
  return input.direction === 'in' && !input.accepted ? t('files.declinedByYou') : t('files.cancelledLocal');
}

export function progressText(progress: TransferProgress): string {
  const percent = formatPercent(progress.percent);
  if (progress.rate <= 0 || progress.secondsLeft === null) {
    return t('files.progressNoRate', { percent });
  }
  return t('files.progress', { percent, rate: formatRate(progress.rate), left: formatTimeLeft(progress.secondsLeft) });
}

export function statusText(input: StatusInput): string {
  if (input.end !== null && (input.state === 'cancelled' || input.state === 'error')) {
    return endText(input, input.end);
  }
  switch (input.state) {
    case 'transferring':
      return progressText(input.progress);
    case 'offered':
      return t(input.direction === 'in' ? 'files.state.offeredIn' : 'files.state.offered');
    case 'queued':
    case 'paused':
    case 'verifying':
    case 'done':
      return t(`files.state.${input.state}`);
    case 'cancelled':
      return t('files.cancelledLocal');
    case 'error':
      return describeError(null).title;
  }
}
