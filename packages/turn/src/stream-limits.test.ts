/**
 * TCP/TLS connections per client address, over real sockets on loopback: one address that holds its cap with idle
 * connections (sending a byte now and then, so they never time out) cannot keep another address from allocating.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { getErrorCode } from '@rendezvous/stun';
import { Registry } from 'prom-client';
import { mintRestCredential } from './rest-credentials.js';
import { createTurnServer, type TurnServer } from './server.js';
import { closeAllClients, connectTcp, type SocketClient } from './socket-client.js';
import { installed, selfSignedCertificate } from './test-tools.js';

const SECRET = 'stream-limit-test-secret';
const rest = (user: string): { username: string; password: string } => {
  const minted = mintRestCredential(SECRET, user, 3600);
  return { username: minted.username, password: minted.credential };
};

/** `promise`, or a failure after `ms` of real time. */
function within<T>(promise: Promise<T>, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_resolve, reject) => (timer = setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms)),
  );
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function rawConnect(port: number): Promise<net.Socket> {
  const socket = net.connect({ port, host: '127.0.0.1' });
  socket.on('error', () => {});
  await once(socket, 'connect');
  return socket;
}

/** Lets socket events run until `done` holds (each turn waits for I/O, not for time). */
async function until(done: () => boolean): Promise<void> {
  while (!done()) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('TCP connections per client address', { timeout: 20_000 }, () => {
  let server: TurnServer | undefined;
  afterEach(async () => {
    closeAllClients();
    await server?.close();
    server = undefined;
  });

  it('closes connections past maxStreamConnectionsPerAddress at once; another address still allocates', async () => {
    const registry = new Registry();
    server = createTurnServer({
      host: '127.0.0.1',
      port: 0,
      secret: SECRET,
      registry,
      limits: { maxStreamConnectionsPerAddress: 3 },
    });
    const { port } = await server.listen();
    const idle: SocketClient[] = [];
    for (let i = 0; i < 3; i++) {
      idle.push(await connectTcp(port, '127.0.0.1'));
    }
    // A byte now and then: the first byte of a STUN header that never completes.
    for (const client of idle) {
      client.write(Buffer.from([0]));
    }
    await until(() => server!.stats().connections === 3);
    const refused = await connectTcp(port, '127.0.0.1');
    await refused.closed;
    const other = await connectTcp(port, '127.0.0.1', rest('second-address'), '127.0.0.2');
    assert.equal(other.local.address, '127.0.0.2');
    for (const client of idle) {
      client.write(Buffer.from([0]));
    }
    assert.equal(getErrorCode(await other.client.allocate()), undefined, 'TCP Allocate from 127.0.0.2');
    assert.equal(server.stats().connections, 4, 'the idle connections are still open');
    const hits = (await registry.getSingleMetric('rendezvous_turn_limit_hits_total')!.get()).values;
    assert.deepEqual(
      hits.map((v) => [v.labels.limit, v.value]),
      [['maxStreamConnectionsPerAddress', 1]],
    );
    // A connection that closes frees its place.
    idle[0]!.close();
    await until(() => server!.stats().connections === 3);
    const again = await connectTcp(port, '127.0.0.1', rest('again'));
    assert.equal(getErrorCode(await again.client.allocate()), undefined);
  });

  it(
    'counts a TLS connection from the TCP accept; close() cuts one whose handshake never comes',
    { skip: installed('openssl') ? false : 'openssl not installed' },
    async () => {
      const tls = selfSignedCertificate();
      server = createTurnServer({
        host: '127.0.0.1',
        port: 0,
        secret: SECRET,
        tls,
        tlsPort: 0,
        limits: { maxStreamConnectionsPerAddress: 1 },
      });
      const { tlsPort } = await server.listen();
      const stalled = await rawConnect(tlsPort!); // says nothing: no ClientHello
      const stalledClosed = once(stalled, 'close');
      const second = await rawConnect(tlsPort!);
      await once(second, 'close'); // past the cap before any handshake
      await within(server.close()); // not held open for the TLS handshake timeout
      await within(stalledClosed);
      server = undefined;
    },
  );

  it('counts connections that Node drops past maxStreamConnections (the per-listener cap)', async () => {
    const registry = new Registry();
    server = createTurnServer({ host: '127.0.0.1', port: 0, secret: SECRET, registry, limits: { maxStreamConnections: 1 } });
    const { port } = await server.listen();
    const first = await connectTcp(port, '127.0.0.1', rest('first'));
    assert.equal(getErrorCode(await first.client.allocate()), undefined);
    const dropped = await connectTcp(port, '127.0.0.1');
    await dropped.closed;
    const hits = (await registry.getSingleMetric('rendezvous_turn_limit_hits_total')!.get()).values;
    assert.deepEqual(
      hits.map((v) => [v.labels.limit, v.value]),
      [['maxStreamConnections', 1]],
    );
  });
});
