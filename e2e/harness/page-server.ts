import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sdkBundle } from './sdk-bundle.js';

export interface PageServer {
  /** http://127.0.0.1:<port>/ : a blank page that loads the SDK as window.Rendezvous (a secure context). */
  url: string;
  close(): Promise<void>;
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>rendezvous e2e</title></head>
<body><script>window.__name = (f) => f;</script><script src="/sdk.js"></script></body></html>`;

/** Serves the SDK test page. The signaling server runs elsewhere; WebSockets are not bound by origin. */
export async function startPageServer(): Promise<PageServer> {
  const bundle = await sdkBundle();
  const server: Server = createServer((req, res) => {
    if (req.url === '/sdk.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(bundle);
    } else {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
