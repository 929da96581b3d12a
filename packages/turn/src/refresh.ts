/**
 * Refresh requests (RFC 8656 §8.2, https://www.rfc-editor.org/rfc/rfc8656#section-8.2): a new time-to-expiry
 * computed like an Allocate's, or deletion when the client asks for a lifetime of zero.
 */
import {
  FAMILY_IPV4,
  FAMILY_IPV6,
  StunErrorCode,
  addLifetime,
  getLifetime,
  getRequestedAddressFamily,
  type StunMessage,
} from '@rendezvous/stun';
import type { Allocation } from './allocation.js';
import type { Authenticated } from './auth.js';
import { StunReject } from './errors.js';
import type { ClientLink } from './link.js';
import type { RequestContext } from './request-context.js';
import { reply } from './responses.js';

export type RefreshContext = Pick<RequestContext, 'software' | 'metrics' | 'log' | 'clock' | 'lifetimeFor' | 'deleteAllocation'>;

export function handleRefresh(
  ctx: RefreshContext,
  link: ClientLink,
  req: StunMessage,
  user: Authenticated,
  allocation: Allocation,
): void {
  // A REQUESTED-ADDRESS-FAMILY names the relayed address to refresh; ours has one family only.
  const family = getRequestedAddressFamily(req);
  if (family !== undefined && family !== (allocation.family === 'IPv4' ? FAMILY_IPV4 : FAMILY_IPV6)) {
    throw new StunReject(StunErrorCode.PEER_ADDRESS_FAMILY_MISMATCH);
  }
  // The "desired lifetime": zero deletes; otherwise min(requested, max), but never below the default.
  const requested = getLifetime(req);
  if (requested === 0) {
    ctx.deleteAllocation(allocation, 'refresh');
    reply(ctx, link, req, 0, user, (b) => addLifetime(b, 0));
    return;
  }
  const lifetime = ctx.lifetimeFor(requested);
  allocation.expiresAt = ctx.clock.now() + lifetime * 1000;
  reply(ctx, link, req, 0, user, (b) => addLifetime(b, lifetime));
}
