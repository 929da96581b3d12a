import { RendezvousError, type ClientMessage } from '@rendezvous/protocol';
import { handleAccept, handleCall, handleCancel, handleHangup, handleReject, leaveCallRoom } from './calls.js';
import type { Connection } from './connection.js';
import { fail, type SignalingContext } from './context.js';
import { handleHello } from './hello.js';
import { handleJoin, handleLeave, handleMediaState, handleSignal } from './membership.js';

/**
 * Handles one valid client message. A handler rejects by throwing a RendezvousError (answered with
 * that code); anything else it throws becomes INTERNAL for this frame only.
 */
export async function dispatch(ctx: SignalingContext, conn: Connection, msg: ClientMessage): Promise<void> {
  try {
    if (msg.type === 'hello') {
      if (conn.session !== null) throw fail('ALREADY_HELLO', msg.requestId);
      await handleHello(ctx, conn, msg);
      return;
    }
    const session = conn.session;
    if (session === null) throw fail('HELLO_REQUIRED', msg.requestId);
    switch (msg.type) {
      case 'join':
        return await handleJoin(ctx, session, msg);
      case 'leave':
        if (leaveCallRoom(ctx, session, msg.requestId)) return;
        return handleLeave(ctx, session, msg);
      case 'signal':
        return handleSignal(ctx, session, msg);
      case 'media-state':
        return handleMediaState(ctx, session, msg);
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
      default: {
        const unhandled: never = msg;
        throw new Error(`unhandled message ${JSON.stringify(unhandled)}`);
      }
    }
  } catch (error) {
    if (error instanceof RendezvousError) {
      conn.sendError(error.code, error.requestId, error.message);
      return;
    }
    conn.log.error({ err: error, type: msg.type }, 'handler failed');
    conn.sendError('INTERNAL', msg.requestId);
  }
}
