/**
 * The errors file transfer raises, made in one place so their codes and `detail` stay consistent.
 */
import { RendezvousError, type ErrorDetail } from '@rendezvous/protocol';

/** Why a transfer failed without a hash mismatch. */
export type TransferFailure = 'peer-left' | 'resume-timeout' | 'too-many-resumes' | 'protocol' | 'remote-error' | 'closed';

export function hashMismatch(peerId: string, transferId: string, expected: string, actual: string): RendezvousError {
  return new RendezvousError('FILE_HASH_MISMATCH', undefined, { detail: { peerId, transferId, expected, actual } });
}

export function transferFailed(peerId: string, transferId: string, cause: TransferFailure, reason?: string): RendezvousError {
  const detail: ErrorDetail = reason === undefined ? { peerId, transferId, cause } : { peerId, transferId, cause, reason };
  const text = reason === undefined || reason === '' ? cause : `${cause}: ${reason}`;
  return new RendezvousError('DATA_CHANNEL_CLOSED', `The file transfer failed (${text}).`, { detail });
}

export function storageFailed(peerId: string, transferId: string, reason: string): RendezvousError {
  return new RendezvousError('FILE_STORAGE_FAILED', `The file could not be stored: ${reason}.`, {
    detail: { peerId, transferId, reason },
  });
}

/** `accept()` or `reject()` on an offer that is no longer waiting for an answer. */
export function offerNotPending(peerId: string, transferId: string, state: string): RendezvousError {
  return new RendezvousError('INVALID_STATE', `The offer is ${state}.`, { detail: { peerId, transferId, state } });
}

export function queueFull(peerId: string, limit: number): RendezvousError {
  return new RendezvousError('INVALID_STATE', `Already ${limit} files queued for ${peerId}.`, {
    detail: { peerId, limit, what: 'files' },
  });
}
