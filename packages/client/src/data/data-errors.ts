/**
 * The errors the data layer raises, made in one place so their codes and `detail` stay consistent.
 * Hostile or broken input from a peer is reported as `BAD_MESSAGE`; sizes past a limit as `DATA_TOO_LARGE`;
 * anything that ends a stream early as `DATA_CHANNEL_CLOSED` with a `cause`.
 */
import { RendezvousError, type ErrorDetail } from '@rendezvous/protocol';

/** A message, meta or queue past its limit. `what` names the limit. */
export function tooLarge(
  what: 'message' | 'meta' | 'queue' | 'chunk',
  size: number,
  limit: number,
  peerId?: string,
): RendezvousError {
  const detail: ErrorDetail = peerId === undefined ? { what, size, limit } : { what, size, limit, peerId };
  return new RendezvousError('DATA_TOO_LARGE', `The ${what} is ${size} bytes; the limit is ${limit}.`, { detail });
}

/** A frame from `peerId` that breaks the data-channel framing. */
export function badFrame(peerId: string, reason: string): RendezvousError {
  return new RendezvousError('BAD_MESSAGE', `Dropped a data frame from ${peerId}: ${reason}.`, {
    detail: { peerId, reason },
  });
}

/** Why a stream ended before `end`: its channel closed, it was aborted (`by` whom), or the peer broke the framing. */
export type StreamFailure = 'closed' | 'aborted-locally' | 'aborted-remotely' | 'protocol';

export function streamFailed(peerId: string, cause: StreamFailure, reason?: string): RendezvousError {
  const detail: ErrorDetail = reason === undefined ? { peerId, cause } : { peerId, cause, reason };
  const message =
    cause === 'closed'
      ? 'The stream channel closed before the transfer finished.'
      : `The stream ended early (${cause}${reason === undefined || reason === '' ? '' : `: ${reason}`}).`;
  return new RendezvousError('DATA_CHANNEL_CLOSED', message, { detail });
}

export function tooManyStreams(peerId: string, limit: number): RendezvousError {
  return new RendezvousError('INVALID_STATE', `Already ${limit} streams open with ${peerId}.`, {
    detail: { peerId, limit, what: 'streams' },
  });
}
