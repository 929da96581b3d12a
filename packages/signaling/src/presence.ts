import type { ClientMessageOf, ServerMessageOf } from '@rendezvous/protocol';
import { broadcast } from './broadcast.js';
import { fail, type SignalingContext } from './context.js';
import type { Room } from './rooms.js';
import type { Session } from './session.js';

/** `member`'s whole state in `room` (media and presence), as `peer-updated`. */
export function peerUpdate(room: Room, member: Session, requestId?: string): ServerMessageOf<'peer-updated'> {
  return {
    type: 'peer-updated',
    room: room.name,
    peerId: member.peerId,
    media: { ...member.media },
    ...room.presenceOf(member.peerId),
    ...(requestId === undefined ? {} : { requestId }),
  };
}

/**
 * Tells the room about `session`'s new presence: the others get `peer-updated` when it `changed`, and the
 * session always gets its own copy with `requestId` (the reply, which carries its hand's order number).
 */
function announce(room: Room, session: Session, changed: boolean, requestId: string | undefined): void {
  if (changed) {
    broadcast(room, peerUpdate(room, session), session);
  }
  session.send(peerUpdate(room, session, requestId));
}

/** `hand`: raises (stamped with the room's next order number) or lowers the sender's hand. */
export function handleHand(_ctx: SignalingContext, session: Session, msg: ClientMessageOf<'hand'>): void {
  const room = session.room;
  if (room === null) {
    throw fail('NOT_IN_ROOM', msg.requestId);
  }
  const changed = msg.raised ? room.raiseHand(session.peerId) : room.lowerHand(session.peerId);
  announce(room, session, changed, msg.requestId);
}

/** `recording`: the sender says it started or stopped recording the call. */
export function handleRecording(_ctx: SignalingContext, session: Session, msg: ClientMessageOf<'recording'>): void {
  const room = session.room;
  if (room === null) {
    throw fail('NOT_IN_ROOM', msg.requestId);
  }
  announce(room, session, room.setRecording(session.peerId, msg.active), msg.requestId);
}
