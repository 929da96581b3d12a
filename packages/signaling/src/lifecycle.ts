import type { PeerLeftReason } from '@rendezvous/protocol';
import { finishCall } from './calls.js';
import type { Connection } from './connection.js';
import { safely, type SignalingContext } from './context.js';
import { exitRoom } from './membership.js';
import type { Session } from './session.js';

/**
 * The socket dropped abnormally: keep the session (peer id, room, call) for the resume grace, queueing
 * what is sent to it. Nobody else is told anything unless the grace runs out.
 */
export function detach(ctx: SignalingContext, session: Session): void {
  if (session.ended || session.detachConnection() === null) {
    return;
  }
  if (ctx.closing) {
    return;
  }
  if (ctx.limits.resumeGraceMs === 0) {
    endSession(ctx, session, 'disconnected');
    return;
  }
  session.log.debug({ graceMs: ctx.limits.resumeGraceMs }, 'session detached');
  session.startGrace(ctx.limits.resumeGraceMs, () =>
    safely(session, 'ending a session after its grace', () => endSession(ctx, session, 'disconnected')),
  );
}

/**
 * Ends a session for good: its call ends ('disconnected'), the others in its room get `peer-left`
 * with `reason`, and its peer id and resume token are forgotten. Idempotent.
 */
export function endSession(ctx: SignalingContext, session: Session, reason: PeerLeftReason): void {
  if (session.ended) {
    return;
  }
  session.dispose(); // from here on, messages to it are dropped
  if (ctx.sessions.get(session.peerId) === session) {
    ctx.sessions.delete(session.peerId);
  }
  if (ctx.byToken.get(session.resumeToken) === session) {
    ctx.byToken.delete(session.resumeToken);
  }
  if (session.call !== null) {
    finishCall(ctx, session.call, 'disconnected', { by: session });
  }
  exitRoom(ctx, session, { peerLeft: reason });
  ctx.addresses.removeSession(session);
  session.log.debug({ reason }, 'session ended');
}

/** Cuts a socket abruptly (a dead heartbeat, a slow consumer, terminate()): its session waits for a resume. */
export function cutConnection(ctx: SignalingContext, conn: Connection): void {
  if (conn.session !== null) {
    detach(ctx, conn.session);
  }
  conn.terminate();
}

/** The socket closed. 1000 and 1001 are deliberate (SDK close(), tab closed): the session ends now. Anything else may come back. */
export function connectionClosed(ctx: SignalingContext, conn: Connection, code: number): void {
  conn.dispose();
  if (ctx.connections.delete(conn)) {
    ctx.addresses.closeConnection(conn.address);
  }
  const session = conn.session;
  if (session === null || session.connection !== conn || ctx.closing) {
    return;
  }
  if (code === 1000 || code === 1001) {
    endSession(ctx, session, 'left');
  } else {
    detach(ctx, session);
  }
}
