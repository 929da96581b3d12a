import { RendezvousError, type ClientMessage } from '@rendezvous/protocol';
import type { RawData } from 'ws';
import { handleAccept, handleCall, handleCancel, handleHangup, handleReject, leaveCallRoom } from './calls.js';
import type { Connection, IncomingFrame } from './connection.js';
import { describe, fail, type SignalingContext } from './context.js';
import { decodeFrame } from './frames.js';
import { handleHello } from './hello.js';
import { handleJoin, handleLeave, handleMediaState, handleSignal } from './membership.js';
import { handleHand, handleRecording } from './presence.js';
import { handlePeerOpen, handlePeerSignal } from './peer-directory.js';
import { handleRoomEvent } from './room-events.js';
import type { Session } from './session.js';

/** A frame from the socket: it proves the client alive, then waits at the socket's rate gate. */
export function receiveFrame(ctx: SignalingContext, conn: Connection, data: RawData, isBinary: boolean): void {
  try {
    if (conn.closed || ctx.closing) {
      return;
    }
    conn.markAlive();
    conn.gate?.offer({ data, isBinary });
  } catch (error) {
    conn.log.error({ err: error }, 'frame intake failed');
    conn.sendError('INTERNAL');
  }
}

/** A frame the rate gate admitted: decoded, then handled after the socket's earlier frames. */
export function handleFrame(ctx: SignalingContext, conn: Connection, { data, isBinary }: IncomingFrame): void {
  if (conn.closed || ctx.closing) {
    return;
  }
  const result = decodeFrame(data, isBinary, ctx.limits.maxFrameBytes);
  if (!result.ok) {
    const { code, requestId, detail } = result;
    conn.enqueue(() => conn.sendError(code, requestId, describe(code, detail)));
    return;
  }
  const message = result.message;
  ctx.metrics.countMessage(message.type);
  conn.enqueue(() => dispatch(ctx, conn, message));
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
    default: {
      const unhandled: never = msg;
      throw new Error(`unhandled message ${JSON.stringify(unhandled)}`);
    }
  }
}
