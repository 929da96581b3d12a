import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import sirv from 'sirv';

export interface HttpHandlerOptions {
  /** Folder with the built web app; index.html is served for every app route (/room/<name>, /call/<id>). */
  webRoot: string;
  health: () => Record<string, unknown>;
  registry: Registry;
  /** STUN/TURN servers with a fresh credential for the client that sent `request`. */
  iceServers: (request: IncomingMessage) => Promise<unknown[]>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Rendezvous</title>
<p>The web app is not built yet. Run <code>npm start</code> (it builds what is missing) or <code>npm run build</code>.</p>`;

/** HTTP routes: /healthz, /metrics, /api/*, and the web app. /ws is handled on 'upgrade', not here. */
export function createHttpHandler(options: HttpHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const built = existsSync(join(options.webRoot, 'index.html'));
  const serveStatic = sirv(options.webRoot, {
    single: true,
    etag: true,
    gzip: false,
    setHeaders(res, pathname) {
      res.setHeader('x-content-type-options', 'nosniff');
      if (pathname.startsWith('/assets/')) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      else res.setHeader('cache-control', 'no-cache');
    },
  });

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/healthz') {
      sendJson(res, 200, options.health());
      return;
    }
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': options.registry.contentType });
          res.end(text);
        },
        () => sendJson(res, 500, { error: 'INTERNAL', message: 'metrics unavailable' }),
      );
      return;
    }
    if (path === '/api/ice-servers') {
      options.iceServers(req).then(
        (iceServers) => sendJson(res, 200, { iceServers }),
        () => sendJson(res, 500, { error: 'INTERNAL', message: 'ICE servers unavailable' }),
      );
      return;
    }
    if (path.startsWith('/api/') || path === '/ws') {
      sendJson(res, 404, { error: 'NOT_FOUND', message: `No route ${path}` });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      res.end();
      return;
    }
    if (!built) {
      res.writeHead(503, { 'content-type': 'text/html; charset=utf-8' });
      res.end(NOT_BUILT);
      return;
    }
    serveStatic(req, res);
  };
}
