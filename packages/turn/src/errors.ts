/**
 * The TURN server's error catalogs, in the style of `ERROR_CATALOG` in @rendezvous/protocol: a const table of
 * stable codes with their text, and a typed union of the codes. Codes are never renamed, only added, and
 * docs/errors.md lists every one (a test checks it).
 *
 * - `TURN_ERROR_CATALOG`: what the API throws as `TurnError` (bad options, a port that cannot be bound).
 * - `TURN_STUN_ERRORS`: the STUN error responses the server answers refused requests with, by the codec's
 *   `StunErrorCode` name. `StunReject` is internal: a request handler throws it to answer with one of them.
 */
import type { StunErrorCode } from '@rendezvous/stun';

export const TURN_ERROR_CATALOG = {
  INVALID_OPTIONS: { message: 'The TURN server options are invalid.' },
  LISTEN_FAILED: { message: 'The TURN server could not bind its listening sockets.' },
  ALREADY_LISTENING: { message: 'listen() was already called on this TURN server.' },
  CLOSED: { message: 'The TURN server is closed.' },
} as const satisfies Record<string, { message: string }>;

export type TurnErrorCode = keyof typeof TURN_ERROR_CATALOG;

export const TURN_ERROR_CODES = Object.keys(TURN_ERROR_CATALOG) as TurnErrorCode[];

export class TurnError extends Error {
  readonly code: TurnErrorCode;

  constructor(code: TurnErrorCode, detail?: string, options?: { cause?: unknown }) {
    const text = TURN_ERROR_CATALOG[code].message;
    super(detail === undefined ? text : `${text} (${detail})`, options);
    this.name = 'TurnError';
    this.code = code;
  }
}

type StunCodes = typeof StunErrorCode;

/** Each entry's `status` must be the codec's number for its name (checked by the `satisfies` below). */
export const TURN_STUN_ERRORS = {
  BAD_REQUEST: { status: 400, message: 'The request is malformed.' },
  UNAUTHENTICATED: { status: 401, message: 'The request needs valid credentials.' },
  FORBIDDEN: { status: 403, message: 'The peer address is not allowed.' },
  UNKNOWN_ATTRIBUTE: { status: 420, message: 'The request has a comprehension-required attribute the server does not support.' },
  ALLOCATION_MISMATCH: { status: 437, message: 'The request does not fit the allocation state of its 5-tuple.' },
  STALE_NONCE: { status: 438, message: 'The nonce has expired; retry with the fresh one.' },
  ADDRESS_FAMILY_NOT_SUPPORTED: { status: 440, message: 'The requested address family is not available.' },
  WRONG_CREDENTIALS: { status: 441, message: 'The allocation belongs to another username.' },
  UNSUPPORTED_TRANSPORT_PROTOCOL: { status: 442, message: 'Only UDP relaying is supported.' },
  PEER_ADDRESS_FAMILY_MISMATCH: { status: 443, message: 'The peer address family differs from the relayed address family.' },
  ALLOCATION_QUOTA_REACHED: { status: 486, message: 'An allocation quota is reached.' },
  SERVER_ERROR: { status: 500, message: 'The server failed to handle the request.' },
  INSUFFICIENT_CAPACITY: { status: 508, message: 'No relay port, permission or channel is left.' },
} as const satisfies { readonly [K in keyof StunCodes]?: { status: StunCodes[K]; message: string } };

/** The name of a STUN error response the server sends. */
export type TurnStunErrorName = keyof typeof TURN_STUN_ERRORS;

/** A STUN error code the server sends. */
export type StunErrorNumber = (typeof TURN_STUN_ERRORS)[TurnStunErrorName]['status'];

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
