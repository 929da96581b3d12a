/**
 * An in-memory UDP network for in-process tests: relay sockets from the server and peers from the test exchange
 * datagrams by address, delivered in a microtask (never re-entrantly), copied like the kernel would.
 */
import { ipFamily, type AddressFamily } from '@rendezvous/stun';
import type { PeerMessageHandler, RelayNetwork, RelaySocket } from './network.js';

export interface Datagram {
  data: Buffer;
  address: string;
  port: number;
}

type Receiver = (data: Buffer, address: string, port: number) => void;

export class MemoryNetwork implements RelayNetwork {
  private readonly bound = new Map<string, Receiver>();
  /** Ports held by "another process": binding them fails. Keys are `address|port`. */
  readonly occupied = new Set<string>();
  /** Datagrams sent through the network so far. */
  sent = 0;

  get boundCount(): number {
    return this.bound.size;
  }

  isBound(address: string, port: number): boolean {
    return this.bound.has(`${address}|${port}`);
  }

  bindRelay(address: string, port: number, onMessage: PeerMessageHandler): Promise<RelaySocket | null> {
    const key = `${address}|${port}`;
    if (this.bound.has(key) || this.occupied.has(key)) {
      return Promise.resolve(null);
    }
    this.bound.set(key, onMessage);
    const family: AddressFamily = ipFamily(address) ?? 'IPv4';
    const socket: RelaySocket = {
      address,
      port,
      family,
      send: (data, offset, length, toPort, toAddress) =>
        this.deliver(address, port, toAddress, toPort, data.subarray(offset, offset + length)),
      close: () => {
        if (this.bound.get(key) === onMessage) {
          this.bound.delete(key);
        }
      },
    };
    return Promise.resolve(socket);
  }

  /** A peer endpoint bound at `address:port`. */
  peer(address: string, port: number): MemoryPeer {
    const peer = new MemoryPeer(this, address, port);
    this.bound.set(`${address}|${port}`, (data, from, fromPort) => peer.receive({ data, address: from, port: fromPort }));
    return peer;
  }

  deliver(fromAddress: string, fromPort: number, toAddress: string, toPort: number, data: Buffer): void {
    this.sent++;
    const copy = Buffer.from(data);
    queueMicrotask(() => this.bound.get(`${toAddress}|${toPort}`)?.(copy, fromAddress, fromPort));
  }
}

export class MemoryPeer {
  private readonly inbox: Datagram[] = [];
  private readonly waiting: ((datagram: Datagram) => void)[] = [];

  constructor(
    private readonly network: MemoryNetwork,
    readonly address: string,
    readonly port: number,
  ) {}

  send(to: { address: string; port: number }, data: Buffer): void {
    this.network.deliver(this.address, this.port, to.address, to.port, data);
  }

  receive(datagram: Datagram): void {
    const waiter = this.waiting.shift();
    if (waiter !== undefined) {
      waiter(datagram);
    } else {
      this.inbox.push(datagram);
    }
  }

  /** The next datagram that arrives (or already arrived). */
  next(): Promise<Datagram> {
    const queued = this.inbox.shift();
    if (queued !== undefined) {
      return Promise.resolve(queued);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Datagrams received and not yet taken by next(). */
  get pending(): number {
    return this.inbox.length;
  }
}
