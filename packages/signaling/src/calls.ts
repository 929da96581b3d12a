import type { CallEndReason, ClientMessageOf } from '@rendezvous/protocol';
import { Call, callRoomName } from './call.js';
import { fail, safely, type SignalingContext } from './context.js';
import { newId } from './ids.js';
import { enterRoom, exitRoom } from './membership.js';
import type { Session } from './session.js';

const withRequestId = (requestId: string | undefined): { requestId?: string } => (requestId === undefined ? {} : { requestId });

/**
 * Ends a call: both sides get `call-ended` (the one that ended it gets `requestId` there, or on its
 * `left` when `replyOn` is 'left'), and both leave the call room, each getting `left`. Idempotent.
 */
export function finishCall(
  ctx: SignalingContext,
  call: Call,
  reason: CallEndReason,
  opts: { by?: Session; requestId?: string; replyOn?: 'call-ended' | 'left' } = {},
): void {
  if (ctx.calls.get(call.id) !== call) {
    return;
  }
  ctx.calls.delete(call.id);
  const room = call.dispose();
  const parties = [call.caller, call.callee];
  const replyOn = opts.replyOn ?? 'call-ended';
  const requestIdFor = (party: Session, on: 'call-ended' | 'left'): string | undefined =>
    party === opts.by && replyOn === on ? opts.requestId : undefined;
  for (const party of parties) {
    party.send({
      type: 'call-ended',
      callId: call.id,
      reason,
      ...(opts.by === undefined ? {} : { by: opts.by.peerId }),
      ...withRequestId(requestIdFor(party, 'call-ended')),
    });
  }
  if (room !== null) {
    for (const party of parties) {
      if (party.room === room) {
        exitRoom(ctx, party, { peerLeft: null, left: { requestId: requestIdFor(party, 'left') } });
      }
    }
  }
  ctx.log.debug({ callId: call.id, reason }, 'call ended');
}

/** `call`: rings `to`, or answers busy when `to` is in a room or another call. */
export function handleCall(ctx: SignalingContext, caller: Session, msg: ClientMessageOf<'call'>): void {
  const { requestId } = msg;
  if (!ctx.addresses.allowCall(caller)) {
    ctx.hits.hit('callsPerCallerPerMinute', { peerId: caller.peerId });
    throw fail('CALL_RATE_LIMITED', requestId);
  }
  if (msg.to === caller.peerId) {
    throw fail('CALL_SELF', requestId);
  }
  if (caller.room !== null || caller.call !== null) {
    throw fail('ALREADY_IN_CALL', requestId);
  }
  const callee = ctx.sessions.get(msg.to);
  if (callee === undefined || callee.ended) {
    throw fail('PEER_NOT_FOUND', requestId);
  }
  const callId = newId();
  if (callee.room !== null || callee.call !== null) {
    caller.send({ type: 'call-ended', callId, reason: 'busy', ...withRequestId(requestId) });
    return;
  }
  const call = new Call(callId, caller, callee, ctx.clock);
  ctx.calls.set(callId, call);
  call.startRinging(ctx.limits.ringTimeoutMs, () => safely(ctx, 'ring timeout', () => finishCall(ctx, call, 'timeout')));
  callee.send({ type: 'incoming-call', callId, from: caller.info() });
  caller.send({ type: 'call-ringing', callId, to: callee.info(), ...withRequestId(requestId) });
}

/** The call `callId` if `session` may act on it in `role` while it is in `state`; CALL_NOT_FOUND otherwise. */
function ownCall(
  ctx: SignalingContext,
  session: Session,
  callId: string,
  role: 'caller' | 'callee' | 'either',
  state: Call['state'],
  requestId: string | undefined,
): Call {
  const call = ctx.calls.get(callId);
  const isParty =
    call !== undefined &&
    (role === 'caller' ? call.caller === session : role === 'callee' ? call.callee === session : call.isParty(session));
  if (call === undefined || !isParty || call.state !== state || session.call !== call) {
    throw fail('CALL_NOT_FOUND', requestId);
  }
  return call;
}

/** `call-accept`: both get `call-accepted`, then the caller and then the callee join the private room. */
export function handleAccept(ctx: SignalingContext, session: Session, msg: ClientMessageOf<'call-accept'>): void {
  const call = ownCall(ctx, session, msg.callId, 'callee', 'ringing', msg.requestId);
  const room = ctx.rooms.create(callRoomName(call.id), 2, true);
  call.activate(room);
  call.caller.send({ type: 'call-accepted', callId: call.id, room: room.name });
  call.callee.send({ type: 'call-accepted', callId: call.id, room: room.name, ...withRequestId(msg.requestId) });
  // The callee joins second: it is the newcomer, impolite, and makes the offer.
  enterRoom(ctx, call.caller, room);
  enterRoom(ctx, call.callee, room);
}

export function handleReject(ctx: SignalingContext, session: Session, msg: ClientMessageOf<'call-reject'>): void {
  const call = ownCall(ctx, session, msg.callId, 'callee', 'ringing', msg.requestId);
  finishCall(ctx, call, 'rejected', { by: session, requestId: msg.requestId });
}

export function handleCancel(ctx: SignalingContext, session: Session, msg: ClientMessageOf<'call-cancel'>): void {
  const call = ownCall(ctx, session, msg.callId, 'caller', 'ringing', msg.requestId);
  finishCall(ctx, call, 'cancelled', { by: session, requestId: msg.requestId });
}

export function handleHangup(ctx: SignalingContext, session: Session, msg: ClientMessageOf<'call-hangup'>): void {
  const call = ownCall(ctx, session, msg.callId, 'either', 'active', msg.requestId);
  finishCall(ctx, call, 'hangup', { by: session, requestId: msg.requestId });
}

/** `leave` while in a call's private room hangs the call up; the reply is `left`. */
export function leaveCallRoom(ctx: SignalingContext, session: Session, requestId: string | undefined): boolean {
  const call = session.call;
  if (call === null || call.state !== 'active' || session.room === null || session.room !== call.room) {
    return false;
  }
  finishCall(ctx, call, 'hangup', { by: session, requestId, replyOn: 'left' });
  return true;
}
