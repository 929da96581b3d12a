/**
 * Child process: a signaling server from the tree given as argv[2] (its own packages/signaling), on a plain
 * HTTP server at 127.0.0.1:<free port>, with the rate limit raised out of the load's way. Prints
 * `ready <port>` and closes on SIGTERM. Run with `node --conditions=source --import tsx`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Signaling from '@rendezvous/signaling';

const root = process.argv[2];
if (root === undefined) {
  throw new Error('usage: signaling-server.ts <tree root>');
}
const { createSignalingServer } = (await import(
  pathToFileURL(join(root, 'packages/signaling/src/index.ts')).href
)) as typeof Signaling;

const http = createServer((_request, response) => response.writeHead(404).end());
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const signaling = createSignalingServer({
  server: http,
  limits: { rateLimitPerSecond: 1_000_000, rateLimitBurst: 1_000_000 },
});
process.stdout.write(`ready ${(http.address() as AddressInfo).port}\n`);

process.once('SIGTERM', () => {
  void signaling.close('bench over').then(() => {
    http.closeAllConnections();
    http.close(() => process.exit(0));
  });
});
