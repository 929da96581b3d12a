/**
 * STUN/TURN over UDP on one bound address. Each client transport address is a 5-tuple (RFC 8656 §2); those with
 * an allocation are indexed by IP then port, so a ChannelData datagram costs two Map lookups and no string
 * building before it reaches its allocation.
 */
import type dgram from 'node:dgram';
import type { TransportAddress } from '@rendezvous/stun';
import type { Allocation } from './allocation.js';
import type { TurnEngine } from './engine.js';
import type { ClientLink } from './link.js';

class UdpLink implements ClientLink {
  readonly transport = 'udp';
  readonly stream = false;
  readonly closed = false;
  private own: Allocation | undefined;

  constructor(
    private readonly listener: UdpListener,
    readonly remote: TransportAddress,
  ) {}

  /**
   * The allocation of this 5-tuple. A link made for one datagram asks the listener, so that two requests in
   * flight for the same 5-tuple (an async authenticate hook) cannot both create one.
   */
  get allocation(): Allocation | undefined {
    return this.own ?? this.listener.allocationAt(this.remote.address, this.remote.port);
  }

  get local(): TransportAddress {
    return this.listener.local;
  }

  send(data: Buffer): void {
    this.listener.send(data, this.remote.port, this.remote.address);
  }

  attach(allocation: Allocation): void {
    this.own = allocation;
    this.listener.register(this);
  }

  detach(allocation: Allocation): void {
    if (this.own !== allocation) {
      return;
    }
    this.own = undefined;
    this.listener.unregister(this);
  }
}

export class UdpListener {
  private readonly links = new Map<string, Map<number, UdpLink>>();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly engine: TurnEngine,
    private readonly socket: dgram.Socket,
    readonly local: TransportAddress,
  ) {
    socket.on('message', this.onMessage);
    socket.on('error', (error) => engine.log.warn({ err: error, local }, 'TURN UDP socket error'));
  }

  private readonly onMessage = (msg: Buffer, rinfo: dgram.RemoteInfo): void => {
    this.engine.counters.clientMessages++;
    try {
      const link = this.links.get(rinfo.address)?.get(rinfo.port);
      if (link === undefined) {
        this.engine.onClientPacket(new UdpLink(this, { address: rinfo.address, port: rinfo.port, family: rinfo.family }), msg);
      } else if ((msg[0]! & 0xc0) === 0x40) {
        // The hot path: ChannelData on a 5-tuple with an allocation (RFC 8656 §12.6).
        link.allocation!.fromClientChannel(msg);
      } else {
        this.engine.onClientPacket(link, msg);
      }
    } catch (error) {
      this.engine.log.error({ err: error }, 'TURN UDP message handling failed');
    }
  };

  allocationAt(address: string, port: number): Allocation | undefined {
    return this.links.get(address)?.get(port)?.allocation;
  }

  send(data: Buffer, port: number, address: string): void {
    if (this.closing !== undefined) {
      return;
    }
    try {
      this.socket.send(data, port, address);
    } catch (error) {
      this.engine.log.debug({ err: error }, 'TURN UDP send failed');
    }
  }

  register(link: UdpLink): void {
    let ports = this.links.get(link.remote.address);
    if (ports === undefined) {
      this.links.set(link.remote.address, (ports = new Map<number, UdpLink>()));
    }
    ports.set(link.remote.port, link);
  }

  unregister(link: UdpLink): void {
    const ports = this.links.get(link.remote.address);
    if (ports?.get(link.remote.port) !== link) {
      return;
    }
    ports.delete(link.remote.port);
    if (ports.size === 0) {
      this.links.delete(link.remote.address);
    }
  }

  close(): Promise<void> {
    this.closing ??= new Promise((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
    return this.closing;
  }
}
