/**
 * The per-address cap on open HTTP connections, with real sockets: keep-alive connections from 127.0.0.1 fill it,
 * the next one is closed at once, 127.0.0.2 is served meanwhile, closing one frees a slot; WebSockets count too.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import WebSocket from 'ws';
import type { RunningServer } from './app.js';
import { rawGet, startTestServer } from './test-raw-http.js';

/** A connection from `localAddress` that has had one request answered and is kept alive. */
async function keptAlive(server: RunningServer, localAddress = '127.0.0.1'): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port: server.port, localAddress });
  await once(socket, 'connect');
  socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`);
  const answered = once(socket, 'data') as Promise<[Buffer]>;
  const cut = once(socket, 'close').then(() => [Buffer.from('closed without a response')] as [Buffer]);
  const [chunk] = await Promise.race([answered, cut]);
  assert.match(chunk.toString('latin1'), /^HTTP\/1\.1 200 /);
  return socket;
}

/** The server's side of each connection, by the client's port, to wait for the server to see a close. */
function serverSockets(server: RunningServer): Map<number, Socket> {
  const byPort = new Map<number, Socket>();
  server.httpServer.on('connection', (socket: Socket) => byPort.set(socket.remotePort ?? 0, socket));
  return byPort;
}

/** Closes `client` and resolves once the server has seen the close (and so released its slot). */
async function closeAndWait(client: Socket, serverSide: Map<number, Socket>): Promise<void> {
  const socket = serverSide.get(client.localPort ?? -1);
  assert.ok(socket !== undefined, 'the server side of the connection');
  const closed = once(socket, 'close');
  client.destroy();
  await closed;
}

const metric = async (server: RunningServer): Promise<string> => (await rawGet(server, '/metrics', {}, '127.0.0.2')).body;

test('HTTP connections per address: the N+1th is closed at once, another address is served, a close frees a slot', async () => {
  const server = await startTestServer({ maxHttpConnectionsPerAddress: 3, maxConnectionsPerAddress: 2 });
  const serverSide = serverSockets(server);
  const held: Socket[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      held.push(await keptAlive(server));
    }
    const refused = await rawGet(server, '/healthz', {}, '127.0.0.1');
    assert.equal(refused.status, 0, 'closed without a response');
    assert.equal((await rawGet(server, '/healthz', {}, '127.0.0.2')).status, 200, 'another address is served');
    assert.match(await metric(server), /rendezvous_http_rejected_total\{reason="connections_per_address"\} 1\b/);
    await closeAndWait(held.shift()!, serverSide);
    held.push(await keptAlive(server));
    assert.equal((await rawGet(server, '/healthz', {}, '127.0.0.1')).status, 0, 'full again');
  } finally {
    for (const socket of held) {
      socket.destroy();
    }
    await server.close();
  }
});

test('WebSocket connections count as well, until they close; with --trust-proxy the cap is off', async () => {
  // The HTTP cap sits above the signaling one (config refuses otherwise): two WebSockets and one kept-alive request fill it.
  const server = await startTestServer({ maxHttpConnectionsPerAddress: 3, maxConnectionsPerAddress: 2 });
  const serverSide = serverSockets(server);
  const sockets: WebSocket[] = [];
  const request: Socket[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      sockets.push(new WebSocket(`ws://127.0.0.1:${server.port}/ws`));
      await once(sockets[i]!, 'open');
    }
    request.push(await keptAlive(server));
    assert.equal((await rawGet(server, '/healthz', {}, '127.0.0.1')).status, 0);
    // The server ends one of them (the client's port of a WebSocket is not public).
    const open = [...serverSide.values()].find((socket) => !socket.destroyed)!;
    const closed = once(open, 'close');
    open.destroy();
    await closed;
    assert.equal((await rawGet(server, '/healthz', {}, '127.0.0.1')).status, 200);
  } finally {
    for (const ws of sockets) {
      ws.terminate();
    }
    for (const socket of request) {
      socket.destroy();
    }
    await server.close();
  }
  const proxied = await startTestServer({ maxHttpConnectionsPerAddress: 1, trustProxy: true });
  const held: Socket[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      held.push(await keptAlive(proxied));
    }
  } finally {
    for (const socket of held) {
      socket.destroy();
    }
    await proxied.close();
  }
});

test('under --https the cap counts from the TCP accept, before the TLS handshake, and a close frees the slot', async () => {
  const server = await startTestServer({ maxHttpConnectionsPerAddress: 2, maxConnectionsPerAddress: 1 }, ['--https']);
  const serverSide = serverSockets(server);
  const held: TLSSocket[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      held.push(tlsConnect({ host: '127.0.0.1', port: server.port, rejectUnauthorized: false }));
      await once(held[i]!, 'secureConnect');
    }
    assert.equal((await rawGet(server, '/healthz', {}, '127.0.0.1')).status, 0, 'two TLS connections fill it');
    assert.equal((await rawGet(server, '/healthz', {}, '127.0.0.2')).status, 200);
    await closeAndWait(held.shift()!, serverSide);
    assert.equal((await rawGet(server, '/healthz', {}, '127.0.0.1')).status, 200);
  } finally {
    for (const socket of held) {
      socket.destroy();
    }
    await server.close();
  }
});
