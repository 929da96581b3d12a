/**
 * Building and sending responses (RFC 8489 §6.3, §9.2.4): success or error, then SOFTWARE and
 * MESSAGE-INTEGRITY(-SHA256) when the request was authenticated, FINGERPRINT when the request carried one. Every
 * error code comes from the codec's `StunErrorCode`. Replies to unauthenticated requests (Binding, the 401/438
 * challenges, 400s) carry no SOFTWARE: the fewer bytes they add, the less a spoofed request can be amplified.
 */
import {
  HEADER_LENGTH,
  MAGIC_COOKIE,
  MessageBuilder,
  StunClass,
  StunDecodeError,
  StunErrorCode,
  StunMethod,
  addErrorCode,
  addUnknownAttributes,
  addSoftware,
  classOf,
  methodName,
  methodOf,
  type StunMessage,
} from '@rendezvous/stun';
import type { Authenticated } from './auth.js';
import { StunReject, type StunErrorNumber } from './errors.js';
import type { ClientLink } from './link.js';
import type { TurnMetrics } from './metrics.js';
import type { Logger } from './options.js';

export interface ResponseContext {
  readonly software: string;
  readonly metrics: TurnMetrics;
  readonly log: Logger;
}

const KNOWN_METHODS = new Set<number>(Object.values(StunMethod));

/** The method as a metric label: its name, or 'other' (a fuzzer must not mint 4096 label values). */
export function methodLabel(method: number): string {
  return KNOWN_METHODS.has(method) ? methodName(method) : 'other';
}

/** 0 for a success response, otherwise the error code. */
export type ResponseStatus = 0 | StunErrorNumber;

/**
 * Sends the response to `req` on `link`. `fill` adds the method's attributes (after ERROR-CODE for errors).
 * With `user`, the response is signed with the user's key, as RFC 8489 §9.2.4 asks for every response to an
 * authenticated request.
 */
export function reply(
  ctx: ResponseContext,
  link: ClientLink,
  req: StunMessage,
  status: ResponseStatus,
  user: Authenticated | undefined,
  fill?: (builder: MessageBuilder) => void,
): void {
  const builder = MessageBuilder.responseTo(req, status === 0 ? StunClass.SuccessResponse : StunClass.ErrorResponse);
  if (status !== 0) {
    addErrorCode(builder, status);
  }
  fill?.(builder);
  if (user !== undefined) {
    addSoftware(builder, ctx.software);
    if (user.sha256) {
      builder.addMessageIntegritySha256(user.key);
    } else {
      builder.addMessageIntegrity(user.key);
    }
  }
  if (req.fingerprintOffset >= 0) {
    builder.addFingerprint();
  }
  ctx.metrics.requests.inc({ method: methodLabel(req.method), result: status === 0 ? 'success' : String(status) });
  link.send(builder.build());
}

/**
 * True when `data` has a STUN header with the magic cookie and the request class: a request whose body could
 * not be decoded still deserves a 400 (over UDP there is nobody else to tell).
 */
export function isRequestHeader(data: Buffer): boolean {
  return (
    data.length >= HEADER_LENGTH &&
    (data[0]! & 0xc0) === 0 &&
    data.readUInt32BE(4) === MAGIC_COOKIE &&
    classOf(data.readUInt16BE(0)) === StunClass.Request
  );
}

/** A 400 for a request that could not be decoded, built from its header alone. */
export function replyUndecodable(ctx: ResponseContext, link: ClientLink, data: Buffer, status: StunErrorNumber): void {
  const method = methodOf(data.readUInt16BE(0));
  const builder = new MessageBuilder(method, StunClass.ErrorResponse, data.subarray(8, HEADER_LENGTH));
  addErrorCode(builder, status);
  ctx.metrics.requests.inc({ method: methodLabel(method), result: String(status) });
  link.send(builder.build());
}

/** Answers a request whose handler threw: StunReject → its code, a malformed attribute → 400, else 500. */
export function failRequest(ctx: ResponseContext, link: ClientLink, req: StunMessage, user: Authenticated, error: unknown): void {
  if (link.closed) {
    return;
  }
  if (error instanceof StunReject) {
    const unknown = error.unknownAttributes;
    reply(ctx, link, req, error.status, user, unknown === undefined ? undefined : (b) => addUnknownAttributes(b, unknown));
  } else if (error instanceof StunDecodeError) {
    reply(ctx, link, req, StunErrorCode.BAD_REQUEST, user);
  } else {
    ctx.log.error({ err: error, method: methodName(req.method) }, 'TURN request handler failed');
    reply(ctx, link, req, StunErrorCode.SERVER_ERROR, user);
  }
}
