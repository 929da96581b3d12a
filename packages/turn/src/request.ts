/**
 * The request pipeline: decode (400 when a request cannot be), FINGERPRINT (discard when wrong), unknown
 * comprehension-required attributes (420, RFC 8489 §6.3.1), Binding (no authentication), then for TURN methods
 * the long-term credential check (auth.ts), the 5-tuple rules of RFC 8656 §5 (437, 441) and the method handler.
 */
import {
  AttributeType,
  StunDecodeError,
  StunErrorCode,
  StunMethod,
  addNonce,
  addRealm,
  addUnknownAttributes,
  decodeMessage,
  methodName,
  verifyFingerprint,
  type StunMessage,
} from '@rendezvous/stun';
import { handleAllocate } from './allocate.js';
import { authenticateRequest, type AuthFailureReason, type AuthResult, type Authenticated } from './auth.js';
import { handleBinding } from './binding.js';
import { handleChannelBind } from './channel-bind.js';
import { handleCreatePermission } from './create-permission.js';
import { StunReject } from './errors.js';
import type { ClientLink } from './link.js';
import { handleRefresh } from './refresh.js';
import type { RequestContext } from './request-context.js';
import { failRequest, isRequestHeader, reply, replyUndecodable } from './responses.js';

const TURN_METHODS: ReadonlySet<number> = new Set([
  StunMethod.Allocate,
  StunMethod.Refresh,
  StunMethod.CreatePermission,
  StunMethod.ChannelBind,
]);

/** Handles one STUN request from a client. */
export function handleRequest(ctx: RequestContext, link: ClientLink, data: Buffer): void {
  let req: StunMessage;
  try {
    req = decodeMessage(data);
  } catch (error) {
    if (error instanceof StunDecodeError && isRequestHeader(data)) {
      replyUndecodable(ctx, link, data, StunErrorCode.BAD_REQUEST);
    }
    return;
  }
  // RFC 8489 §7.3: a FINGERPRINT that does not match means this is not a STUN message for us.
  if (req.fingerprintOffset >= 0 && !verifyFingerprint(req)) {
    return;
  }
  const unknown = [...req.unknownRequired];
  // RFC 8656 §7.2 step 4: the server cannot set DF, so DONT-FRAGMENT counts as unknown in an Allocate.
  if (req.method === StunMethod.Allocate && req.has(AttributeType.DONT_FRAGMENT)) {
    unknown.push(AttributeType.DONT_FRAGMENT);
  }
  if (unknown.length > 0) {
    reply(ctx, link, req, StunErrorCode.UNKNOWN_ATTRIBUTE, undefined, (b) => addUnknownAttributes(b, unknown));
    return;
  }
  if (req.method === StunMethod.Binding) {
    handleBinding(ctx, link, req);
    return;
  }
  if (!TURN_METHODS.has(req.method)) {
    reply(ctx, link, req, StunErrorCode.BAD_REQUEST, undefined);
    return;
  }
  // RFC 8656 §5: only an Allocate may come from a 5-tuple without an allocation. An unsigned Refresh,
  // CreatePermission or ChannelBind there gets 437 at once rather than a 401 challenge with REALM and NONCE:
  // a spoofed 20-byte request is then answered with 48 bytes instead of 88.
  if (
    req.method !== StunMethod.Allocate &&
    link.allocation === undefined &&
    req.integrityOffset < 0 &&
    req.integritySha256Offset < 0
  ) {
    reply(ctx, link, req, StunErrorCode.ALLOCATION_MISMATCH, undefined);
    return;
  }
  let result: AuthResult | Promise<AuthResult>;
  try {
    result = authenticateRequest(ctx.authDeps, link, req);
  } catch (error) {
    if (!(error instanceof StunDecodeError)) {
      throw error;
    }
    reply(ctx, link, req, StunErrorCode.BAD_REQUEST, undefined);
    return;
  }
  if (result instanceof Promise) {
    result
      .then((settled) => afterAuth(ctx, link, req, settled))
      .catch((error: unknown) => ctx.log.error({ err: error }, 'TURN request handling failed'));
  } else {
    afterAuth(ctx, link, req, result);
  }
}

function afterAuth(ctx: RequestContext, link: ClientLink, req: StunMessage, result: AuthResult): void {
  if (ctx.closed || link.closed) {
    return;
  }
  if (!result.ok) {
    if (result.reason !== 'challenge') {
      recordAuthFailure(ctx, link, req, result.reason, result.username);
    }
    // RFC 8489 §9.2.4: 401 and 438 carry REALM and a fresh NONCE; neither is signed.
    const challenge = result.status !== StunErrorCode.BAD_REQUEST;
    reply(ctx, link, req, result.status, undefined, (b) => {
      if (!challenge) {
        return;
      }
      addRealm(b, ctx.realm);
      addNonce(b, ctx.nonces.issue(link.remote.address, ctx.clock.now()));
    });
    return;
  }
  const user = result.user;
  try {
    route(ctx, link, req, user);
  } catch (error) {
    failRequest(ctx, link, req, user, error);
  }
}

function route(ctx: RequestContext, link: ClientLink, req: StunMessage, user: Authenticated): void {
  if (req.method === StunMethod.Allocate) {
    handleAllocate(ctx, link, req, user);
    return;
  }
  // RFC 8656 §5: every other request needs the allocation of its 5-tuple, made by the same user.
  const allocation = link.allocation;
  if (allocation === undefined || allocation.pending) {
    throw new StunReject(StunErrorCode.ALLOCATION_MISMATCH);
  }
  if (allocation.username !== user.username) {
    recordAuthFailure(ctx, link, req, 'wrong-credentials', user.username);
    throw new StunReject(StunErrorCode.WRONG_CREDENTIALS);
  }
  if (req.method === StunMethod.Refresh) {
    handleRefresh(ctx, link, req, user, allocation);
  } else if (req.method === StunMethod.CreatePermission) {
    handleCreatePermission(ctx, link, req, user, allocation);
  } else {
    handleChannelBind(ctx, link, req, user, allocation);
  }
}

function recordAuthFailure(
  ctx: RequestContext,
  link: ClientLink,
  req: StunMessage,
  reason: Exclude<AuthFailureReason, 'challenge'>,
  username: string | undefined,
): void {
  ctx.reportAuthFailure({
    reason,
    username,
    method: methodName(req.method),
    remote: { ...link.remote },
    transport: link.transport,
  });
}
