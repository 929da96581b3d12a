import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PeerjsEndpoint } from './endpoint.js';

import { pathnameOf } from '@rendezvous/common';

export { pathnameOf };

function reply(res: ServerResponse, status: number, type: string, body: string): void {
  // PeerServer answers any origin: peerjs pages are usually served from elsewhere.
  res.writeHead(status, { 'content-type': type, 'access-control-allow-origin': '*', 'cache-control': 'no-store' });
  res.end(body);
}

/**
 * PeerServer's HTTP routes under `base`: GET `<base>` (a name), `<base><key>/id` (a fresh id) and
 * `<base><key>/peers` (with allow_discovery). Returns false for a request that is not one of them.
 */
export function peerjsRoutes(
  base: string,
  endpoint: PeerjsEndpoint,
  newId: () => string,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
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
    } else if (rest.length === 2 && rest[0] === endpoint.limits.key && rest[1] === 'ice-servers') {
      // Served by the host, which mints TURN credentials (apps/server); not a PeerServer route.
      return false;
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
  };
}
