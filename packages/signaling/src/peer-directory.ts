import type { ClientMessageOf } from '@rendezvous/protocol';
import { fail, type SignalingContext } from './context.js';
import type { Session } from './session.js';

/**
 * `peer-open`: take a directory id (the PeerJS model), shared with the peerjs clients of the /peerjs endpoint.
 * Asking again for the id the session holds (or for any id, naming none) answers with that id.
 */
export function handlePeerOpen(ctx: SignalingContext, session: Session, msg: ClientMessageOf<'peer-open'>): void {
  const { requestId } = msg;
  const directory = ctx.hooks.directory;
  if (directory === undefined) {
    throw fail('BAD_MESSAGE', requestId, 'this server has no peer directory');
  }
  const held = session.directory;
  if (held !== null) {
    if (msg.id !== undefined && msg.id !== held.id) {
      throw fail('PEER_ALREADY_OPEN', requestId, undefined, { id: held.id });
    }
    session.send({ type: 'peer-opened', id: held.id, token: held.token, ...(requestId === undefined ? {} : { requestId }) });
    return;
  }
  const member = directory.openMember({ id: msg.id, token: msg.token }, (message) => {
    session.send({ type: 'peer-signal', message });
  });
  if (typeof member === 'string') {
    throw fail(member, requestId, undefined, msg.id === undefined ? undefined : { id: msg.id });
  }
  session.holdDirectory(member);
  session.send({ type: 'peer-opened', id: member.id, token: member.token, ...(requestId === undefined ? {} : { requestId }) });
}

/** `peer-signal`: relay one directory message by id (queued by the directory while its peer is not connected). */
export function handlePeerSignal(_ctx: SignalingContext, session: Session, msg: ClientMessageOf<'peer-signal'>): void {
  const member = session.directory;
  if (member === null) {
    throw fail('PEER_NOT_OPEN', msg.requestId);
  }
  member.send(msg.message);
}
