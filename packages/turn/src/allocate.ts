/**
 * Allocate requests, following the numbered checks of RFC 8656 §7.2
 * (https://www.rfc-editor.org/rfc/rfc8656#section-7.2). Step 1 (authentication) has been done by request.ts;
 * step 4 (DONT-FRAGMENT, which this server cannot honour) was answered with 420 there too.
 */
import {
  FAMILY_IPV4,
  FAMILY_IPV6,
  StunErrorCode,
  TRANSPORT_UDP,
  addAddressErrorCode,
  addLifetime,
  addReservationToken,
  addXorMappedAddress,
  addXorRelayedAddress,
  getAdditionalAddressFamily,
  getEvenPort,
  getLifetime,
  getRequestedAddressFamily,
  getRequestedTransport,
  getReservationToken,
  type AddressFamily,
  type StunMessage,
} from '@rendezvous/stun';
import type { Allocation } from './allocation.js';
import type { Authenticated } from './auth.js';
import { StunReject } from './errors.js';
import type { ClientLink } from './link.js';
import type { RequestContext } from './request-context.js';
import { failRequest, reply } from './responses.js';

export type AllocateContext = Pick<
  RequestContext,
  | 'software'
  | 'metrics'
  | 'log'
  | 'clock'
  | 'limits'
  | 'relayPorts'
  | 'lifetimeFor'
  | 'relayHostFor'
  | 'quotaExceeded'
  | 'openAllocation'
  | 'activate'
  | 'deleteAllocation'
>;

export function handleAllocate(ctx: AllocateContext, link: ClientLink, req: StunMessage, user: Authenticated): void {
  // 2. The 5-tuple is in use: 437, unless this is a retransmission of the Allocate that created it (§5).
  const existing = link.allocation;
  if (existing !== undefined) {
    if (existing.transactionId !== req.transactionIdHex) {
      throw new StunReject(StunErrorCode.ALLOCATION_MISMATCH);
    }
    if (!existing.pending) {
      sendSuccess(ctx, link, req, user, existing);
    }
    return;
  }
  // 3. REQUESTED-TRANSPORT: required; UDP only.
  const transport = getRequestedTransport(req);
  if (transport === undefined) {
    throw new StunReject(StunErrorCode.BAD_REQUEST, 'no REQUESTED-TRANSPORT');
  }
  if (transport !== TRANSPORT_UDP) {
    throw new StunReject(StunErrorCode.UNSUPPORTED_TRANSPORT_PROTOCOL);
  }
  const token = getReservationToken(req);
  const evenPort = getEvenPort(req);
  const requested = getRequestedAddressFamily(req);
  const additional = getAdditionalAddressFamily(req);
  // 5. RESERVATION-TOKEN excludes EVEN-PORT and the family attributes, and must name a live reservation.
  let family: AddressFamily = 'IPv4';
  if (token !== undefined) {
    if (evenPort !== undefined || requested !== undefined || additional !== undefined) {
      throw new StunReject(StunErrorCode.BAD_REQUEST, 'RESERVATION-TOKEN with EVEN-PORT or an address family');
    }
    family = ctx.relayPorts.familyOf(token) ?? throwReject(StunErrorCode.INSUFFICIENT_CAPACITY, 'unknown reservation');
  }
  // 6. Not both family attributes.
  if (requested !== undefined && additional !== undefined) {
    throw new StunReject(StunErrorCode.BAD_REQUEST);
  }
  // 7. The requested family must be one we relay on (IPv4 by default).
  if (requested === FAMILY_IPV6) {
    family = 'IPv6';
  } else if (requested !== undefined && requested !== FAMILY_IPV4) {
    throw new StunReject(StunErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED);
  }
  const host = token === undefined ? ctx.relayHostFor(link, family) : undefined;
  if (token === undefined && host === undefined) {
    throw new StunReject(StunErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED);
  }
  // 8. EVEN-PORT with R excludes a dual allocation.
  if (evenPort === true && additional !== undefined) {
    throw new StunReject(StunErrorCode.BAD_REQUEST);
  }
  // 9. ADDITIONAL-ADDRESS-FAMILY must be IPv6. This server relays one family per allocation: it grants the IPv4
  // address and reports the IPv6 one as 440 in ADDRESS-ERROR-CODE, the partial success the RFC allows.
  if (additional !== undefined && additional !== FAMILY_IPV6) {
    throw new StunReject(StunErrorCode.BAD_REQUEST);
  }
  // 10. Quotas: in total, per client IP address (whatever the credentials), per user (by the username's user id).
  const limit = ctx.quotaExceeded(user, link);
  if (limit !== undefined) {
    throw new StunReject(StunErrorCode.ALLOCATION_QUOTA_REACHED, limit);
  }

  const lifetime = ctx.lifetimeFor(getLifetime(req));
  const allocation = ctx.openAllocation(link, user, family, req.transactionIdHex, lifetime);
  allocation.refusedAdditionalFamily = additional !== undefined;
  const bound =
    token !== undefined
      ? Promise.resolve(ctx.relayPorts.claim(token) ?? null)
      : ctx.relayPorts.bind(host!, evenPort, ctx.clock.now() + ctx.limits.reservationLifetimeSec * 1000);
  bound
    .then((relay) => {
      if (relay === null) {
        ctx.deleteAllocation(allocation, 'expired'); // pending: no event
        if (!link.closed) {
          reply(ctx, link, req, StunErrorCode.INSUFFICIENT_CAPACITY, user);
        }
        return;
      }
      if (allocation.closed) {
        // The connection closed, or the server, while the port was being bound.
        ctx.relayPorts.release(relay.socket);
        return;
      }
      allocation.reservationToken = relay.token;
      ctx.activate(allocation, relay);
      sendSuccess(ctx, link, req, user, allocation);
    })
    .catch((error: unknown) => failRequest(ctx, link, req, user, error))
    .catch((error: unknown) => ctx.log.error({ err: error }, 'TURN Allocate failed'));
}

/** The success response (§7.2): relayed address, lifetime, reservation token, mapped address. */
function sendSuccess(
  ctx: AllocateContext,
  link: ClientLink,
  req: StunMessage,
  user: Authenticated,
  allocation: Allocation,
): void {
  const remaining = Math.max(0, Math.ceil((allocation.expiresAt - ctx.clock.now()) / 1000));
  reply(ctx, link, req, 0, user, (b) => {
    addXorRelayedAddress(b, { address: allocation.relayIp, port: allocation.relayPort });
    if (allocation.refusedAdditionalFamily) {
      addAddressErrorCode(b, FAMILY_IPV6, StunErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED);
    }
    addLifetime(b, remaining);
    if (allocation.reservationToken !== undefined) {
      addReservationToken(b, allocation.reservationToken);
    }
    addXorMappedAddress(b, link.remote);
  });
}

function throwReject(status: typeof StunErrorCode.INSUFFICIENT_CAPACITY, detail: string): never {
  throw new StunReject(status, detail);
}
