/**
 * ChannelBind requests (RFC 8656 §12.2, https://www.rfc-editor.org/rfc/rfc8656#section-12.2): CHANNEL-NUMBER
 * in 0x4000-0x4FFF (up to 0x7FFF with `legacyChannelNumbers`, the RFC 5766 range) and XOR-PEER-ADDRESS are
 * required (400); the peer must be of the allocation's family (443) and allowed (403); a number or a peer already
 * bound elsewhere, or still cooling down after expiry, is 400; past the limits, 508. Success creates or
 * refreshes the binding and the permission for the peer's IP.
 */
import { MIN_CHANNEL_NUMBER, StunErrorCode, getChannelNumber, getXorPeerAddress, type StunMessage } from '@rendezvous/stun';
import type { Allocation } from './allocation.js';
import type { Authenticated } from './auth.js';
import { StunReject } from './errors.js';
import type { ClientLink } from './link.js';
import type { RequestContext } from './request-context.js';
import { reply } from './responses.js';

export type ChannelBindContext = Pick<
  RequestContext,
  'software' | 'metrics' | 'log' | 'clock' | 'judgePeer' | 'maxChannelNumber'
>;

export function handleChannelBind(
  ctx: ChannelBindContext,
  link: ClientLink,
  req: StunMessage,
  user: Authenticated,
  allocation: Allocation,
): void {
  const number = getChannelNumber(req);
  const peer = getXorPeerAddress(req);
  if (number === undefined || peer === undefined) {
    throw new StunReject(StunErrorCode.BAD_REQUEST, 'CHANNEL-NUMBER and XOR-PEER-ADDRESS required');
  }
  // 0x4000-0x4FFF; up to 0x7FFF for RFC 5766 clients when legacyChannelNumbers is on.
  if (number < MIN_CHANNEL_NUMBER || number > ctx.maxChannelNumber) {
    throw new StunReject(StunErrorCode.BAD_REQUEST, `channel 0x${number.toString(16)}`);
  }
  if (peer.family !== allocation.family) {
    throw new StunReject(StunErrorCode.PEER_ADDRESS_FAMILY_MISMATCH);
  }
  const verdict = ctx.judgePeer(peer, user);
  if (verdict === 'denied') {
    throw new StunReject(StunErrorCode.FORBIDDEN, `peer ${peer.address}`);
  }
  const status = allocation.bindChannel(number, peer.address, peer.port, verdict === 'self', ctx.clock.now());
  if (status === 400) {
    throw new StunReject(StunErrorCode.BAD_REQUEST, 'channel or peer bound to another');
  }
  if (status === 508) {
    throw new StunReject(StunErrorCode.INSUFFICIENT_CAPACITY);
  }
  reply(ctx, link, req, 0, user);
}
