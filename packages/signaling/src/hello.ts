import {
  IceServerSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
  type ClientMessageOf,
  type IceServer,
  type ServerMessageOf,
} from '@rendezvous/protocol';
import { CLOSE_CODES } from './close-codes.js';
import type { Connection } from './connection.js';
import { describe, type SignalingContext } from './context.js';
import { newId, newResumeToken } from './ids.js';
import { logsAt } from './lazy-logger.js';
import { endSession } from './lifecycle.js';
import { andThen, callHook, type MaybePromise } from './maybe-async.js';
import { probeAlive } from './resume-probe.js';
import { Session } from './session.js';

type Hello = ClientMessageOf<'hello'>;

/** Built once: a zod schema is costly to construct, and every hello with an iceServers hook checks one list. */
const ICE_SERVER_LIST = IceServerSchema.array();

/**
 * `hello`: authenticate, then resume the session named by `resumeToken` (same user, still in its
 * grace) or start a new one, and answer `welcome`. After a resume the queued messages follow. With
 * synchronous hooks (or none) and nothing to probe, it all happens at once; otherwise it returns the
 * promise of the rest.
 */
export function handleHello(ctx: SignalingContext, conn: Connection, msg: Hello): MaybePromise<void> {
  const { requestId } = msg;
  if (!SUPPORTED_PROTOCOL_VERSIONS.includes(msg.version)) {
    const detail = `version ${msg.version}; supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}`;
    conn.sendError('PROTOCOL_VERSION', requestId, describe('PROTOCOL_VERSION', detail));
    conn.close(CLOSE_CODES.protocolVersion, 'unsupported protocol version');
    return;
  }
  const authenticate = ctx.hooks.authenticate;
  if (authenticate === undefined) {
    return establishIfOpen(ctx, conn, msg, undefined);
  }
  return callHook(
    () => authenticate({ token: msg.token, displayName: msg.displayName, request: conn.request }),
    (result) => establishIfOpen(ctx, conn, msg, result?.userId ?? undefined),
    (error) => {
      conn.log.info({ err: error }, 'authentication refused');
      if (!conn.isOpen || ctx.closing) {
        return;
      }
      conn.sendError('UNAUTHORIZED', requestId);
      conn.close(CLOSE_CODES.policy, 'unauthorized');
    },
  );
}

function establishIfOpen(ctx: SignalingContext, conn: Connection, msg: Hello, userId: string | undefined): MaybePromise<void> {
  if (!conn.isOpen || ctx.closing) {
    return;
  }
  return establish(ctx, conn, msg, userId, true);
}

function resumable(ctx: SignalingContext, msg: Hello, userId: string | undefined): Session | undefined {
  if (msg.resumeToken === undefined) {
    return undefined;
  }
  const session = ctx.byToken.get(msg.resumeToken);
  if (session === undefined || session.ended || session.userId !== userId) {
    return undefined;
  }
  return session;
}

function uniquePeerId(ctx: SignalingContext): string {
  for (;;) {
    const id = newId();
    if (!ctx.sessions.has(id)) {
      return id;
    }
  }
}

function loadIceServers(
  ctx: SignalingContext,
  conn: Connection,
  peerId: string,
  userId: string | undefined,
): MaybePromise<IceServer[]> {
  const hook = ctx.hooks.iceServers;
  if (hook === undefined) {
    return [];
  }
  return callHook(
    () => hook({ peerId, userId, request: conn.request }),
    (list): IceServer[] => {
      const parsed = ICE_SERVER_LIST.safeParse(list);
      if (parsed.success) {
        return parsed.data;
      }
      conn.log.error({ detail: parsed.error.message }, 'iceServers hook returned an invalid list; sending none');
      return [];
    },
    (error): IceServer[] => {
      conn.log.error({ err: error }, 'iceServers hook threw; sending none');
      return [];
    },
  );
}

function refuseSessionLimit(conn: Connection, requestId: string | undefined): void {
  conn.sendError('SESSION_LIMIT', requestId);
  conn.close(CLOSE_CODES.tryAgainLater, 'too many sessions');
}

function refuseAddressLimit(ctx: SignalingContext, conn: Connection, requestId: string | undefined): void {
  ctx.hits.hit('maxSessionsPerAddress', { address: conn.address });
  conn.sendError('ADDRESS_LIMIT', requestId, describe('ADDRESS_LIMIT', `at most ${ctx.limits.maxSessionsPerAddress} sessions`));
  conn.close(CLOSE_CODES.tryAgainLater, 'too many sessions from this address');
}

/**
 * The session `msg.resumeToken` names, if this socket may take it: it must be detached, or its socket
 * must stay silent for resumeProbeMs (a half-open connection). A live owner keeps its session.
 */
function claimable(
  ctx: SignalingContext,
  conn: Connection,
  msg: Hello,
  userId: string | undefined,
): MaybePromise<Session | undefined> {
  const target = resumable(ctx, msg, userId);
  const owner = target?.connection ?? null;
  if (target === undefined || owner === null || owner === conn || !owner.isOpen) {
    return target;
  }
  return probeAlive(ctx, owner).then((alive) => {
    if (!alive) {
      return target;
    }
    ctx.hits.hit('resumeProbe', { peerId: target.peerId });
    conn.log.info({ peerId: target.peerId }, 'resume refused: the session is attached to a live socket');
    return undefined;
  });
}

function establish(
  ctx: SignalingContext,
  conn: Connection,
  msg: Hello,
  userId: string | undefined,
  allowResume: boolean,
): MaybePromise<void> {
  const claimed = allowResume ? claimable(ctx, conn, msg, userId) : undefined;
  return andThen(claimed, (target) => establishWith(ctx, conn, msg, userId, target));
}

/** establish(), once the session to resume (if any) is known. */
function establishWith(
  ctx: SignalingContext,
  conn: Connection,
  msg: Hello,
  userId: string | undefined,
  target: Session | undefined,
): MaybePromise<void> {
  if (!conn.isOpen || ctx.closing) {
    return;
  }
  if (target === undefined && ctx.sessions.size >= ctx.limits.maxSessions) {
    return refuseSessionLimit(conn, msg.requestId);
  }
  if (target === undefined && ctx.addresses.sessionSlot(conn.address).kind === 'full') {
    return refuseAddressLimit(ctx, conn, msg.requestId);
  }
  const peerId = target?.peerId ?? uniquePeerId(ctx);
  return andThen(loadIceServers(ctx, conn, peerId, userId), (iceServers) =>
    welcome(ctx, conn, msg, userId, target, peerId, iceServers),
  );
}

/** The last step of a hello: checks again, then starts or resumes the session and answers `welcome`. */
function welcome(
  ctx: SignalingContext,
  conn: Connection,
  msg: Hello,
  userId: string | undefined,
  target: Session | undefined,
  peerId: string,
  iceServers: IceServer[],
): MaybePromise<void> {
  if (!conn.isOpen || ctx.closing) {
    return;
  }
  // Everything below is synchronous, so nothing can slip in between the checks and the welcome.
  // The session ended, or another socket resumed it first (its token rotated): start afresh.
  if (target !== undefined && (target.ended || ctx.byToken.get(msg.resumeToken ?? '') !== target)) {
    return establish(ctx, conn, msg, userId, false);
  }
  if (target === undefined && (ctx.sessions.size >= ctx.limits.maxSessions || ctx.sessions.has(peerId))) {
    return refuseSessionLimit(conn, msg.requestId);
  }
  if (target === undefined && !makeRoomAtAddress(ctx, conn)) {
    return refuseAddressLimit(ctx, conn, msg.requestId);
  }
  const config = {
    heartbeatIntervalMs: ctx.limits.heartbeatIntervalMs,
    resumeGraceMs: ctx.limits.resumeGraceMs,
    maxFrameBytes: ctx.limits.maxFrameBytes,
    ringTimeoutMs: ctx.limits.ringTimeoutMs,
    rateLimitPerSecond: ctx.limits.rateLimitPerSecond,
    rateLimitBurst: ctx.limits.rateLimitBurst,
    maxRoomEventBytes: ctx.limits.maxRoomEventBytes,
    relayBytesPerSecond: ctx.limits.relayBytesPerSecond,
  };
  const reply = {
    version: msg.version,
    iceServers,
    config,
    ...(msg.requestId === undefined ? {} : { requestId: msg.requestId }),
  };
  if (target === undefined) {
    startSession(ctx, conn, msg, userId, peerId, reply);
  } else {
    resumeSession(ctx, conn, target, reply);
  }
}

/** Frees a session slot for the socket's address, ending its oldest detached session if needed. */
function makeRoomAtAddress(ctx: SignalingContext, conn: Connection): boolean {
  const slot = ctx.addresses.sessionSlot(conn.address);
  if (slot.kind === 'full') {
    return false;
  }
  if (slot.kind === 'evict') {
    slot.evict.log.info({ address: conn.address }, 'evicted: its address started a new session at maxSessionsPerAddress');
    endSession(ctx, slot.evict, 'disconnected');
  }
  return true;
}

type WelcomeCommon = Pick<ServerMessageOf<'welcome'>, 'version' | 'iceServers' | 'config' | 'requestId'>;

function startSession(
  ctx: SignalingContext,
  conn: Connection,
  msg: Hello,
  userId: string | undefined,
  peerId: string,
  reply: WelcomeCommon,
): void {
  const session = new Session({
    peerId,
    displayName: msg.displayName,
    userId,
    resumeToken: newResumeToken(),
    address: conn.address,
    deps: ctx.sessionDeps,
  });
  ctx.sessions.set(peerId, session);
  ctx.byToken.set(session.resumeToken, session);
  ctx.addresses.addSession(session);
  session.attach(conn);
  conn.send({
    type: 'welcome',
    peerId,
    displayName: session.displayName,
    resumeToken: session.resumeToken,
    resumed: false,
    ...reply,
  });
  if (logsAt(ctx.log, 'debug')) {
    session.log.debug({ userId }, 'session started');
  }
}

function resumeSession(ctx: SignalingContext, conn: Connection, target: Session, reply: WelcomeCommon): void {
  ctx.byToken.delete(target.resumeToken);
  target.resumeToken = newResumeToken();
  ctx.byToken.set(target.resumeToken, target);
  // An old socket that stayed silent through the probe (a half-open TCP connection, say) loses the session.
  target.attach(conn)?.terminate();
  const queued = target.takeQueued();
  const room = target.room === null ? {} : { room: target.room.snapshotFor(target) };
  conn.send({
    type: 'welcome',
    peerId: target.peerId,
    displayName: target.displayName,
    resumeToken: target.resumeToken,
    resumed: true,
    ...room,
    ...reply,
  });
  for (const message of queued) {
    conn.send(message);
  }
  target.log.debug({ queued: queued.length }, 'session resumed');
}
