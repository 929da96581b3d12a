import type { ClientMessageOf, ServerMessageOf } from '@rendezvous/protocol';
import { broadcast } from './broadcast.js';
import { fail, type SignalingContext } from './context.js';
import type { Session } from './session.js';

/**
 * `room-event`: relayed to the other members of the sender's room as `{type:'room-event', room, from, event,
 * data?}`. No reply on success. `data` past maxRoomEventBytes (as JSON) is refused with FRAME_TOO_LARGE. A
 * detached member whose queue has no room for it misses it (counted as a limit hit; the sender is not told,
 * since the others got it).
 */
export function handleRoomEvent(ctx: SignalingContext, session: Session, msg: ClientMessageOf<'room-event'>): void {
  const room = session.room;
  if (room === null) {
    throw fail('NOT_IN_ROOM', msg.requestId);
  }
  const event: ServerMessageOf<'room-event'> = { type: 'room-event', room: room.name, from: session.peerId, event: msg.event };
  if (msg.data !== undefined) {
    // The schema bounds the nesting, so this cannot overflow the stack; the frame limit bounds the size.
    const bytes = Buffer.byteLength(JSON.stringify(msg.data));
    const maxBytes = ctx.limits.maxRoomEventBytes;
    if (bytes > maxBytes) {
      ctx.hits.hit('maxRoomEventBytes', { peerId: session.peerId, bytes });
      throw fail('FRAME_TOO_LARGE', msg.requestId, `room-event data of ${bytes} bytes exceeds ${maxBytes}`, { bytes, maxBytes });
    }
    event.data = msg.data;
  }
  for (const { to, refusal } of broadcast(room, event, session, { relayedFrom: session })) {
    ctx.hits.hit(refusal, { from: session.peerId, to: to.peerId, address: session.address });
  }
}
