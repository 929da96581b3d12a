/**
 * Our SFU alone in a process, as the server runs it: `Sfu.start` on one UDP port of 127.0.0.1 and one room, with a
 * small HTTP API on loopback standing in for signaling (the same job Janus's HTTP API does in the other run):
 * `POST /publish/<source>` and `POST /subscribe/<id>` take an offer and answer it; `GET /stats` gives the counters.
 * Prints `ready <http port>`; SIGTERM closes everything.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { Sfu } from '@rendezvous/sfu';
import type { SfuSource } from '@rendezvous/protocol';

const ADDRESS = '127.0.0.1';
/** Where media goes: 127.0.0.2 in the bench's network namespace (see netns.ts), as for Janus and the load. */
const MEDIA_ADDRESS = process.env['BENCH_SFU_MEDIA_ADDRESS'] ?? ADDRESS;
const sfu = await Sfu.start({
  port: 0,
  bindAddress: MEDIA_ADDRESS,
  limits: { maxConnections: 100_000, maxConnectionsPerAddress: 100_000 },
});
const started = Date.now();
// A connection the SFU closed on its own (failed, lost, never connected) is reported on stderr: the load does not
// make it again, so it shows as loss.
const room = sfu.openRoom('bench', {
  sourcesChanged: () => undefined,
  failed: (peerId, what) => console.error(`sfu-closed ${peerId} ${JSON.stringify(what)} at ${Date.now() - started} ms`),
});

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString();
}

const server = createServer((request, response) => {
  const [, verb, arg] = (request.url ?? '').split('/');
  const reply = (status: number, text: string) => response.writeHead(status, { 'content-type': 'text/plain' }).end(text);
  void (async () => {
    try {
      if (verb === 'publish') {
        reply(200, await room.publish('publisher', MEDIA_ADDRESS, arg as SfuSource, await body(request)));
      } else if (verb === 'subscribe') {
        reply(200, await room.subscribe(arg ?? 'sub', MEDIA_ADDRESS, 'publisher', 'camera', await body(request)));
      } else if (verb === 'stats') {
        reply(200, JSON.stringify(sfu.stats()));
      } else {
        reply(404, 'no such route');
      }
    } catch (error) {
      reply(500, String(error));
    }
  })();
});
server.listen(0, ADDRESS, () => {
  const { port } = server.address() as { port: number };
  console.log(`ready ${port}`);
});

process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  void sfu.close().then(() => process.exit(0));
});
