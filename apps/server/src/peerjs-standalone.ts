import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { attachPeerjs, type PeerjsServer } from '@rendezvous/peerjs';
import { createClientView } from './client-address.js';
import { OPTIONS } from './config-options.js';
import { sendError } from './http-errors.js';
import { createHttpHandler } from './http-handler.js';
import { HttpHits } from './http-hits.js';
import { createBoundedServer } from './http-server.js';
import { createLogger, type Logger } from './logger.js';
import type { PeerjsStandaloneConfig } from './peerjs-standalone-options.js';
import { KeyedRateLimiter } from './rate-limiter.js';
import { parseTarget } from './request-target.js';
import { securityHeaders } from './security-headers.js';
import { VERSION } from './version.js';

export interface RunningPeerServer {
  readonly port: number;
  /** http(s)://host:port as bound (127.0.0.1 when bound to every interface). */
  readonly origin: string;
  /** origin + the endpoint's path, what `GET` answers with the endpoint's name. */
  readonly url: string;
  readonly peerjs: PeerjsServer;
  readonly httpServer: Server;
  readonly logger: Logger;
  /** Closes every peer's socket and the listener. Idempotent. */
  close(): Promise<void>;
}

/** The routes served beside the endpoint; every other path is the endpoint's (or 404). */
const OWN_ROUTES: ReadonlySet<string> = new Set(['/healthz', '/metrics']);
/** The HTTP handler's static web root, never read: `endpointRoutes` answers every path but OWN_ROUTES. */
const NO_WEB_ROOT = fileURLToPath(new URL('./', import.meta.url));

/** The shared security headers, with a CSP for responses that are never a page: nothing may load, nothing may frame them. */
function endpointHeaders(https: boolean): ReadonlyArray<readonly [string, string]> {
  return securityHeaders({ https, frameAncestors: "'none'" }).map(([name, value]) =>
    name === 'content-security-policy'
      ? ([name, "default-src 'none'; frame-ancestors 'none'"] as const)
      : ([name, value] as const),
  );
}

/** With --cors, the endpoint's `access-control-allow-origin: *` becomes the request's origin when listed, else nothing. */
function restrictCors(req: IncomingMessage, res: ServerResponse, origins: readonly string[]): void {
  const origin = req.headers.origin;
  const allowed = origin !== undefined && origins.includes(origin) ? origin : undefined;
  const writeHead = res.writeHead.bind(res) as (status: number, headers?: OutgoingHttpHeaders) => ServerResponse;
  const limited = (status: number, headers: OutgoingHttpHeaders = {}): ServerResponse => {
    const { ['access-control-allow-origin']: _any, ...rest } = headers;
    return writeHead(status, allowed === undefined ? rest : { ...rest, 'access-control-allow-origin': allowed, vary: 'Origin' });
  };
  res.writeHead = limited as typeof res.writeHead;
}

/** The endpoint's routes first, then 404 for anything that is neither the endpoint nor /healthz or /metrics. */
function endpointRoutes(peerjs: PeerjsServer, cors: readonly string[] | undefined) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const target = parseTarget(req.url);
    if (target.ok && OWN_ROUTES.has(target.pathname)) {
      return false;
    }
    if (cors !== undefined) {
      restrictCors(req, res, cors);
    }
    if (!peerjs.handleRequest(req, res)) {
      sendError(res, 404, 'NOT_FOUND', `No route ${target.ok ? target.pathname : ''}`);
    }
    return true;
  };
}

function listen(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Only the PeerServer endpoint, on its own bounded HTTP(S) server, with /healthz and /metrics beside it. */
export async function startPeerjsStandalone(
  config: PeerjsStandaloneConfig,
  options: { logger?: Logger; tls?: { key: Buffer; cert: Buffer } } = {},
): Promise<RunningPeerServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const startedAt = Date.now();
  const hits = new HttpHits(registry, logger.child({ component: 'http' }));
  const scheme = options.tls === undefined ? 'http' : 'https';
  const httpServer = createBoundedServer({
    tls: options.tls,
    headersTimeoutMs: OPTIONS.httpHeadersTimeoutMs.default,
    requestTimeoutMs: OPTIONS.httpRequestTimeoutMs.default,
    // Behind a proxy every connection comes from the proxy: a cap on its address would lock everyone out.
    maxConnectionsPerAddress: config.proxied ? undefined : OPTIONS.maxHttpConnectionsPerAddress.default,
    hits,
  });
  const peerjs = attachPeerjs({
    server: httpServer,
    path: config.path,
    logger: logger.child({ component: 'peerjs' }),
    // Nothing else listens for upgrades here: a WebSocket to any other path gets 404 rather than hanging.
    otherUpgradePaths: [],
    registry,
    limits: {
      key: config.key,
      expire_timeout: config.expire_timeout,
      alive_timeout: config.alive_timeout,
      leave_timeout: config.leave_timeout,
      concurrent_limit: config.concurrent_limit,
      allow_discovery: config.allow_discovery,
    },
  });
  httpServer.on(
    'request',
    createHttpHandler({
      webRoot: NO_WEB_ROOT,
      extraRoutes: endpointRoutes(peerjs, config.cors),
      registry,
      iceServers: () => [],
      iceServersLimiter: new KeyedRateLimiter(1),
      client: createClientView({ trustProxy: config.proxied, scheme }),
      headers: endpointHeaders(scheme === 'https'),
      hits,
      health: () => ({
        status: 'ok',
        version: VERSION,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        peers: peerjs.endpoint.realm.size,
      }),
    }),
  );
  try {
    await listen(httpServer, config.port, config.host);
  } catch (error) {
    peerjs.close();
    throw error;
  }
  const address = httpServer.address() as AddressInfo;
  const shownHost = config.host === undefined || config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const origin = `${scheme}://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${address.port}`;
  let closing: Promise<void> | undefined;
  return {
    port: address.port,
    origin,
    url: `${origin}${config.path}`,
    peerjs,
    httpServer,
    logger,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        peerjs.close();
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      })),
  };
}
