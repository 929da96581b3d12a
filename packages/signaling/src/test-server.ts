import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import type { ClientOptions } from 'ws';
import { FakeClock } from '@rendezvous/common';
import type { SignalingLimits, SignalingOptions, SignalingServer } from './options.js';
import { createSignalingServer } from './server.js';
import { TestClient } from './test-client.js';

export interface Harness {
  http: Server;
  signaling: SignalingServer;
  clock: FakeClock;
  registry: Registry;
  url: string;
  /** Opens a socket (no hello yet). */
  connect(options?: ClientOptions): Promise<TestClient>;
  /** Opens a socket and says hello. */
  peer(displayName?: string, options?: ClientOptions): Promise<TestClient>;
  /** stats() without the byte gauges (which move with socket flushes). */
  counts(): { sessions: number; rooms: number; detached: number };
  /** Current value of a metric sample, 0 when absent. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** Closes signaling and HTTP, then checks that no byte stays in the budget, no timer is left, no client saw a bad frame. */
  close(): Promise<void>;
}

/** Limits for tests: timers that only move when a test advances the fake clock far. */
export const TEST_LIMITS: Partial<SignalingLimits> = {
  heartbeatIntervalMs: 3_600_000,
  helloTimeoutMs: 3_600_000,
  // Held frames wait for the fake clock; tests of the rate gate turn it on.
  rateLimitHoldFrames: 0,
};

/** Starts an HTTP server on 127.0.0.1:0 with signaling on /ws, driven by a fake clock. */
export async function startSignaling(
  options: Omit<Partial<SignalingOptions>, 'server'> & { limits?: Partial<SignalingLimits> } = {},
): Promise<Harness> {
  const http = createServer((_request, response) => {
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const clock = options.clock instanceof FakeClock ? options.clock : new FakeClock();
  const registry = options.registry ?? new Registry();
  const signaling = createSignalingServer({
    ...options,
    server: http,
    clock: options.clock ?? clock,
    registry,
    limits: { ...TEST_LIMITS, ...options.limits },
  });
  const { port } = http.address() as AddressInfo;
  const url = `ws://127.0.0.1:${port}${options.path ?? '/ws'}`;
  const clients: TestClient[] = [];

  const connect = async (clientOptions?: ClientOptions): Promise<TestClient> => {
    const client = await TestClient.connect(url, clientOptions);
    clients.push(client);
    return client;
  };

  return {
    http,
    signaling,
    clock,
    registry,
    url,
    connect,
    async peer(displayName = 'Peer', clientOptions?: ClientOptions) {
      const client = await connect(clientOptions);
      await client.hello(displayName);
      return client;
    },
    counts() {
      const { sessions, rooms, detached } = signaling.stats();
      return { sessions, rooms, detached };
    },
    async metric(name, labels = {}) {
      const metric = registry.getSingleMetric(name);
      if (metric === undefined) {
        return 0;
      }
      const { values } = await metric.get();
      const sample = values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
      return sample?.value ?? 0;
    },
    async close() {
      await signaling.close();
      const { bufferedBytes, queuedBytes } = signaling.stats();
      for (const client of clients) {
        client.ws.terminate();
      }
      await Promise.all(clients.map((client) => client.closed));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      if (!(options.clock !== undefined && !(options.clock instanceof FakeClock))) {
        assert.equal(clock.pending, 0, 'every timer is cleared after close()');
      }
      for (const client of clients) {
        assert.deepEqual(client.violations, [], 'server frames match the protocol schema');
      }
      assert.deepEqual({ bufferedBytes, queuedBytes }, { bufferedBytes: 0, queuedBytes: 0 }, 'every budgeted byte is given back');
    },
  };
}
