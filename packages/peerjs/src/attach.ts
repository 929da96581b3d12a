import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { RateGate, realClock, silentLogger, TokenBucket, type Clock } from '@rendezvous/common';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { PeerjsEndpoint } from './endpoint.js';
import { pathnameOf, peerjsRoutes } from './http-routes.js';
import type { PeerjsOptions } from './options.js';

export interface PeerjsServer {
  readonly endpoint: PeerjsEndpoint;
  /** `<path>/` as the client builds its URLs from it. */
  readonly base: string;
  /** Answers GET `<path>`, `<path>/<key>/id` and `<path>/<key>/peers`; false when the request is not one of those. */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean;
  /** True when `pathname` is this endpoint's WebSocket path. */
  ownsUpgrade(pathname: string): boolean;
  close(): void;
}

/** `/peerjs` or `peerjs/` → `/peerjs/`, as PeerServer and its client normalise the path. */
export function normalisePath(path: string): string {
  const leading = path.startsWith('/') ? path : `/${path}`;
  return leading.endsWith('/') ? leading : `${leading}/`;
}

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.on('error', () => {});
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) {
    return Buffer.concat(data).toString('utf8');
  }
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

/** Open sockets per client address. */
class AddressCounts {
  private readonly counts = new Map<string, number>();

  count(address: string): number {
    return this.counts.get(address) ?? 0;
  }

  add(address: string, delta: 1 | -1): void {
    const next = this.count(address) + delta;
    if (next > 0) {
      this.counts.set(address, next);
    } else {
      this.counts.delete(address);
    }
  }
}

/** One accepted socket: the endpoint's session, behind the socket's rate gate, counted against its address. */
function acceptSocket(
  ws: WebSocket,
  query: URLSearchParams,
  at: { endpoint: PeerjsEndpoint; clock: Clock; addresses: AddressCounts; address: string },
): void {
  const { endpoint, clock } = at;
  ws.on('error', () => {});
  const session = endpoint.connect(
    { key: query.get('key'), id: query.get('id'), token: query.get('token') },
    { send: (text) => ws.send(text), close: () => ws.close() },
  );
  if (session === undefined) {
    return;
  }
  at.addresses.add(at.address, 1);
  const limits = endpoint.limits;
  const bucket = new TokenBucket(limits.rate_limit_per_second, limits.rate_limit_burst, () => clock.now());
  const refuse = (): void => {
    endpoint.metrics.refused.inc({ reason: 'rate_limit' });
    ws.close(1008, 'rate limit');
  };
  const gate = new RateGate<string>(bucket, ws, clock, limits.rate_limit_hold_frames, (text) => session.onMessage(text), refuse);
  ws.on('message', (data, isBinary) => gate.offer(isBinary ? '' : textOf(data)));
  ws.on('close', () => {
    gate.close();
    at.addresses.add(at.address, -1);
    session.onClose();
  });
}

/** Attaches a PeerServer-compatible endpoint to `options.server` (HTTP routes are served through handleRequest). */
export function attachPeerjs(options: PeerjsOptions): PeerjsServer {
  const base = normalisePath(options.path ?? '/peerjs');
  const endpoint = new PeerjsEndpoint(options);
  const clock = options.clock ?? realClock;
  const log = options.logger ?? silentLogger;
  const wsPath = `${base}peerjs`;
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: endpoint.limits.max_message_bytes,
  });

  const perAddress = new AddressCounts();
  const clientAddress = options.clientAddress ?? ((request: IncomingMessage) => request.socket.remoteAddress ?? 'unknown');

  const accept = (ws: WebSocket, query: URLSearchParams, address: string): void =>
    acceptSocket(ws, query, { endpoint, clock, addresses: perAddress, address });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const pathname = pathnameOf(request.url);
    if (pathname !== wsPath) {
      const others = options.otherUpgradePaths;
      if (others !== undefined && (pathname === undefined || !others.includes(pathname))) {
        refuseUpgrade(socket, '404 Not Found');
      }
      return;
    }
    const address = clientAddress(request);
    if (perAddress.count(address) >= endpoint.limits.max_connections_per_address) {
      endpoint.metrics.refused.inc({ reason: 'address_limit' });
      log.info({ address }, 'peerjs socket refused: too many from this address');
      refuseUpgrade(socket, '429 Too Many Requests');
      return;
    }
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, query, address));
  };
  options.server.on('upgrade', onUpgrade);

  const handleRequest = peerjsRoutes(base, endpoint, options.newId ?? randomUUID);

  return {
    endpoint,
    base,
    handleRequest,
    ownsUpgrade: (pathname) => pathname === wsPath,
    close() {
      options.server.off('upgrade', onUpgrade);
      endpoint.close();
      wss.close();
    },
  };
}
