import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  fullCount,
  msUntilToken,
  RateGate,
  realClock,
  searchParamsOf,
  silentLogger,
  takeToken,
  type Clock,
  type TokenCount,
  type TokenRate,
} from '@rendezvous/common';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { PeerjsEndpoint, type PeerSession } from './endpoint.js';
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
  if (Buffer.isBuffer(data)) {
    return data.toString('utf8');
  }
  if (Array.isArray(data)) {
    return Buffer.concat(data).toString('utf8');
  }
  return Buffer.from(data).toString('utf8');
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

/** What the sockets of one endpoint share. */
interface Shared {
  endpoint: PeerjsEndpoint;
  clock: Clock;
  addresses: AddressCounts;
  /** The sockets' rate limit, one object for all their token buckets. */
  rate: TokenRate;
}

/**
 * One accepted socket: the endpoint's session, behind the socket's token bucket, counted against its address.
 * A rate gate is put in front of it only once a frame finds the bucket empty.
 */
class Accepted implements TokenCount {
  private gate: RateGate<string> | null = null;

  constructor(
    readonly address: string,
    readonly session: PeerSession,
    private readonly shared: Shared,
    /** Its token bucket, kept here rather than in an object of its own (see takeToken). */
    public tokens: number,
    public tokensAt: number,
  ) {}

  offer(ws: WebSocket, text: string): void {
    if (this.gate === null && takeToken(this.shared.rate, this)) {
      this.session.onMessage(text);
      return;
    }
    (this.gate ??= this.openGate(ws)).offer(text);
  }

  closed(): void {
    this.gate?.close();
    this.shared.addresses.add(this.address, -1);
    this.session.onClose();
  }

  private openGate(ws: WebSocket): RateGate<string> {
    const { endpoint, clock, rate } = this.shared;
    const refuse = (): void => {
      endpoint.metrics.refused.inc({ reason: 'rate_limit' });
      ws.close(1008, 'rate limit');
    };
    return new RateGate<string>(
      { take: () => takeToken(rate, this), msUntilToken: () => msUntilToken(rate, this) },
      ws,
      clock,
      endpoint.limits.rate_limit_hold_frames,
      (text) => this.session.onMessage(text),
      refuse,
    );
  }
}

/** The Accepted a WebSocket carries (set once, when it is accepted). */
const ACCEPTED = Symbol('accepted');
type CarryingSocket = WebSocket & { [ACCEPTED]: Accepted };

/** The socket listeners, shared by every socket: each finds its Accepted on the socket (`this`). */
function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  (this as CarryingSocket)[ACCEPTED].offer(this, isBinary ? '' : textOf(data));
}

function onClose(this: WebSocket): void {
  (this as CarryingSocket)[ACCEPTED].closed();
}

function ignore(): void {}

/** Accepts one socket: the endpoint opens it (or refuses it, with its message, and closes it). */
function acceptSocket(ws: WebSocket, query: URLSearchParams, address: string, shared: Shared): void {
  const { endpoint } = shared;
  ws.on('error', ignore);
  // The socket is what the endpoint sends to and closes: ws.send(text) and ws.close() are all it uses.
  const session = endpoint.connect({ key: query.get('key'), id: query.get('id'), token: query.get('token') }, ws);
  if (session === undefined) {
    return;
  }
  shared.addresses.add(address, 1);
  const { tokens, tokensAt } = fullCount(shared.rate);
  (ws as CarryingSocket)[ACCEPTED] = new Accepted(address, session, shared, tokens, tokensAt);
  ws.on('message', onMessage);
  ws.on('close', onClose);
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

  const rate = {
    perSecond: endpoint.limits.rate_limit_per_second,
    burst: endpoint.limits.rate_limit_burst,
    now: () => clock.now(),
  };
  const shared: Shared = { endpoint, clock, addresses: perAddress, rate };

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
    const query = searchParamsOf(request.url);
    wss.handleUpgrade(request, socket, head, (ws) => acceptSocket(ws, query, address, shared));
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
