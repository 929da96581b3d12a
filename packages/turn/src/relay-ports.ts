/**
 * Binding relay sockets on ports from the pool, including EVEN-PORT and its reservations (RFC 8656 §7.2,
 * https://www.rfc-editor.org/rfc/rfc8656#section-7.2): with the R bit the server binds an even port N for the
 * allocation and N+1 for a later Allocate that presents the RESERVATION-TOKEN. A reserved socket stays bound
 * (so nobody else takes the port) until it is claimed or `reservationLifetimeSec` passes.
 */
import { randomBytes } from 'node:crypto';
import type { AddressFamily } from '@rendezvous/stun';
import type { Allocation } from './allocation.js';
import type { RelayNetwork, RelaySocket } from './network.js';
import type { PortPool } from './port-pool.js';

/** Where a relay socket delivers peer datagrams: set once its allocation exists. */
export interface RelaySlot {
  allocation: Allocation | undefined;
}

export interface BoundRelay {
  socket: RelaySocket;
  slot: RelaySlot;
  /** The address to advertise in XOR-RELAYED-ADDRESS. */
  advertised: string;
  family: AddressFamily;
  /** The RESERVATION-TOKEN for port + 1, when the R bit asked for one. */
  token: Buffer | undefined;
}

interface Reservation extends BoundRelay {
  expiresAt: number;
}

/** A relay host: the local address to bind and the address to advertise for it. */
export interface RelayHost {
  bind: string;
  advertised: string;
  family: AddressFamily;
}

export class RelayPorts {
  private readonly reserved = new Map<string, Reservation>();
  private closed = false;

  constructor(
    private readonly pool: PortPool,
    private readonly network: RelayNetwork,
    private readonly attempts: number,
    /** Told about an exception while handling a peer datagram (which is then dropped). */
    private readonly onError: (error: unknown) => void,
  ) {}

  get reservations(): number {
    return this.reserved.size;
  }

  /**
   * Binds a relay socket: any port, an even one (`evenPort` false), or an even one and its successor, reserved
   * (`evenPort` true). Null when no port could be bound in `attempts` tries (the caller answers 508).
   */
  async bind(host: RelayHost, evenPort: boolean | undefined, reservationExpiresAt: number): Promise<BoundRelay | null> {
    const kind = evenPort === undefined ? 'any' : evenPort ? 'pair' : 'even';
    for (let attempt = 0; attempt < this.attempts && !this.closed; attempt++) {
      const port = this.pool.next(kind);
      if (port < 0) {
        return null;
      }
      const first = await this.bindOne(host, port);
      if (first === null) {
        this.pool.scatter();
        continue;
      }
      if (kind !== 'pair') {
        return { ...first, token: undefined };
      }
      const second = this.pool.isFree(port + 1) ? await this.bindOne(host, port + 1) : null;
      if (second === null) {
        this.release(first.socket);
        continue;
      }
      const token = randomBytes(8);
      this.reserved.set(token.toString('hex'), { ...second, token: undefined, expiresAt: reservationExpiresAt });
      return { ...first, token };
    }
    return null;
  }

  /** The family of the live reservation `token` names, or undefined. */
  familyOf(token: Buffer): AddressFamily | undefined {
    return this.reserved.get(token.toString('hex'))?.family;
  }

  /** Takes the reserved socket for `token` (RFC 8656 §7.2: "uses the previously reserved transport address"). */
  claim(token: Buffer): BoundRelay | undefined {
    const key = token.toString('hex');
    const reservation = this.reserved.get(key);
    if (reservation === undefined) {
      return undefined;
    }
    this.reserved.delete(key);
    return {
      socket: reservation.socket,
      slot: reservation.slot,
      advertised: reservation.advertised,
      family: reservation.family,
      token: undefined,
    };
  }

  /** Closes a relay socket and returns its port to the pool. */
  release(socket: RelaySocket): void {
    socket.close();
    this.pool.release(socket.port);
  }

  /** Drops reservations past their time. */
  sweep(now: number): void {
    for (const [key, reservation] of this.reserved) {
      if (reservation.expiresAt > now) {
        continue;
      }
      this.reserved.delete(key);
      this.release(reservation.socket);
    }
  }

  close(): void {
    this.closed = true;
    for (const reservation of this.reserved.values()) {
      this.release(reservation.socket);
    }
    this.reserved.clear();
  }

  private async bindOne(host: RelayHost, port: number): Promise<Omit<BoundRelay, 'token'> | null> {
    this.pool.take(port);
    const slot: RelaySlot = { allocation: undefined };
    const socket = await this.network.bindRelay(host.bind, port, (data, address, peerPort) => {
      const allocation = slot.allocation;
      if (allocation === undefined) {
        return;
      }
      try {
        allocation.fromPeer(address, peerPort, data, 0, data.length, false);
      } catch (error) {
        this.onError(error);
      }
    });
    if (socket === null) {
      // Another process holds it; the caller tries another port.
      this.pool.release(port);
      return null;
    }
    if (this.closed) {
      this.release(socket);
      return null;
    }
    return { socket, slot, advertised: host.advertised, family: host.family };
  }
}
