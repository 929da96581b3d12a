/**
 * Typed errors of the TURN server. `TurnError` is what the API throws (bad options, a port that cannot be
 * bound); its codes are stable strings: never rename one, only add. `StunReject` is internal: a request
 * handler throws it to answer with a STUN error code (always one of the codec's `StunErrorCode` constants).
 */
import type { StunErrorCode } from '@rendezvous/stun';

export const TURN_ERRORS = {
  INVALID_OPTIONS: 'The TURN server options are invalid.',
  LISTEN_FAILED: 'The TURN server could not bind its listening sockets.',
  ALREADY_LISTENING: 'listen() was already called on this TURN server.',
  CLOSED: 'The TURN server is closed.',
} as const satisfies Record<string, string>;

export type TurnErrorCode = keyof typeof TURN_ERRORS;

export class TurnError extends Error {
  readonly code: TurnErrorCode;

  constructor(code: TurnErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail === undefined ? TURN_ERRORS[code] : `${TURN_ERRORS[code]} (${detail})`, options);
    this.name = 'TurnError';
    this.code = code;
  }
}

/** A STUN error code the server sends. */
export type StunErrorNumber = (typeof StunErrorCode)[keyof typeof StunErrorCode];

/** Thrown by a request handler: answer with this error code (and, for 420, the unknown attribute types). */
export class StunReject extends Error {
  readonly status: StunErrorNumber;
  readonly unknownAttributes: readonly number[] | undefined;

  constructor(status: StunErrorNumber, detail?: string, unknownAttributes?: readonly number[]) {
    super(detail ?? `STUN error ${status}`);
    this.name = 'StunReject';
    this.status = status;
    this.unknownAttributes = unknownAttributes;
  }
}
