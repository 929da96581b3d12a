import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { defaultClientAddress } from './address-limits.js';
import { CLOSE_CODES } from './close-codes.js';
import { Connection, connectionOf } from './connection.js';
import { describe, safely, type SignalingContext } from './context.js';
import { startHeartbeat } from './heartbeat.js';
import { logsAt } from './lazy-logger.js';
import { connectionClosed, cutConnection } from './lifecycle.js';
import type { SignalingOptions } from './options.js';
import { fullCount } from '@rendezvous/common';
import { receiveFrame } from './routing.js';
import { pathnameOf, RefusedSockets, refuseOrigin, refuseUpgrade } from './upgrade.js';

type IntakeOptions = Pick<SignalingOptions, 'server' | 'path' | 'checkOrigin' | 'clientAddress'>;

/** How sockets come in: HTTP upgrades on the path, accepted as connections, kept alive by the heartbeat. */
export interface Intake {
  /** No more upgrades, pings or lingering refused sockets (the first step of a shutdown). */
  stopAccepting(): void;
  /** Lets go of the WebSocket server (the last step of a shutdown). */
  close(): void;
}

/** Listens for upgrades on `options.path` (default '/ws') and starts the heartbeat. */
export function startIntake(ctx: SignalingContext, options: IntakeOptions): Intake {
  const path = options.path ?? '/ws';
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: ctx.limits.maxFrameBytes * 4,
  });
  const refused = new RefusedSockets(ctx.clock);
  const listeners = socketListeners(ctx);
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (pathnameOf(request.url) !== path) {
      // Other upgrade handlers may own this path; answer only when there is nobody else.
      if (options.server.listenerCount('upgrade') <= 1) {
        refuseUpgrade(socket, 404);
      }
      return;
    }
    if (ctx.closing) {
      return refuseUpgrade(socket, 503);
    }
    if (!originAllowed(ctx, options, request)) {
      ctx.hits.hit('origin', { origin: request.headers.origin ?? null });
      return refuseOrigin(socket);
    }
    try {
      wss.handleUpgrade(request, socket, head, (ws) =>
        acceptConnection(ctx, ws, request, addressOf(ctx, options, request), refused, listeners),
      );
    } catch (error) {
      ctx.log.error({ err: error }, 'upgrade failed');
      socket.destroy();
    }
  };
  options.server.on('upgrade', onUpgrade);
  // A dead socket is like a network drop: the session waits for a resume.
  const stopHeartbeat = startHeartbeat(ctx, (conn) => cutConnection(ctx, conn));
  return {
    stopAccepting() {
      options.server.off('upgrade', onUpgrade);
      stopHeartbeat();
      refused.close();
    },
    close() {
      wss.close();
    },
  };
}

function originAllowed(ctx: SignalingContext, options: IntakeOptions, request: IncomingMessage): boolean {
  if (options.checkOrigin === undefined) {
    return true;
  }
  try {
    return options.checkOrigin(request.headers.origin, request);
  } catch (error) {
    ctx.log.error({ err: error }, 'checkOrigin hook threw; refusing');
    return false;
  }
}

function addressOf(ctx: SignalingContext, options: IntakeOptions, request: IncomingMessage): string {
  if (options.clientAddress === undefined) {
    return defaultClientAddress(request);
  }
  try {
    return options.clientAddress(request);
  } catch (error) {
    ctx.log.error({ err: error }, 'clientAddress hook threw; using the socket address');
    return defaultClientAddress(request);
  }
}

/**
 * The socket listeners, made once per server: each finds its connection on the socket (`this`), so a
 * socket costs no closures of its own.
 */
interface SocketListeners {
  message: (this: WebSocket, data: RawData, isBinary: boolean) => void;
  error: (this: WebSocket, error: Error) => void;
  close: (this: WebSocket, code: number) => void;
}

function socketListeners(ctx: SignalingContext): SocketListeners {
  return {
    message: function (data, isBinary) {
      receiveFrame(ctx, connectionOf(this), data, isBinary);
    },
    error: function (error) {
      connectionOf(this).log.debug({ err: error }, 'socket error');
    },
    close: function (code) {
      const conn = connectionOf(this);
      safely(conn, 'socket close', () => connectionClosed(ctx, conn, code));
    },
  };
}

/** A new WebSocket: counted against its address, given a full token bucket and a hello deadline, wired to routing. */
function acceptConnection(
  ctx: SignalingContext,
  ws: WebSocket,
  request: IncomingMessage,
  address: string,
  refused: RefusedSockets,
  listeners: SocketListeners,
): void {
  if (ctx.closing) {
    return ws.terminate();
  }
  if (!ctx.addresses.openConnection(address)) {
    return refuseConnection(ctx, refused, ws, address);
  }
  const { limits } = ctx;
  const { tokens, tokensAt } = fullCount(ctx.rate);
  const conn = new Connection(ws, request, ctx.connectionDeps, address, tokens, tokensAt);
  ctx.connections.add(conn);
  conn.startHelloDeadline(limits.helloTimeoutMs, () => helloTimedOut(ctx, conn));
  ws.on('message', listeners.message);
  ws.on('error', listeners.error);
  ws.on('close', listeners.close);
  if (logsAt(ctx.log, 'debug')) {
    conn.log.debug({ remote: address }, 'socket open');
  }
}

function helloTimedOut(ctx: SignalingContext, conn: Connection): void {
  if (conn.session !== null || conn.closed) {
    return;
  }
  safely(conn, 'hello timeout', () => {
    conn.sendError('HELLO_REQUIRED', undefined, `No hello within ${ctx.limits.helloTimeoutMs} ms.`);
    conn.close(CLOSE_CODES.policy, 'hello timeout');
  });
}

/** maxConnectionsPerAddress: the socket hears ADDRESS_LIMIT, is closed with 1013 and cut soon after (never counted). */
function refuseConnection(ctx: SignalingContext, refused: RefusedSockets, ws: WebSocket, address: string): void {
  ctx.hits.hit('maxConnectionsPerAddress', { address });
  ctx.metrics.rejected.inc({ code: 'ADDRESS_LIMIT' });
  const detail = `at most ${ctx.limits.maxConnectionsPerAddress} sockets`;
  const frame = JSON.stringify({ type: 'error', code: 'ADDRESS_LIMIT', message: describe('ADDRESS_LIMIT', detail) });
  refused.refuse(ws, frame, CLOSE_CODES.tryAgainLater, 'too many sockets from this address');
}
