import type { PeerLeftReason } from '@rendezvous/protocol';
import { finishCall } from './calls.js';
import type { Connection } from './connection.js';
import { safely, type SignalingContext } from './context.js';
import { exitRoom } from './membership.js';
import type { Session } from './session.js';

/** Binds a session to a socket (new session or resume) and stops its resume-grace timer. */
export function attach(ctx: SignalingContext, session: Session, conn: Connection): void {
  if (session.graceTimer !== null) ctx.clock.clearTimeout(session.graceTimer);
  session.graceTimer = null;
  if (conn.helloTimer !== null) ctx.clock.clearTimeout(conn.helloTimer);
  conn.helloTimer = null;
  session.connection = conn;
  conn.session = session;
}

/**
 * The socket dropped abnormally: keep the session (peer id, room, call) for the resume grace, queueing
 * what is sent to it. Nobody else is told anything unless the grace runs out.
 */
export function detach(ctx: SignalingContext, session: Session): void {
  const conn = session.connection;
  if (session.ended || conn === null) return;
  conn.session = null;
  session.connection = null;
  if (ctx.closing) return;
  if (ctx.limits.resumeGraceMs === 0) {
    endSession(ctx, session, 'disconnected');
    return;
  }
  session.log.debug({ graceMs: ctx.limits.resumeGraceMs }, 'session detached');
  session.graceTimer = ctx.clock.setTimeout(() => {
    session.graceTimer = null;
    safely(session.log, 'ending a session after its grace', () => endSession(ctx, session, 'disconnected'));
  }, ctx.limits.resumeGraceMs);
}

/**
 * Ends a session for good: its call ends ('disconnected'), the others in its room get `peer-left`
 * with `reason`, and its peer id and resume token are forgotten. Idempotent.
 */
export function endSession(ctx: SignalingContext, session: Session, reason: PeerLeftReason): void {
  if (session.ended) return;
  session.ended = true; // from here on, messages to it are dropped
  if (session.graceTimer !== null) ctx.clock.clearTimeout(session.graceTimer);
  session.graceTimer = null;
  if (ctx.sessions.get(session.peerId) === session) ctx.sessions.delete(session.peerId);
  if (ctx.byToken.get(session.resumeToken) === session) ctx.byToken.delete(session.resumeToken);
  if (session.call !== null) finishCall(ctx, session.call, 'disconnected', { by: session });
  if (session.room !== null) exitRoom(ctx, session, reason);
  const conn = session.connection;
  session.connection = null;
  if (conn !== null) conn.session = null;
  session.queue.clear();
  ctx.addresses.removeSession(session);
  session.log.debug({ reason }, 'session ended');
}
