/**
 * CreatePermission requests (RFC 8656 §10.2, https://www.rfc-editor.org/rfc/rfc8656#section-10.2): one or more
 * XOR-PEER-ADDRESS, each of the allocation's family (443) and allowed by the peer policy (403); all are
 * installed or none (508 past the per-allocation limit). Ports are ignored: permissions are per IP (§9).
 */
import { StunErrorCode, getXorPeerAddresses, type StunMessage } from '@rendezvous/stun';
import type { Allocation } from './allocation.js';
import type { Authenticated } from './auth.js';
import { StunReject } from './errors.js';
import type { ClientLink } from './link.js';
import type { RequestContext } from './request-context.js';
import { reply } from './responses.js';

export type CreatePermissionContext = Pick<RequestContext, 'software' | 'metrics' | 'log' | 'clock' | 'judgePeer'>;

export function handleCreatePermission(
  ctx: CreatePermissionContext,
  link: ClientLink,
  req: StunMessage,
  user: Authenticated,
  allocation: Allocation,
): void {
  const peers = getXorPeerAddresses(req);
  if (peers.length === 0) {
    throw new StunReject(StunErrorCode.BAD_REQUEST, 'no XOR-PEER-ADDRESS');
  }
  const installs: { ip: string; selfOnly: boolean }[] = [];
  for (const peer of peers) {
    if (peer.family !== allocation.family) {
      throw new StunReject(StunErrorCode.PEER_ADDRESS_FAMILY_MISMATCH);
    }
    const verdict = ctx.judgePeer(peer, user);
    if (verdict === 'denied') {
      throw new StunReject(StunErrorCode.FORBIDDEN, `peer ${peer.address}`);
    }
    installs.push({ ip: peer.address, selfOnly: verdict === 'self' });
  }
  if (!allocation.permit(installs, ctx.clock.now())) {
    throw new StunReject(StunErrorCode.INSUFFICIENT_CAPACITY);
  }
  reply(ctx, link, req, 0, user);
}
