import type { ClientMessageOf, ServerMessageOf } from '@rendezvous/protocol';
import { fail, type SignalingContext } from './context.js';
import { SerializedMessage } from './serialized-message.js';
import type { Session } from './session.js';

/** What one relay frame costs the sender's byte budget per recipient beyond its data (the envelope). */
const ENVELOPE_BYTES = 128;

/**
 * `relay`: data between members of an SFU room (they have no data channels to each other), to the members named in
 * `to` or to every other member. No reply on success. Refused: outside an SFU room (RELAY_UNAVAILABLE), to nobody in the
 * room (PEER_NOT_IN_ROOM), past the sender's relayBytesPerSecond (RATE_LIMITED), and, for a single recipient that is
 * reconnecting with a full queue, SERVER_BUSY. The server never reads `data`.
 */
export function handleRelay(ctx: SignalingContext, session: Session, msg: ClientMessageOf<'relay'>): void {
  const room = session.room;
  if (room === null || room.mode !== 'sfu') {
    throw fail('RELAY_UNAVAILABLE', msg.requestId);
  }
  const recipients = msg.to === undefined ? room.others(session.peerId) : named(ctx, session, msg.to);
  if (recipients.length === 0) {
    if (msg.to === undefined) {
      return; // alone in the room: nothing to deliver
    }
    throw fail('PEER_NOT_IN_ROOM', msg.requestId);
  }
  const bytes = ((msg.data?.length ?? 0) + ENVELOPE_BYTES) * recipients.length;
  if (!session.takeRelayBytes(ctx.relayRate, bytes)) {
    ctx.hits.hit('relayBytesPerSecond', { peerId: session.peerId, bytes });
    throw fail('RATE_LIMITED', msg.requestId, `relay of ${bytes} bytes past relayBytesPerSecond`);
  }
  const out: ServerMessageOf<'relay'> = { type: 'relay', from: session.peerId, ch: msg.ch, op: msg.op };
  if (msg.data !== undefined) {
    out.data = msg.data;
  }
  if (msg.bin === true) {
    out.bin = true;
  }
  if (msg.more === true) {
    out.more = true;
  }
  const serialized = SerializedMessage.of(out);
  for (const to of recipients) {
    const refused = to.relay(serialized, session);
    if (refused === null) {
      continue;
    }
    ctx.hits.hit(refused, { from: session.peerId, to: to.peerId, address: session.address });
    if (recipients.length === 1) {
      throw fail('SERVER_BUSY', msg.requestId, 'the peer is reconnecting and its queue is full');
    }
  }
}

/** The distinct members of the sender's room among `ids` (not the sender; ids of others are skipped). */
function named(ctx: SignalingContext, session: Session, ids: readonly string[]): Session[] {
  const found: Session[] = [];
  for (const id of new Set(ids)) {
    const member = ctx.sessions.get(id);
    if (member !== undefined && member !== session && member.room === session.room) {
      found.push(member);
    }
  }
  return found;
}
