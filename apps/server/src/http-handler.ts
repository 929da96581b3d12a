import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Registry } from 'prom-client';
import sirv from 'sirv';
import type { ClientView } from './client-address.js';
import { ALLOW_READ, requestContext, sendError, sendJson } from './http-errors.js';
import type { HttpHits } from './http-hits.js';
import type { KeyedRateLimiter } from './rate-limiter.js';
import { parseTarget, validHostHeader } from './request-target.js';

export interface HttpHandlerOptions {
  /** Routes that take other methods than GET and HEAD, and bodies (WHIP), tried first; true when the request was answered. */
  bodyRoutes?: (req: IncomingMessage, res: ServerResponse, pathname: string) => boolean;
  /** Routes tried before ours (the PeerJS endpoint); true when the request was answered. */
  extraRoutes?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Folder with the built web app; index.html is served for every app route (/room/<name>, /call/<id>). */
  webRoot: string;
  health: () => Record<string, unknown>;
  registry: Registry;
  /** STUN/TURN servers with a fresh credential for the client that sent `request`, identified by its `limitKey`. */
  iceServers: (request: IncomingMessage, limitKey: string) => unknown[] | Promise<unknown[]>;
  /** Requests to /api/ice-servers per client address (by `client.limitKey`: an IPv6 /64 is one address). */
  iceServersLimiter: KeyedRateLimiter;
  /**
   * The same ICE servers, answered to any origin (the PeerServer endpoint's `<path>/<key>/ice-servers`, for
   * peerjs apps served from their own sites), under the same per-address limit.
   */
  crossOriginIceServersPath?: string;
  client: ClientView;
  /** Set on every response (security-headers.ts). */
  headers: ReadonlyArray<readonly [string, string]>;
  hits: HttpHits;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Rendezvous</title>
<p>The web app is not built yet. Run <code>npm start</code> (it builds what is missing) or <code>npm run build</code>.</p>`;

const READ_METHODS: ReadonlySet<string | undefined> = new Set(['GET', 'HEAD']);
/** The one Range form we pass on to the static server (sirv mishandles the rest, `bytes=9-1` throws). */
const SIMPLE_RANGE = /^bytes=(\d{1,15})-(\d{1,15})?$/;

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Drops a Range header the static server could trip on; a client then simply gets the whole file. */
function sanitizeRange(req: IncomingMessage): void {
  const range = req.headers.range;
  if (range === undefined) {
    return;
  }
  const match = SIMPLE_RANGE.exec(range);
  if (match === null || (match[2] !== undefined && Number(match[2]) < Number(match[1]))) {
    delete req.headers.range;
  }
}

/** The built web app's files; undefined without a build (sirv reads the folder at once, and throws when it is missing). */
function createStatic(webRoot: string): ReturnType<typeof sirv> | undefined {
  if (!existsSync(join(webRoot, 'index.html'))) {
    return undefined;
  }
  return sirv(webRoot, {
    single: true,
    etag: true,
    gzip: false,
    setHeaders(res, pathname) {
      if (pathname.startsWith('/assets/')) {
        res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      } else {
        res.setHeader('cache-control', 'no-cache');
      }
    },
    onNoMatch: (_req, res) => sendError(res, 404, 'NOT_FOUND'),
  });
}

/** Our own bug (or a failing dependency): 500 if we still can, else cut the socket; logged with context. */
function failed(hits: HttpHits, req: IncomingMessage, res: ServerResponse, error: unknown): void {
  hits.hit('internal', { ...requestContext(req), err: error });
  if (!res.headersSent) {
    sendError(res, 500, 'INTERNAL', 'The server failed to handle this request.');
  } else {
    res.destroy();
  }
}

function refused(hits: HttpHits, req: IncomingMessage, res: ServerResponse, why: string): void {
  hits.hit('bad_request', { ...requestContext(req), why });
  sendError(res, 400, 'BAD_REQUEST', `The HTTP request is malformed: ${why}.`);
}

function sendMetrics(registry: Registry, res: ServerResponse, fail: (error: unknown) => void): void {
  registry.metrics().then((text) => {
    res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
    res.end(text);
  }, fail);
}

/** Why a request is refused before routing (HTTP version, Host header), or null. */
function protocolProblem(req: IncomingMessage): string | null {
  if (req.httpVersionMajor !== 1) {
    return 'only HTTP/1.0 and HTTP/1.1 are spoken here';
  }
  if (req.headers.host === undefined && req.httpVersionMinor === 1) {
    return 'HTTP/1.1 needs a Host header';
  }
  return validHostHeader(req.headers.host) ? null : 'the Host header is not a host name';
}

/** HTTP routes: /healthz, /metrics, /api/*, and the web app. /ws is handled on 'upgrade', not here. */
export function createHttpHandler(options: HttpHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { hits } = options;
  const serveStatic = createStatic(options.webRoot);
  const fail = (req: IncomingMessage, res: ServerResponse, error: unknown): void => failed(hits, req, res, error);
  const refuse = (req: IncomingMessage, res: ServerResponse, why: string): void => refused(hits, req, res, why);

  function iceServers(req: IncomingMessage, res: ServerResponse): void {
    const key = options.client.limitKey(req);
    const take = options.iceServersLimiter.take(key);
    if (!take.ok) {
      hits.hit('ice_servers_rate', { address: options.client.address(req), key });
      sendError(res, 429, 'HTTP_RATE_LIMITED', undefined, { 'retry-after': String(take.retryAfterSeconds) });
      return;
    }
    Promise.resolve()
      .then(() => options.iceServers(req, key))
      .then((list) => sendJson(res, 200, { iceServers: list }))
      .catch((error: unknown) => fail(req, res, error));
  }

  function route(req: IncomingMessage, res: ServerResponse): void {
    for (const [name, value] of options.headers) {
      res.setHeader(name, value);
    }
    const problem = protocolProblem(req);
    if (problem !== null) {
      return refuse(req, res, problem);
    }
    const target = parseTarget(req.url);
    if (!target.ok) {
      return refuse(req, res, target.reason);
    }
    if (options.bodyRoutes?.(req, res, target.pathname) === true) {
      return;
    }
    if (!READ_METHODS.has(req.method)) {
      hits.hit('method', requestContext(req));
      return sendError(res, 405, 'METHOD_NOT_ALLOWED', undefined, { allow: ALLOW_READ });
    }
    if (hasBody(req)) {
      return refuse(req, res, `${req.method} takes no body`);
    }
    if (options.extraRoutes?.(req, res) === true) {
      return;
    }
    const path = target.pathname;
    if (path === '/healthz') {
      return sendJson(res, 200, options.health());
    }
    if (path === '/metrics') {
      return sendMetrics(options.registry, res, (error) => fail(req, res, error));
    }
    if (path === '/api/ice-servers') {
      return iceServers(req, res);
    }
    if (path === options.crossOriginIceServersPath) {
      res.setHeader('access-control-allow-origin', '*');
      return iceServers(req, res);
    }
    // No source maps in production; a stray one in the build folder is not served either.
    if (path.startsWith('/api/') || path === '/ws' || path.endsWith('.map')) {
      return sendError(res, 404, 'NOT_FOUND', `No route ${path}`);
    }
    if (serveStatic === undefined) {
      res.writeHead(503, { 'content-type': 'text/html; charset=utf-8' });
      res.end(NOT_BUILT);
      return;
    }
    sanitizeRange(req);
    // A file that vanished since start (a rebuild) fails its read stream; that must not go unhandled.
    res.once('pipe', (source: Readable) => source.once('error', (error) => fail(req, res, error)));
    serveStatic(req, res);
  }

  return (req, res) => {
    try {
      route(req, res);
    } catch (error) {
      fail(req, res, error);
    }
  };
}
