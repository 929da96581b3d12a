/**
 * The errors of the PeerJS-style API. Each is a RendezvousError (a stable `code`) that also carries the `type`
 * string peerjs apps already check (`err.type === 'peer-unavailable'`).
 */
import { RendezvousError, type ErrorCode, type ErrorDetail } from '@rendezvous/protocol';

export type PeerErrorType =
  | 'browser-incompatible'
  | 'disconnected'
  | 'invalid-id'
  | 'network'
  | 'peer-unavailable'
  | 'server-error'
  | 'socket-closed'
  | 'unavailable-id'
  | 'webrtc'
  | 'negotiation-failed'
  | 'connection-closed'
  | 'not-open-yet'
  | 'message-too-big'
  | 'bad-message';

export class PeerError extends RendezvousError {
  /** The peerjs error type this error corresponds to. */
  readonly type: PeerErrorType;

  constructor(type: PeerErrorType, code: ErrorCode, message?: string, options?: { cause?: unknown; detail?: ErrorDetail }) {
    super(code, message, options);
    this.name = 'PeerError';
    this.type = type;
  }
}

const TYPE_OF: Partial<Record<ErrorCode, PeerErrorType>> = {
  PEER_ID_TAKEN: 'unavailable-id',
  PEER_NOT_FOUND: 'peer-unavailable',
  PEER_ID_LIMIT: 'server-error',
  PEER_ALREADY_OPEN: 'server-error',
  PEER_NOT_OPEN: 'disconnected',
  BAD_MESSAGE: 'bad-message',
  UNSUPPORTED_BROWSER: 'browser-incompatible',
  SIGNALING_CLOSED: 'socket-closed',
  SIGNALING_UNREACHABLE: 'network',
  TIMEOUT: 'network',
  NEGOTIATION_FAILED: 'webrtc',
  CONNECTION_FAILED: 'negotiation-failed',
  DATA_TOO_LARGE: 'message-too-big',
  DATA_CHANNEL_CLOSED: 'connection-closed',
};

/** The PeerError for any error: a PeerError as it is, a RendezvousError with the type its code maps to. */
export function toPeerError(error: unknown, fallback: PeerErrorType = 'server-error'): PeerError {
  if (error instanceof PeerError) {
    return error;
  }
  if (error instanceof RendezvousError) {
    const options = error.detail === undefined ? { cause: error } : { cause: error, detail: error.detail };
    return new PeerError(TYPE_OF[error.code] ?? fallback, error.code, error.message, options);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new PeerError('webrtc', 'NEGOTIATION_FAILED', message, { cause: error });
}

/** Input from a peer that breaks the peerjs wire contract (it is dropped, never thrown). */
export function badPeerMessage(peer: string, reason: string): PeerError {
  return new PeerError('bad-message', 'BAD_MESSAGE', `Dropped a message from peer ${peer}: ${reason}.`, {
    detail: { peer, reason },
  });
}
