/**
 * Child process: one server under test, `argv[2]` of SERVER_KINDS, on 127.0.0.1 and a free port, plus a
 * second tiny HTTP server for the load to read this process's CPU time and memory (`GET /stats`, `?gc=1`
 * collects garbage first). Prints `ready <port> <statsPort>`; exits on SIGTERM.
 * Run with `node --expose-gc --import tsx` (the product from its build; bench/signaling/processes.ts does).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SERVER_KINDS = ['rendezvous', 'peer', 'floor', 'socketio'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

export interface ServerStats {
  /** process.cpuUsage(), user + system, in microseconds. */
  cpuMicros: number;
  rss: number;
  heapUsed: number;
  external: number;
}

const listen = (server: Server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const portOf = (server: Server) => (server.address() as AddressInfo).port;

/** The product as users run it (`rendezvous start`): /ws and /peerjs on one port, default limits but the rate limit. */
async function startRendezvousProduct(): Promise<{ port: number; close: () => Promise<void> }> {
  const { loadConfig, startRendezvous } = await import('@rendezvous/server');
  const config = loadConfig({
    argv: [],
    env: {},
    overrides: {
      host: '127.0.0.1',
      port: 0,
      turnHost: '127.0.0.1',
      turnPort: 0,
      sfuPort: 0,
      // A closed loop runs each socket far past a person's rate: the bench measures the relay, not the limiter.
      rateLimitPerSecond: 1_000_000,
      rateLimitBurst: 1_000_000,
    },
  });
  const server = await startRendezvous(config, { stateDir: join(tmpdir(), 'rendezvous-bench') });
  return { port: server.port, close: () => server.close('bench over') };
}

async function startPeerServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const { PeerServer } = await import('peer');
  const http = await new Promise<Server>((resolve) => {
    PeerServer({ port: 0, host: '127.0.0.1', path: '/peerjs' }, (server) => resolve(server));
  });
  return { port: portOf(http), close: () => Promise.resolve(http.closeAllConnections()) };
}

async function startPlain(kind: 'floor' | 'socketio'): Promise<{ port: number; close: () => Promise<void> }> {
  const http = createServer((_request, response) => response.writeHead(404).end());
  if (kind === 'floor') {
    (await import('./floor-relay.js')).attachFloorRelay(http);
  } else {
    (await import('./socketio-relay.js')).attachSocketIoRelay(http);
  }
  await listen(http);
  return { port: portOf(http), close: () => Promise.resolve(http.closeAllConnections()) };
}

function stats(gc: boolean): ServerStats {
  if (gc && typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return { cpuMicros: cpu.user + cpu.system, rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external };
}

const kind = process.argv[2] as ServerKind;
if (!SERVER_KINDS.includes(kind)) {
  throw new Error(`usage: server.ts <${SERVER_KINDS.join('|')}>`);
}
const running =
  kind === 'rendezvous' ? await startRendezvousProduct() : kind === 'peer' ? await startPeerServer() : await startPlain(kind);
const statsServer = createServer((request, response) => {
  const body = JSON.stringify(stats(request.url?.includes('gc=1') === true));
  response.writeHead(200, { 'content-type': 'application/json' }).end(body);
});
await listen(statsServer);
process.stdout.write(`ready ${running.port} ${portOf(statsServer)}\n`);
process.once('SIGTERM', () => {
  void running.close().finally(() => process.exit(0));
});
