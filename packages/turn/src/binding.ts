/**
 * Binding requests: the STUN server on the TURN ports (RFC 8489 §6.3.1,
 * https://www.rfc-editor.org/rfc/rfc8489#section-6.3.1). No authentication; the answer is the client's
 * address as seen here, XOR-MAPPED-ADDRESS only: no MAPPED-ADDRESS (RFC 3489 clients) and no SOFTWARE, so that
 * a spoofed Binding request is amplified as little as possible.
 */
import { addXorMappedAddress, type StunMessage } from '@rendezvous/stun';
import type { ClientLink } from './link.js';
import { reply, type ResponseContext } from './responses.js';

export function handleBinding(ctx: ResponseContext, link: ClientLink, req: StunMessage): void {
  reply(ctx, link, req, 0, undefined, (b) => {
    addXorMappedAddress(b, link.remote);
  });
}
