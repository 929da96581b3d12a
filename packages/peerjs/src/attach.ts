import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData } from 'ws';
import { PeerjsEndpoint } from './endpoint.js';
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

function pathnameOf(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

function reply(res: ServerResponse, status: number, type: string, body: string): void {
  // PeerServer answers any origin: peerjs pages are usually served from elsewhere.
  res.writeHead(status, { 'content-type': type, 'access-control-allow-origin': '*', 'cache-control': 'no-store' });
  res.end(body);
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) {
    return Buffer.concat(data).toString('utf8');
  }
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

/** Attaches a PeerServer-compatible endpoint to `options.server` (HTTP routes are served through handleRequest). */
export function attachPeerjs(options: PeerjsOptions): PeerjsServer {
  const base = normalisePath(options.path ?? '/peerjs');
  const endpoint = new PeerjsEndpoint(options);
  const newId = options.newId ?? randomUUID;
  const wsPath = `${base}peerjs`;
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: endpoint.limits.max_message_bytes,
  });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const pathname = pathnameOf(request.url);
    if (pathname !== wsPath) {
      const others = options.otherUpgradePaths;
      if (others !== undefined && (pathname === undefined || !others.includes(pathname))) {
        socket.on('error', () => {});
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      }
      return;
    }
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', () => {});
      const session = endpoint.connect(
        { key: query.get('key'), id: query.get('id'), token: query.get('token') },
        { send: (text) => ws.send(text), close: () => ws.close() },
      );
      if (session === undefined) {
        return;
      }
      ws.on('message', (data, isBinary) => session.onMessage(isBinary ? '' : textOf(data)));
      ws.on('close', () => session.onClose());
    });
  };
  options.server.on('upgrade', onUpgrade);

  function handleRequest(req: IncomingMessage, res: ServerResponse): boolean {
    const pathname = pathnameOf(req.url);
    if (pathname === undefined || (pathname !== base.slice(0, -1) && !pathname.startsWith(base))) {
      return false;
    }
    const rest = pathname.slice(base.length).split('/');
    if (pathname === base.slice(0, -1) || rest.join('') === '') {
      reply(res, 200, 'application/json', JSON.stringify({ name: 'Rendezvous PeerServer endpoint' }));
    } else if (rest.length === 2 && rest[0] === endpoint.limits.key && rest[1] === 'id') {
      let id = newId();
      while (endpoint.realm.get(id) !== undefined) {
        id = newId();
      }
      reply(res, 200, 'text/plain; charset=utf-8', id);
    } else if (rest.length === 2 && rest[0] === endpoint.limits.key && rest[1] === 'peers') {
      if (endpoint.limits.allow_discovery) {
        reply(res, 200, 'application/json', JSON.stringify(endpoint.realm.ids()));
      } else {
        reply(res, 401, 'text/plain; charset=utf-8', 'Unauthorized');
      }
    } else {
      reply(res, 404, 'text/plain; charset=utf-8', 'Not Found');
    }
    return true;
  }

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
