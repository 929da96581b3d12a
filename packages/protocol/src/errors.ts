/**
 * The error-code catalog. Every error that crosses a package boundary carries one of these codes.
 * Codes are stable strings: never rename one, only add. docs/errors.md is written from this table
 * (a unit test checks that every code is documented there).
 */
export interface ErrorCatalogEntry {
  readonly scope: 'server' | 'client' | 'http';
  readonly message: string;
  /** `false` for a report that is not the end of the story (the SDK is still retrying). Absent means final. */
  readonly final?: boolean;
}

export const ERROR_CATALOG = {
  // Frames and protocol (server answers these on /ws)
  BAD_JSON: { scope: 'server', message: 'The frame is not valid JSON.' },
  BAD_MESSAGE: { scope: 'server', message: 'The message does not match the protocol schema.' },
  BINARY_NOT_SUPPORTED: { scope: 'server', message: 'Binary frames are not part of the protocol.' },
  FRAME_TOO_LARGE: { scope: 'server', message: 'The frame is larger than the server accepts.' },
  RATE_LIMITED: { scope: 'server', message: 'Too many messages; this one was dropped.' },
  PROTOCOL_VERSION: { scope: 'server', message: 'The server does not speak this protocol version.' },
  HELLO_REQUIRED: { scope: 'server', message: 'Send hello before any other message.' },
  ALREADY_HELLO: { scope: 'server', message: 'This session has already said hello.' },
  UNAUTHORIZED: { scope: 'server', message: 'The server refused this session.' },
  SESSION_LIMIT: { scope: 'server', message: 'The server has too many sessions.' },
  ADDRESS_LIMIT: { scope: 'server', message: 'Too many connections or sessions from your network address.' },
  SLOW_CONSUMER: { scope: 'server', message: 'The connection did not read its messages in time and was closed.' },
  SERVER_BUSY: { scope: 'server', message: 'The server has no room for more queued messages right now.' },
  SERVER_SHUTTING_DOWN: { scope: 'server', message: 'The server is shutting down.' },
  INTERNAL: { scope: 'server', message: 'The server failed to handle this message.' },
  // Rooms and relay
  ROOM_FULL: { scope: 'server', message: 'The room is full.' },
  ROOM_LIMIT: { scope: 'server', message: 'The server has too many rooms.' },
  JOIN_RATE_LIMITED: { scope: 'server', message: 'Too many room joins from your network address; try again in a minute.' },
  ALREADY_IN_ROOM: { scope: 'server', message: 'Leave the current room before joining another.' },
  NOT_IN_ROOM: { scope: 'server', message: 'Join a room first.' },
  PEER_NOT_IN_ROOM: { scope: 'server', message: 'The target peer is not in your room.' },
  // 1:1 calls
  PEER_NOT_FOUND: { scope: 'server', message: 'No peer with that id is online.' },
  CALL_SELF: { scope: 'server', message: 'You cannot call yourself.' },
  ALREADY_IN_CALL: { scope: 'server', message: 'You are already in a call or a room.' },
  CALL_NOT_FOUND: { scope: 'server', message: 'No such call, or it is not yours to act on.' },
  CALL_RATE_LIMITED: { scope: 'server', message: 'Too many calls placed; try again in a minute.' },
  // The peer directory (the PeerJS model: `peer-open`, `peer-signal`)
  PEER_ID_TAKEN: { scope: 'server', message: 'Another peer holds that id.' },
  PEER_ID_LIMIT: { scope: 'server', message: 'The server holds as many peer ids as it allows.' },
  PEER_ALREADY_OPEN: { scope: 'server', message: 'This session already holds another peer id.' },
  PEER_NOT_OPEN: { scope: 'server', message: 'Open a peer id (peer-open) before sending peer messages.' },
  // SFU rooms (`sfu-*` messages)
  SFU_UNAVAILABLE: { scope: 'server', message: 'Media through the server needs a room in SFU mode on a server with the SFU on.' },
  SFU_BAD_OFFER: { scope: 'server', message: 'The offer is not one the SFU can answer (wrong media lines or direction).' },
  SFU_CODEC_UNSUPPORTED: { scope: 'server', message: 'The offer has no codec the SFU forwards (or none the publisher uses).' },
  SFU_NOT_PUBLISHED: { scope: 'server', message: 'That member does not publish that media now.' },
  RELAY_UNAVAILABLE: { scope: 'server', message: 'Data goes through the server only in rooms of mode sfu.' },
  SFU_LIMIT: { scope: 'server', message: 'The SFU holds as many media connections as it allows (for you, or in all).' },
  // HTTP API (the `error` field of a JSON error body on /api/*)
  NOT_FOUND: { scope: 'http', message: 'No such route.' },
  METHOD_NOT_ALLOWED: { scope: 'http', message: 'This route does not accept that HTTP method.' },
  BAD_REQUEST: { scope: 'http', message: 'The HTTP request is malformed.' },
  ORIGIN_REFUSED: { scope: 'http', message: 'This origin may not open the signaling socket.' },
  HTTP_RATE_LIMITED: { scope: 'http', message: 'Too many requests from your network address; try again later.' },
  // Client SDK (raised in the browser, never sent by the server)
  PERMISSION_DENIED: { scope: 'client', message: 'Permission to use the camera or microphone was denied.' },
  NO_DEVICE: { scope: 'client', message: 'No camera or microphone was found.' },
  DEVICE_IN_USE: { scope: 'client', message: 'The camera or microphone is in use by another application.' },
  CONSTRAINT_NOT_SATISFIED: { scope: 'client', message: 'No device satisfies the requested constraints.' },
  INSECURE_CONTEXT: {
    scope: 'client',
    message: 'Camera and microphone need a secure context: open the page over https or on localhost.',
  },
  UNSUPPORTED_BROWSER: { scope: 'client', message: 'This browser lacks a WebRTC feature Rendezvous needs.' },
  SIGNALING_CLOSED: { scope: 'client', message: 'The connection to the signaling server is closed.' },
  SIGNALING_UNREACHABLE: { scope: 'client', message: 'The signaling server cannot be reached.' },
  RESUME_FAILED: { scope: 'client', message: 'The session could not be resumed; a new one was started.' },
  TIMEOUT: { scope: 'client', message: 'The server did not answer in time.' },
  NEGOTIATION_FAILED: { scope: 'client', message: 'Setting up the media connection failed.' },
  CONNECTION_RETRYING: {
    scope: 'client',
    message: 'The media connection to a peer failed and is being rebuilt.',
    final: false,
  },
  CONNECTION_FAILED: { scope: 'client', message: 'The media connection to a peer failed and could not be restored.' },
  DATA_TOO_LARGE: { scope: 'client', message: 'The data message is larger than the size limit.' },
  DATA_CHANNEL_CLOSED: { scope: 'client', message: 'The data channel closed before the transfer finished.' },
  INVALID_STATE: { scope: 'client', message: 'The operation is not allowed in the current state.' },
  FILE_HASH_MISMATCH: { scope: 'client', message: "The received file's SHA-256 does not match the sender's." },
  FILE_TRANSFER_CANCELLED: { scope: 'client', message: 'The other side cancelled the file transfer.' },
  FILE_STORAGE_FAILED: {
    scope: 'client',
    message: 'The received file could not be stored (no storage for its size, or a write failed).',
  },
  RECORDING_UNSUPPORTED: { scope: 'client', message: 'This browser cannot record the requested format or source.' },
  RECORDING_FAILED: { scope: 'client', message: 'The recorder stopped with an error.' },
  PEER_ID_INVALID: {
    scope: 'client',
    message: "The peer id is not valid (letters and digits, single ' ', '_' or '-' inside, at most 256).",
  },
  PAIRING_MALFORMED: {
    scope: 'client',
    message: 'This is not a Rendezvous pairing code, or it was changed on the way.',
  },
  PAIRING_TRUNCATED: { scope: 'client', message: 'The pairing code is cut short: copy all of it.' },
  PAIRING_STALE: { scope: 'client', message: 'The pairing code is too old: ask for a new one.' },
  PAIRING_WRONG_KIND: {
    scope: 'client',
    message: 'This is the wrong kind of pairing code: an invitation where an answer belongs, or the other way round.',
  },
  PAIRING_MISMATCH: { scope: 'client', message: 'This answer belongs to a different invitation.' },
  INVALID_REACTION: { scope: 'client', message: 'A reaction must be one short emoji.' },
} as const satisfies Record<string, ErrorCatalogEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export const ERROR_CODES = Object.keys(ERROR_CATALOG) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOG, value);
}

/** Whether `code` reports an outcome (true) or a step the SDK is still retrying (false, e.g. `CONNECTION_RETRYING`). */
export function isFinalError(code: ErrorCode): boolean {
  const entry: ErrorCatalogEntry = ERROR_CATALOG[code];
  return entry.final !== false;
}

/** Structured facts about an error, for example `{ size: 6, capacity: 6 }` with `ROOM_FULL`. Flat on purpose. */
export type ErrorDetail = Readonly<Record<string, string | number | boolean>>;

export interface RendezvousErrorOptions {
  readonly cause?: unknown;
  readonly requestId?: string;
  readonly detail?: ErrorDetail;
}

/** A typed error with a stable code. Thrown by every Rendezvous package. */
export class RendezvousError extends Error {
  readonly code: ErrorCode;
  readonly requestId: string | undefined;
  /** Structured facts (never parse `message` for them); `undefined` when the code carries none. */
  readonly detail: ErrorDetail | undefined;

  constructor(code: ErrorCode, message?: string, options?: RendezvousErrorOptions) {
    super(message ?? ERROR_CATALOG[code].message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RendezvousError';
    this.code = code;
    this.requestId = options?.requestId;
    this.detail = options?.detail === undefined ? undefined : Object.freeze({ ...options.detail });
  }

  /** False while the SDK is still retrying (see `isFinalError`). */
  get final(): boolean {
    return isFinalError(this.code);
  }

  static of(code: ErrorCode, message?: string, cause?: unknown): RendezvousError {
    return new RendezvousError(code, message, { cause });
  }
}

/** The fields of the server's `error` message (see server-messages.ts) that make a `RendezvousError`. */
export interface WireError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly requestId?: string | undefined;
  readonly detail?: ErrorDetail | undefined;
}

/** The `RendezvousError` for an `error` message from the server, with its request id and detail. */
export function errorFromWire(wire: WireError): RendezvousError {
  return new RendezvousError(wire.code, wire.message, {
    ...(wire.requestId === undefined ? {} : { requestId: wire.requestId }),
    ...(wire.detail === undefined ? {} : { detail: wire.detail }),
  });
}

/**
 * Why a network check failed: the browser's `checkNetwork()` (`ProbeResult.code`) and `rendezvous netcheck`
 * (`CheckResult.code`). A catalog of its own: these codes never travel on `/ws`. Never rename one, only add.
 */
export const NETCHECK_ERROR_CATALOG = {
  BAD_URL: { message: 'The URL is not one the check understands.' },
  NO_CREDENTIAL: { message: 'The TURN URL comes without a username and credential.' },
  FETCH_FAILED: { message: 'The ICE servers could not be fetched from the Rendezvous server.' },
  RESOLVE_FAILED: { message: "The server's host name could not be resolved." },
  CONNECT_FAILED: { message: 'The STUN/TURN server could not be reached: the socket or TLS connection failed.' },
  CONNECTION_CLOSED: { message: 'The connection to the STUN/TURN server closed before it answered.' },
  NO_ANSWER: { message: 'The STUN/TURN server did not answer in time.' },
  REFUSED: { message: 'The STUN/TURN server refused the request with an error code.' },
  BAD_ANSWER: { message: "The STUN/TURN server's answer is not what the check expects." },
  NO_CANDIDATE: { message: 'Gathering ended without a candidate of the probed type.' },
  RELAY_NOT_CONNECTED: { message: 'The test connection through the relay did not connect.' },
  PROBE_FAILED: { message: 'The probe failed unexpectedly.' },
} as const satisfies Record<string, { message: string }>;

export type NetcheckErrorCode = keyof typeof NETCHECK_ERROR_CATALOG;

export const NETCHECK_ERROR_CODES = Object.keys(NETCHECK_ERROR_CATALOG) as NetcheckErrorCode[];
