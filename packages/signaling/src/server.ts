import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { AddressLimits, defaultClientAddress } from './address-limits.js';
import { Connection, type IncomingFrame } from './connection.js';
import { describe, safely, type SignalingContext } from './context.js';
import { dispatch } from './dispatch.js';
import { decodeFrame, frameRequestId } from './frames.js';
import { startHeartbeat } from './heartbeat.js';
import { CLOSE_CODES } from './close-codes.js';
import { detach, endSession } from './lifecycle.js';
import { LimitHits } from './limit-hits.js';
import { MemoryBudget, type BudgetedSocket, type SlowReason } from './memory-budget.js';
import { createMetrics } from './metrics.js';
import {
  realClock,
  resolveLimits,
  silentLogger,
  type SignalingOptions,
  type SignalingServer,
  type SignalingStats,
} from './options.js';
import { RateGate } from './rate-gate.js';
import { TokenBucket } from './rate-limit.js';
import { RoomRegistry } from './rooms.js';
import { pathnameOf, RefusedSockets, refuseOrigin, refuseUpgrade } from './upgrade.js';

/** How long close() waits for clients to answer the close frame before cutting their sockets. */
const SHUTDOWN_DRAIN_MS = 2_000;

/** Creates the signaling server and attaches it to `options.server` on `options.path` (default '/ws'). */
export function createSignalingServer(options: SignalingOptions): SignalingServer {
  const limits = resolveLimits(options.limits);
  const path = options.path ?? '/ws';
  const log = options.logger ?? silentLogger;
  const clock = options.clock ?? realClock;
  const ctx: SignalingContext = {
    limits,
    log,
    clock,
    metrics: createMetrics(options.registry, () => {
      ctx.budget.sweep(); // unsent bytes are measured lazily: bring them up to date for the gauge
      return { sessions: ctx.sessions.size, rooms: ctx.rooms.size, bufferedBytes: ctx.budget.bufferedBytes, queuedBytes: ctx.budget.queuedBytes };
    }),
    hooks: { authenticate: options.authenticate, admit: options.admit, iceServers: options.iceServers },
    connections: new Set(),
    sessions: new Map(),
    byToken: new Map(),
    rooms: new RoomRegistry(),
    calls: new Map(),
    addresses: new AddressLimits(limits, clock),
    budget: new MemoryBudget({
      budgetBytes: limits.memoryBudgetBytes,
      drainTimeoutMs: limits.drainTimeoutMs,
      maxQueuedBytesPerAddress: limits.maxQueuedBytesPerAddress,
      clock,
      onSlow: (socket, reason) => cutSlowConsumer(socket, reason),
    }),
    hits: new LimitHits(options.registry, log, clock),
    closing: false,
  };

  /** A socket that did not drain (or the heaviest one when the budget is full): cut it, keep its session. */
  function cutSlowConsumer(socket: BudgetedSocket, reason: SlowReason): void {
    const conn = socket as Connection;
    ctx.hits.hit(reason, { address: conn.address, unsent: conn.unsent });
    conn.sendFinalError('SLOW_CONSUMER');
    conn.release();
    if (conn.session !== null) detach(ctx, conn.session);
    conn.terminate();
  }

  function addressOf(request: IncomingMessage): string {
    if (options.clientAddress === undefined) return defaultClientAddress(request);
    try {
      return options.clientAddress(request);
    } catch (error) {
      log.error({ err: error }, 'clientAddress hook threw; using the socket address');
      return defaultClientAddress(request);
    }
  }
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: limits.maxFrameBytes * 4,
  });

  function onFrame(conn: Connection, data: RawData, isBinary: boolean): void {
    try {
      intake(conn, data, isBinary);
    } catch (error) {
      conn.log.error({ err: error }, 'frame intake failed');
      conn.sendError('INTERNAL');
    }
  }

  function intake(conn: Connection, data: RawData, isBinary: boolean): void {
    if (conn.closed || ctx.closing) return;
    conn.markAlive();
    conn.gate?.offer({ data, isBinary });
  }

  /** A frame the rate gate admitted: decoded, then handled after the socket's earlier frames. */
  function handleFrame(conn: Connection, { data, isBinary }: IncomingFrame): void {
    if (conn.closed || ctx.closing) return;
    const result = decodeFrame(data, isBinary, limits.maxFrameBytes);
    if (!result.ok) {
      const { code, requestId, detail } = result;
      conn.enqueue(() => conn.sendError(code, requestId, describe(code, detail)));
      return;
    }
    const message = result.message;
    ctx.metrics.messages.inc({ type: message.type });
    conn.enqueue(() => dispatch(ctx, conn, message));
  }

  function onClose(conn: Connection, code: number): void {
    conn.closed = true;
    conn.release();
    if (ctx.connections.delete(conn)) ctx.addresses.closeConnection(conn.address);
    if (conn.helloTimer !== null) clock.clearTimeout(conn.helloTimer);
    conn.helloTimer = null;
    const session = conn.session;
    if (session === null || session.connection !== conn || ctx.closing) return;
    // 1000 and 1001 are deliberate (SDK close(), tab closed): end now. Anything else may come back.
    if (code === 1000 || code === 1001) endSession(ctx, session, 'left');
    else detach(ctx, session);
  }

  function onConnection(ws: WebSocket, request: IncomingMessage): void {
    if (ctx.closing) {
      ws.terminate();
      return;
    }
    const address = addressOf(request);
    if (!ctx.addresses.openConnection(address)) {
      refuseConnection(ws, address);
      return;
    }
    const conn = new Connection(ws, request, {
      log,
      metrics: ctx.metrics,
      maxBufferedBytes: limits.maxBufferedBytes,
      budget: ctx.budget,
      address,
    });
    conn.gate = new RateGate<IncomingFrame>(
      new TokenBucket(limits.rateLimitPerSecond, limits.rateLimitBurst, () => clock.now()),
      ws,
      clock,
      limits.rateLimitHoldFrames,
      (frame) => safely(conn.log, 'frame handling', () => handleFrame(conn, frame)),
      // Answered at once, not queued behind pending handlers: a flood must not pile up work.
      (frame) => conn.sendError('RATE_LIMITED', frameRequestId(frame.data, frame.isBinary)),
    );
    ctx.connections.add(conn);
    conn.helloTimer = clock.setTimeout(() => {
      conn.helloTimer = null;
      if (conn.session !== null || conn.closed) return;
      safely(conn.log, 'hello timeout', () => {
        conn.sendError('HELLO_REQUIRED', undefined, `No hello within ${limits.helloTimeoutMs} ms.`);
        conn.close(CLOSE_CODES.policy, 'hello timeout');
      });
    }, limits.helloTimeoutMs);
    ws.on('message', (data, isBinary) => onFrame(conn, data, isBinary));
    ws.on('pong', () => conn.markAlive());
    ws.on('error', (error) => conn.log.debug({ err: error }, 'socket error'));
    ws.on('close', (code) => safely(conn.log, 'socket close', () => onClose(conn, code)));
    conn.log.debug({ remote: address }, 'socket open');
  }

  const refused = new RefusedSockets(clock);

  /** maxConnectionsPerAddress: the socket hears ADDRESS_LIMIT, is closed with 1013 and cut soon after (never counted). */
  function refuseConnection(ws: WebSocket, address: string): void {
    ctx.hits.hit('maxConnectionsPerAddress', { address });
    ctx.metrics.rejected.inc({ code: 'ADDRESS_LIMIT' });
    const detail = `at most ${limits.maxConnectionsPerAddress} sockets`;
    const frame = JSON.stringify({ type: 'error', code: 'ADDRESS_LIMIT', message: describe('ADDRESS_LIMIT', detail) });
    refused.refuse(ws, frame, CLOSE_CODES.tryAgainLater, 'too many sockets from this address');
  }

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (pathnameOf(request.url) !== path) {
      // Other upgrade handlers may own this path; answer only when there is nobody else.
      if (options.server.listenerCount('upgrade') <= 1) refuseUpgrade(socket, 404);
      return;
    }
    if (ctx.closing) {
      refuseUpgrade(socket, 503);
      return;
    }
    if (!originAllowed(request)) {
      ctx.hits.hit('origin', { origin: request.headers.origin ?? null });
      refuseOrigin(socket);
      return;
    }
    try {
      wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, request));
    } catch (error) {
      log.error({ err: error }, 'upgrade failed');
      socket.destroy();
    }
  };
  options.server.on('upgrade', onUpgrade);

  function originAllowed(request: IncomingMessage): boolean {
    if (options.checkOrigin === undefined) return true;
    try {
      return options.checkOrigin(request.headers.origin, request);
    } catch (error) {
      log.error({ err: error }, 'checkOrigin hook threw; refusing');
      return false;
    }
  }

  /** Heartbeat found a dead socket: like a network drop, the session waits for a resume. */
  const stopHeartbeat = startHeartbeat(ctx, (conn) => {
    if (conn.session !== null) detach(ctx, conn.session);
    conn.terminate();
  });

  let closing: Promise<void> | undefined;

  async function shutdown(reason: string): Promise<void> {
    ctx.closing = true;
    options.server.off('upgrade', onUpgrade);
    stopHeartbeat();
    refused.close();
    for (const session of ctx.sessions.values()) {
      if (session.graceTimer !== null) clock.clearTimeout(session.graceTimer);
      session.graceTimer = null;
      session.ended = true;
      session.queue.clear();
    }
    ctx.addresses.clear();
    for (const call of ctx.calls.values()) if (call.timer !== null) clock.clearTimeout(call.timer);
    ctx.calls.clear();
    ctx.sessions.clear();
    ctx.byToken.clear();
    ctx.rooms.clear();
    const open = [...ctx.connections];
    const allClosed = Promise.all(
      open.map((conn) => new Promise<void>((resolve) => (conn.ws.readyState === WebSocket.CLOSED ? resolve() : conn.ws.once('close', () => resolve())))),
    );
    for (const conn of open) {
      if (conn.helloTimer !== null) clock.clearTimeout(conn.helloTimer);
      conn.helloTimer = null;
      conn.send({ type: 'shutdown', reason });
      conn.close(CLOSE_CODES.goingAway, reason.slice(0, 120));
    }
    let drainTimer: unknown = null;
    const drained = new Promise<void>((resolve) => {
      drainTimer = clock.setTimeout(() => {
        drainTimer = null;
        for (const conn of open) if (conn.ws.readyState !== WebSocket.CLOSED) conn.terminate();
        resolve();
      }, SHUTDOWN_DRAIN_MS);
    });
    await Promise.race([allClosed, drained]);
    if (drainTimer !== null) clock.clearTimeout(drainTimer);
    await allClosed;
    ctx.connections.clear();
    ctx.budget.close();
    wss.close();
    log.info({ reason }, 'signaling closed');
  }

  return {
    stats(): SignalingStats {
      let detached = 0;
      for (const session of ctx.sessions.values()) if (session.connection === null) detached++;
      ctx.budget.sweep();
      const { bufferedBytes, queuedBytes } = ctx.budget;
      return { sessions: ctx.sessions.size, rooms: ctx.rooms.size, detached, bufferedBytes, queuedBytes };
    },
    terminate(peerId: string): boolean {
      const session = ctx.sessions.get(peerId);
      const conn = session?.connection ?? null;
      if (session === undefined || conn === null) return false;
      detach(ctx, session);
      conn.terminate();
      return true;
    },
    close(reason = 'server shutting down'): Promise<void> {
      closing ??= shutdown(reason);
      return closing;
    },
  };
}
