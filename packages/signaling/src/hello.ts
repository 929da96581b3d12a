import { IceServerSchema, SUPPORTED_PROTOCOL_VERSIONS, type ClientMessageOf, type IceServer } from '@rendezvous/protocol';
import { CLOSE_CODES } from './close-codes.js';
import type { Connection } from './connection.js';
import { describe, safely, type SignalingContext } from './context.js';
import { newId, newResumeToken } from './ids.js';
import { attach, endSession } from './lifecycle.js';
import { Session } from './session.js';

type Hello = ClientMessageOf<'hello'>;

/**
 * `hello`: authenticate, then resume the session named by `resumeToken` (same user, still in its
 * grace) or start a new one, and answer `welcome`. After a resume the queued messages follow.
 */
export async function handleHello(ctx: SignalingContext, conn: Connection, msg: Hello): Promise<void> {
  const { requestId } = msg;
  if (!SUPPORTED_PROTOCOL_VERSIONS.includes(msg.version)) {
    const detail = `version ${msg.version}; supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}`;
    conn.sendError('PROTOCOL_VERSION', requestId, describe('PROTOCOL_VERSION', detail));
    conn.close(CLOSE_CODES.protocolVersion, 'unsupported protocol version');
    return;
  }
  let userId: string | undefined;
  const authenticate = ctx.hooks.authenticate;
  if (authenticate !== undefined) {
    try {
      const result = await authenticate({ token: msg.token, displayName: msg.displayName, request: conn.request });
      userId = result?.userId ?? undefined;
    } catch (error) {
      conn.log.info({ err: error }, 'authentication refused');
      if (!conn.isOpen || ctx.closing) return;
      conn.sendError('UNAUTHORIZED', requestId);
      conn.close(CLOSE_CODES.policy, 'unauthorized');
      return;
    }
  }
  if (!conn.isOpen || ctx.closing) return;
  await establish(ctx, conn, msg, userId, true);
}

function resumable(ctx: SignalingContext, msg: Hello, userId: string | undefined): Session | undefined {
  if (msg.resumeToken === undefined) return undefined;
  const session = ctx.byToken.get(msg.resumeToken);
  if (session === undefined || session.ended || session.userId !== userId) return undefined;
  return session;
}

function uniquePeerId(ctx: SignalingContext): string {
  for (;;) {
    const id = newId();
    if (!ctx.sessions.has(id)) return id;
  }
}

async function loadIceServers(ctx: SignalingContext, conn: Connection, peerId: string, userId: string | undefined): Promise<IceServer[]> {
  const hook = ctx.hooks.iceServers;
  if (hook === undefined) return [];
  try {
    const parsed = IceServerSchema.array().safeParse(await hook({ peerId, userId, request: conn.request }));
    if (parsed.success) return parsed.data;
    conn.log.error({ detail: parsed.error.message }, 'iceServers hook returned an invalid list; sending none');
  } catch (error) {
    conn.log.error({ err: error }, 'iceServers hook threw; sending none');
  }
  return [];
}

function refuseSessionLimit(conn: Connection, requestId: string | undefined): void {
  conn.sendError('SESSION_LIMIT', requestId);
  conn.close(CLOSE_CODES.tryAgainLater, 'too many sessions');
}

async function establish(ctx: SignalingContext, conn: Connection, msg: Hello, userId: string | undefined, allowResume: boolean): Promise<void> {
  const target = allowResume ? resumable(ctx, msg, userId) : undefined;
  if (target === undefined && ctx.sessions.size >= ctx.limits.maxSessions) return refuseSessionLimit(conn, msg.requestId);
  const peerId = target?.peerId ?? uniquePeerId(ctx);
  const iceServers = await loadIceServers(ctx, conn, peerId, userId);
  if (!conn.isOpen || ctx.closing) return;
  // Everything below is synchronous, so nothing can slip in between the checks and the welcome.
  // The session ended, or another socket resumed it first (its token rotated): start afresh.
  if (target !== undefined && (target.ended || ctx.byToken.get(msg.resumeToken ?? '') !== target)) {
    return establish(ctx, conn, msg, userId, false);
  }
  if (target === undefined && (ctx.sessions.size >= ctx.limits.maxSessions || ctx.sessions.has(peerId))) {
    return refuseSessionLimit(conn, msg.requestId);
  }
  const config = {
    heartbeatIntervalMs: ctx.limits.heartbeatIntervalMs,
    resumeGraceMs: ctx.limits.resumeGraceMs,
    maxFrameBytes: ctx.limits.maxFrameBytes,
    ringTimeoutMs: ctx.limits.ringTimeoutMs,
  };
  const reply = { version: msg.version, iceServers, config, ...(msg.requestId === undefined ? {} : { requestId: msg.requestId }) };

  if (target === undefined) {
    const session = new Session(
      peerId,
      msg.displayName,
      userId,
      newResumeToken(),
      ctx.log.child({ peerId }),
      ctx.limits.maxQueuedWhileDetached,
      // Ending synchronously could reorder messages of the handler that is sending; end right after it.
      (full) => queueMicrotask(() => safely(full.log, 'ending an overflowing session', () => endSession(ctx, full, 'disconnected'))),
    );
    ctx.sessions.set(peerId, session);
    ctx.byToken.set(session.resumeToken, session);
    attach(ctx, session, conn);
    conn.send({ type: 'welcome', peerId, displayName: session.displayName, resumeToken: session.resumeToken, resumed: false, ...reply });
    session.log.debug({ userId }, 'session started');
    return;
  }

  const old = target.connection;
  if (old !== null && old !== conn) {
    // The old socket is still open (a half-open TCP connection, say): it loses the session.
    old.session = null;
    target.connection = null;
    old.terminate();
  }
  ctx.byToken.delete(target.resumeToken);
  target.resumeToken = newResumeToken();
  ctx.byToken.set(target.resumeToken, target);
  attach(ctx, target, conn);
  const queued = target.queue;
  target.queue = [];
  const room = target.room === null ? {} : { room: target.room.snapshotFor(target) };
  conn.send({
    type: 'welcome',
    peerId,
    displayName: target.displayName,
    resumeToken: target.resumeToken,
    resumed: true,
    ...room,
    ...reply,
  });
  for (const message of queued) conn.send(message);
  target.log.debug({ queued: queued.length }, 'session resumed');
}
