import type { ClientMessageOf, PeerLeftReason } from '@rendezvous/protocol';
import { broadcast } from './broadcast.js';
import { fail, type SignalingContext } from './context.js';
import { peerUpdate } from './presence.js';
import { callHook, type MaybePromise } from './maybe-async.js';
import type { Room } from './rooms.js';
import type { Session } from './session.js';
import { sendSources, sfuRoomEvents } from './sfu-media.js';
import { roomShapeFor } from './sfu-port.js';
import { RawSignal, RelayedSignal } from './signal-frame.js';

const withRequestId = (requestId: string | undefined): { requestId?: string } => (requestId === undefined ? {} : { requestId });

/** Puts a session into a room: it gets `joined`, everyone already there gets `peer-joined`. */
export function enterRoom(ctx: SignalingContext, session: Session, room: Room, requestId?: string): void {
  session.enterRoom(room);
  session.send({ type: 'joined', ...room.snapshotFor(session), ...withRequestId(requestId) });
  sendSources(room, session);
  broadcast(room, (other) => ({ type: 'peer-joined', room: room.name, peer: room.peerFor(other.peerId, session) }), session);
  ctx.log.debug({ peerId: session.peerId, room: room.name, size: room.size }, 'joined room');
}

/** How a session leaves its room: what the others hear, and whether the session itself gets `left`. */
export interface Exit {
  /** The others get `peer-left` with this reason; null tells them nothing (a call room closing). */
  peerLeft: PeerLeftReason | null;
  /** The session gets `left`, with this request id if any. Absent: it gets nothing (it has ended). */
  left?: { requestId?: string | undefined };
}

/**
 * The one way out of a room: takes `session` out of its room, tells the others and the session as `exit`
 * says, and removes the room once empty. Returns the room it left, or null when it was in none.
 */
export function exitRoom(ctx: SignalingContext, session: Session, exit: Exit): Room | null {
  const room = session.leaveRoom();
  if (room === null) {
    return null;
  }
  room.sfu?.removePeer(session.peerId);
  const reason = exit.peerLeft;
  if (reason !== null) {
    broadcast(room, { type: 'peer-left', room: room.name, peerId: session.peerId, reason }, session);
  }
  if (exit.left !== undefined) {
    session.send({ type: 'left', room: room.name, ...withRequestId(exit.left.requestId) });
  }
  ctx.rooms.removeIfEmpty(room);
  return room;
}

/** Why `session` may not join `name` right now, if anything. */
function checkJoin(ctx: SignalingContext, session: Session, name: string, requestId: string | undefined): void {
  if (session.room !== null) {
    throw fail('ALREADY_IN_ROOM', requestId);
  }
  if (session.call !== null) {
    throw fail('ALREADY_IN_CALL', requestId);
  }
  const room = ctx.rooms.get(name);
  if (room !== undefined) {
    if (room.isFull) {
      throw fail('ROOM_FULL', requestId, `${room.size} of ${room.capacity}`, { size: room.size, capacity: room.capacity });
    }
  } else if (ctx.rooms.publicSize >= ctx.limits.maxRooms) {
    throw fail('ROOM_LIMIT', requestId);
  }
}

/** `join`: at once when there is no admit hook or it answers synchronously; otherwise when it settles. */
export function handleJoin(ctx: SignalingContext, session: Session, msg: ClientMessageOf<'join'>): MaybePromise<void> {
  const { requestId } = msg;
  const address = session.connection?.address ?? session.address;
  if (!ctx.addresses.allowJoin(address)) {
    ctx.hits.hit('joinsPerAddressPerMinute', { address });
    throw fail('JOIN_RATE_LIMITED', requestId);
  }
  checkJoin(ctx, session, msg.room, requestId);
  const admit = ctx.hooks.admit;
  if (admit === undefined) {
    return finishJoin(ctx, session, msg);
  }
  return callHook(
    () => admit({ peerId: session.peerId, userId: session.userId, room: msg.room }),
    (admitted) => afterAdmit(ctx, session, msg, admitted),
    (error) => {
      session.log.warn({ err: error, room: msg.room }, 'admit hook threw; join refused');
      return afterAdmit(ctx, session, msg, false);
    },
  );
}

function afterAdmit(ctx: SignalingContext, session: Session, msg: ClientMessageOf<'join'>, admitted: boolean): void {
  if (session.ended || ctx.closing) {
    return;
  }
  if (admitted !== true) {
    throw fail('UNAUTHORIZED', msg.requestId);
  }
  checkJoin(ctx, session, msg.room, msg.requestId); // the world may have changed while the hook ran
  finishJoin(ctx, session, msg);
}

function finishJoin(ctx: SignalingContext, session: Session, msg: ClientMessageOf<'join'>): void {
  if (msg.media !== undefined) {
    session.media = { ...msg.media };
  }
  const room = ctx.rooms.get(msg.room) ?? createRoom(ctx, msg);
  enterRoom(ctx, session, room, msg.requestId);
}

/** A room a join creates: of the mode and capacity it asks for, within what the server offers (see roomShapeFor). */
export function createRoom(ctx: SignalingContext, msg: ClientMessageOf<'join'>): Room {
  const sfu = ctx.hooks.sfu;
  const { mode, capacity } = roomShapeFor(msg, {
    defaultMode: ctx.hooks.defaultRoomMode,
    sfu,
    meshCapacity: ctx.limits.roomCapacity,
    sfuCapacity: ctx.limits.sfuRoomCapacity,
  });
  const room = ctx.rooms.create(msg.room, capacity, false, mode);
  if (mode === 'sfu' && sfu !== undefined) {
    room.sfu = sfu.openRoom(
      room.name,
      sfuRoomEvents(ctx, () => (ctx.rooms.get(room.name) === room ? room : undefined)),
    );
  }
  return room;
}

export function handleLeave(ctx: SignalingContext, session: Session, msg: ClientMessageOf<'leave'>): void {
  if (exitRoom(ctx, session, { peerLeft: 'left', left: { requestId: msg.requestId } }) === null) {
    throw fail('NOT_IN_ROOM', msg.requestId);
  }
}

/** Stores the sender's media state; the others in its room get `peer-updated`. */
export function handleMediaState(_ctx: SignalingContext, session: Session, msg: ClientMessageOf<'media-state'>): void {
  session.media = { ...msg.media };
  const room = session.room;
  if (room === null) {
    return;
  }
  broadcast(room, peerUpdate(room, session), session);
}

/** Relays `data` to `to`, only when both are members of the same room. */
export function handleSignal(ctx: SignalingContext, session: Session, msg: ClientMessageOf<'signal'>): void {
  const room = session.room;
  if (room === null) {
    throw fail('NOT_IN_ROOM', msg.requestId);
  }
  const target = ctx.sessions.get(msg.to);
  // A session's room holds it from enterRoom to leaveRoom, the only places that set `room`: no lookup in the room.
  if (target === undefined || target === session || target.room !== room) {
    throw fail('PEER_NOT_IN_ROOM', msg.requestId);
  }
  const out =
    msg instanceof RawSignal
      ? new RelayedSignal(session.peerId, msg)
      : { type: 'signal' as const, from: session.peerId, data: msg.data };
  const refused = target.relay(out, session);
  if (refused !== null) {
    ctx.hits.hit(refused, { from: session.peerId, to: target.peerId, address: session.address });
    throw fail('SERVER_BUSY', msg.requestId, 'the peer is reconnecting and its queue is full');
  }
}
