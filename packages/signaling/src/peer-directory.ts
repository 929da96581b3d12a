import type { ClientMessageOf } from '@rendezvous/protocol';
import { fail, type SignalingContext } from './context.js';
import type { Session } from './session.js';

/** `peer-open`: take a directory id (the PeerJS model). */
export function handlePeerOpen(_ctx: SignalingContext, _session: Session, msg: ClientMessageOf<'peer-open'>): void {
  throw fail('BAD_MESSAGE', msg.requestId);
}

/** `peer-signal`: relay one directory message by id. */
export function handlePeerSignal(_ctx: SignalingContext, _session: Session, msg: ClientMessageOf<'peer-signal'>): void {
  throw fail('PEER_NOT_OPEN', msg.requestId);
}
