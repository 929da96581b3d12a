import { RendezvousError, type ClientMessage } from '@rendezvous/protocol';
import type { RawData } from 'ws';
import { handleAccept, handleCall, handleCancel, handleHangup, handleReject, leaveCallRoom } from './calls.js';
import { msUntilToken, RateGate, takeToken } from '@rendezvous/common';
import type { Connection, IncomingFrame } from './connection.js';
import { describe, fail, safely, type SignalingContext } from './context.js';
import { decodeMessage, FrameError, frameRequestId } from './frames.js';
import { handleHello } from './hello.js';
import { handleJoin, handleLeave, handleMediaState, handleSignal } from './membership.js';
import { handleHand, handleRecording } from './presence.js';
import { handlePeerOpen, handlePeerSignal } from './peer-directory.js';
import { handleRoomEvent } from './room-events.js';
import { handleSfuMessage } from './sfu-media.js';
import { handleRelay } from './data-relay.js';
import type { Session } from './session.js';

/**
 * A frame from the socket: it proves the client alive, then takes a token. While the socket's token
 * bucket keeps up it is handled at once; the first frame that finds it empty puts a rate gate in front
 * of the socket (openGate), where this and later frames wait their turn.
 */
export function receiveFrame(ctx: SignalingContext, conn: Connection, data: RawData, isBinary: boolean): void {
  try {
    if (conn.closed || ctx.closing) {
      return;
    }
    conn.markAlive();
    if (conn.gate === null && takeToken(ctx.rate, conn)) {
      admitFrame(ctx, conn, data, isBinary);
      return;
    }
    (conn.gate ??= openGate(ctx, conn)).offer({ data, isBinary });
  } catch (error) {
    conn.log.error({ err: error }, 'frame intake failed');
    conn.sendError('INTERNAL');
  }
}

/**
 * The rate gate of a socket whose token bucket ran empty: from then on its frames wait there for tokens
 * (in order, reading paused) and, past rateLimitHoldFrames, are refused.
 */
function openGate(ctx: SignalingContext, conn: Connection): RateGate<IncomingFrame> {
  return new RateGate<IncomingFrame>(
    { take: () => takeToken(ctx.rate, conn), msUntilToken: () => msUntilToken(ctx.rate, conn) },
    conn.ws,
    ctx.clock,
    ctx.limits.rateLimitHoldFrames,
    (frame) => safely(conn, 'frame handling', () => handleFrame(ctx, conn, frame.data, frame.isBinary)),
    // Answered at once, not queued behind pending handlers: a flood must not pile up work.
    (frame) => conn.sendError('RATE_LIMITED', frameRequestId(frame.data, frame.isBinary)),
  );
}

function admitFrame(ctx: SignalingContext, conn: Connection, data: RawData, isBinary: boolean): void {
  try {
    handleFrame(ctx, conn, data, isBinary);
  } catch (error) {
    conn.log.error({ err: error }, 'frame handling failed');
  }
}

/** A frame the rate limit admitted: decoded, then handled after the socket's earlier frames. */
export function handleFrame(ctx: SignalingContext, conn: Connection, data: RawData, isBinary: boolean): void {
  if (conn.closed || ctx.closing) {
    return;
  }
  const message = decodeMessage(data, isBinary, ctx.limits.maxFrameBytes);
  if (message instanceof FrameError) {
    const { code, requestId, detail } = message;
    conn.enqueue(() => conn.sendError(code, requestId, describe(code, detail)));
    return;
  }
  ctx.metrics.countMessage(message.type);
  conn.enqueueCall(dispatch, ctx, conn, message);
}

/**
 * Handles one valid client message. A handler rejects by throwing a RendezvousError (answered with
 * that code and detail); anything else it throws becomes INTERNAL for this frame only.
 */
export function dispatch(ctx: SignalingContext, conn: Connection, msg: ClientMessage): void | Promise<void> {
  try {
    let pending: void | Promise<void>;
    if (msg.type === 'hello') {
      if (conn.session !== null) {
        throw fail('ALREADY_HELLO', msg.requestId);
      }
      pending = handleHello(ctx, conn, msg);
    } else {
      const session = conn.session;
      if (session === null) {
        throw fail('HELLO_REQUIRED', msg.requestId);
      }
      pending = route(ctx, session, msg);
    }
    // Synchronous handlers (signal, most of all) cost no promise; the others are answered when they settle.
    return pending instanceof Promise ? pending.catch((error: unknown) => answerFailure(conn, msg, error)) : undefined;
  } catch (error) {
    answerFailure(conn, msg, error);
  }
}

function answerFailure(conn: Connection, msg: ClientMessage, error: unknown): void {
  if (error instanceof RendezvousError) {
    conn.sendError(error.code, error.requestId, error.message, error.detail);
    return;
  }
  conn.log.error({ err: error, type: msg.type }, 'handler failed');
  conn.sendError('INTERNAL', msg.requestId);
}

/** The handler of each message a session may send. */
function route(ctx: SignalingContext, session: Session, msg: Exclude<ClientMessage, { type: 'hello' }>): void | Promise<void> {
  switch (msg.type) {
    case 'join':
      return handleJoin(ctx, session, msg);
    case 'leave':
      if (leaveCallRoom(ctx, session, msg.requestId)) {
        return;
      }
      return handleLeave(ctx, session, msg);
    case 'signal':
      return handleSignal(ctx, session, msg);
    case 'media-state':
      return handleMediaState(ctx, session, msg);
    case 'room-event':
      return handleRoomEvent(ctx, session, msg);
    case 'hand':
      return handleHand(ctx, session, msg);
    case 'recording':
      return handleRecording(ctx, session, msg);
    case 'call':
      return handleCall(ctx, session, msg);
    case 'call-accept':
      return handleAccept(ctx, session, msg);
    case 'call-reject':
      return handleReject(ctx, session, msg);
    case 'call-cancel':
      return handleCancel(ctx, session, msg);
    case 'call-hangup':
      return handleHangup(ctx, session, msg);
    case 'peer-open':
      return handlePeerOpen(ctx, session, msg);
    case 'peer-signal':
      return handlePeerSignal(ctx, session, msg);
    case 'sfu-publish':
    case 'sfu-unpublish':
    case 'sfu-subscribe':
    case 'sfu-unsubscribe':
    case 'sfu-candidate':
      return handleSfuMessage(ctx, session, msg);
    case 'relay':
      return handleRelay(ctx, session, msg);
    default: {
      const unhandled: never = msg;
      throw new Error(`unhandled message ${JSON.stringify(unhandled)}`);
    }
  }
}
