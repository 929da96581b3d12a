/**
 * Binding requests: the STUN server on the TURN ports (RFC 8489 §6.3.1,
 * https://www.rfc-editor.org/rfc/rfc8489#section-6.3.1). No authentication; the answer is the client's
 * address as seen here, XOR-MAPPED-ADDRESS, plus MAPPED-ADDRESS for RFC 3489 clients.
 */
import { addMappedAddress, addXorMappedAddress, type StunMessage } from '@rendezvous/stun';
import type { TurnEngine } from './engine.js';
import type { ClientLink } from './link.js';
import { reply } from './responses.js';

export function handleBinding(engine: TurnEngine, link: ClientLink, req: StunMessage): void {
  reply(engine, link, req, 0, undefined, (b) => {
    addXorMappedAddress(b, link.remote);
    addMappedAddress(b, link.remote);
  });
}
