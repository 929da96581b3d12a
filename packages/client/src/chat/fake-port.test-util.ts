/**
 * Linked fake FeaturePorts for feature tests: a FakeNet of members, each with a port. Internal messages between
 * two members wait until their link is opened (`open`), then arrive in order, each in a microtask; `open` also
 * reports each side reachable to the other. Members present before a join are not announced to the newcomer.
 */
import { RendezvousError } from '@rendezvous/protocol';
import type { JsonValue } from '../data/index.js';
import type { FeaturePort } from '../feature-port.js';

type Handler = (from: string, data: JsonValue) => void;

class Hub<A extends unknown[]> {
  readonly set = new Set<(...args: A) => void>();
  on(listener: (...args: A) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }
  fire(...args: A): void {
    for (const listener of [...this.set]) {
      listener(...args);
    }
  }
}

export class FakePort implements FeaturePort {
  readonly peerId: string;
  readonly members = new Set<string>();
  readonly internal = new Map<string, Hub<[string, JsonValue]>>();
  readonly joined = new Hub<[string]>();
  readonly left = new Hub<[string]>();
  readonly reachable = new Hub<[string]>();
  readonly closed = new Hub<[]>();
  /** Every internal message this port sent: [to, topic, data]. */
  readonly sent: Array<[string, string, JsonValue]> = [];
  /** When set, sendInternal throws this (a full queue). */
  refuse: RendezvousError | null = null;
  readonly #net: FakeNet;

  constructor(peerId: string, net: FakeNet) {
    this.peerId = peerId;
    this.#net = net;
  }

  peerIds(): string[] {
    return [...this.members];
  }
  displayName(peerId: string): string | undefined {
    return this.members.has(peerId) ? peerId.toUpperCase() : undefined;
  }
  sendInternal(topic: string, data: JsonValue, to?: string | readonly string[]): void {
    if (this.refuse !== null) {
      throw this.refuse;
    }
    const targets = to === undefined ? this.peerIds() : typeof to === 'string' ? [to] : [...to];
    for (const target of targets) {
      if (!this.members.has(target)) {
        throw new RendezvousError('PEER_NOT_IN_ROOM', `No peer ${target}.`);
      }
    }
    for (const target of targets) {
      this.sent.push([target, topic, data]);
      this.#net.post(this.peerId, target, topic, data);
    }
  }
  onInternal(topic: string, listener: Handler): () => void {
    let hub = this.internal.get(topic);
    if (hub === undefined) {
      this.internal.set(topic, (hub = new Hub()));
    }
    return hub.on(listener);
  }
  openInternalStream(): never {
    throw new Error('not in this fake');
  }
  onInternalStream(): () => void {
    return () => undefined;
  }
  onPeerJoined(listener: (peerId: string) => void): () => void {
    return this.joined.on(listener);
  }
  onPeerLeft(listener: (peerId: string) => void): () => void {
    return this.left.on(listener);
  }
  onPeerReachable(listener: (peerId: string) => void): () => void {
    return this.reachable.on(listener);
  }
  onClose(listener: () => void): () => void {
    return this.closed.on(listener);
  }
  /** Listeners still registered on this port (0 after a feature's close). */
  listenerCount(): number {
    let count = this.joined.set.size + this.left.set.size + this.reachable.set.size + this.closed.set.size;
    for (const hub of this.internal.values()) {
      count += hub.set.size;
    }
    return count;
  }
  /** Delivers `data` to this port as if `from` sent it on `topic` (hostile input). */
  receive(from: string, topic: string, data: JsonValue): void {
    this.internal.get(topic)?.fire(from, data);
  }
}

export class FakeNet {
  readonly ports = new Map<string, FakePort>();
  readonly #open = new Set<string>();
  readonly #waiting = new Map<string, Array<[string, JsonValue]>>();

  /** Adds a member: the others see it join; it sees them as already present. Links start closed. */
  join(peerId: string): FakePort {
    const port = new FakePort(peerId, this);
    for (const other of this.ports.values()) {
      port.members.add(other.peerId);
      other.members.add(peerId);
      other.joined.fire(peerId);
    }
    this.ports.set(peerId, port);
    return port;
  }

  /** Opens the link between `a` and `b`: queued messages flow, and each side sees the other reachable. */
  open(a: string, b: string): void {
    this.#open.add(key(a, b));
    this.#flush(a, b);
    this.#flush(b, a);
    this.ports.get(a)?.reachable.fire(b);
    this.ports.get(b)?.reachable.fire(a);
  }

  /** Joins `peerId` and opens its links to every other member. */
  joinOpen(peerId: string): FakePort {
    const port = this.join(peerId);
    for (const other of [...this.ports.keys()]) {
      if (other !== peerId) {
        this.open(other, peerId);
      }
    }
    return port;
  }

  leave(peerId: string): void {
    this.ports.delete(peerId);
    for (const other of this.ports.values()) {
      other.members.delete(peerId);
      other.left.fire(peerId);
    }
  }

  post(from: string, to: string, topic: string, data: JsonValue): void {
    const queue = this.#waiting.get(`${from}>${to}`) ?? [];
    queue.push([topic, data]);
    this.#waiting.set(`${from}>${to}`, queue);
    if (this.#open.has(key(from, to))) {
      this.#flush(from, to);
    }
  }

  #flush(from: string, to: string): void {
    const queue = this.#waiting.get(`${from}>${to}`) ?? [];
    this.#waiting.delete(`${from}>${to}`);
    for (const [topic, data] of queue) {
      queueMicrotask(() => this.ports.get(to)?.receive(from, topic, structuredClone(data)));
    }
  }
}

function key(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** Lets every queued microtask run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
