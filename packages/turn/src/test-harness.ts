/**
 * In-process harness: a TurnEngine on a memory network with a fake clock, and clients linked to it in memory.
 * No port is opened; time moves only when a test advances the clock.
 */
import type { TransportAddress } from '@rendezvous/stun';
import { Registry } from 'prom-client';
import { FakeClock } from '@rendezvous/common';
import type { Allocation } from './allocation.js';
import { TurnEngine } from './engine.js';
import type { ClientLink } from './link.js';
import { MemoryNetwork } from './memory-network.js';
import type { ClientTransport, TurnServerOptions } from './options.js';
import { mintRestCredential } from './rest-credentials.js';
import { TestClient, type ClientCredentials } from './test-client.js';

export const RELAY_V4 = '198.51.100.1';
export const RELAY_V6 = '2001:db8::1';
export const SECRET = 'harness-secret-harness-secret';
export const REALM = 'test.realm';
/** 2027-01-01T00:00:00Z. */
export const START = Date.UTC(2027, 0, 1);

export class MemoryLink implements ClientLink {
  allocation: Allocation | undefined;
  closed = false;
  receiver: ((data: Buffer) => void) | undefined;

  constructor(
    readonly transport: ClientTransport,
    readonly remote: TransportAddress,
    readonly local: TransportAddress,
  ) {}

  get stream(): boolean {
    return this.transport !== 'udp';
  }

  send(data: Buffer): void {
    if (!this.closed) {
      this.receiver?.(Buffer.from(data));
    }
  }

  attach(allocation: Allocation): void {
    this.allocation = allocation;
  }

  detach(allocation: Allocation): void {
    if (this.allocation === allocation) {
      this.allocation = undefined;
    }
  }
}

export interface ConnectOptions {
  transport?: ClientTransport;
  remote?: TransportAddress;
  local?: TransportAddress;
  /** Default: a REST credential for user 'alice', valid for 4 hours (maxCredentialTtlSec). `null`: none. */
  credentials?: ClientCredentials | null;
}

export interface Harness {
  engine: TurnEngine;
  clock: FakeClock;
  network: MemoryNetwork;
  registry: Registry;
  connect(options?: ConnectOptions): { client: TestClient; link: MemoryLink };
  /** A REST credential for `user`, valid `ttlSeconds` from now. */
  rest(user: string, ttlSeconds?: number): ClientCredentials;
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  close(): void;
}

let nextClientPort = 40000;

export function startEngine(options: Partial<TurnServerOptions> = {}, listen: string[] = [RELAY_V4, RELAY_V6]): Harness {
  const clock = options.clock instanceof FakeClock ? options.clock : new FakeClock(START);
  const network = options.network instanceof MemoryNetwork ? options.network : new MemoryNetwork();
  const registry = options.registry ?? new Registry();
  const engine = new TurnEngine({ realm: REALM, secret: SECRET, ...options, clock, network, registry });
  engine.setListenAddresses(listen);
  const rest = (user: string, ttlSeconds = 14_400): ClientCredentials => {
    const minted = mintRestCredential(SECRET, user, ttlSeconds, clock.now());
    return { username: minted.username, password: minted.credential };
  };
  return {
    engine,
    clock,
    network,
    registry,
    rest,
    connect(connectOptions = {}) {
      const remote = connectOptions.remote ?? { family: 'IPv4', address: '203.0.113.10', port: nextClientPort++ };
      const local = connectOptions.local ?? { family: 'IPv4', address: listen[0]!, port: 3478 };
      const link = new MemoryLink(connectOptions.transport ?? 'udp', remote, local);
      const credentials = connectOptions.credentials === null ? undefined : (connectOptions.credentials ?? rest('alice'));
      const client = new TestClient((data) => engine.onClientPacket(link, data), credentials, link.stream);
      link.receiver = (data) => client.receive(data);
      return { client, link };
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
    close() {
      engine.close();
    },
  };
}

/** Lets queued microtasks and I/O callbacks run (memory-network deliveries), without waiting on time. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
