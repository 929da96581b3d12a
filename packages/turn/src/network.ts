/**
 * Relay sockets, injected: the server asks a `RelayNetwork` for a UDP socket bound to a relayed transport address
 * and gets the peers' datagrams through a callback. `nodeRelayNetwork` uses node:dgram; tests use
 * `MemoryNetwork` (memory-network.ts) and run without ports.
 */
import dgram from 'node:dgram';
import type { LookupOneOptions } from 'node:dns';
import { ipFamily, type AddressFamily } from '@rendezvous/stun';

export type PeerMessageHandler = (data: Buffer, address: string, port: number) => void;

export interface RelaySocket {
  readonly address: string;
  readonly port: number;
  readonly family: AddressFamily;
  /** Sends `data[offset, offset + length)` to a peer. Failures are dropped, as UDP would. */
  send(data: Buffer, offset: number, length: number, port: number, address: string): void;
  close(): void;
}

export interface RelayNetwork {
  /** Binds a UDP socket on `address:port`; resolves null when the port is unavailable (in use, forbidden). */
  bindRelay(address: string, port: number, onMessage: PeerMessageHandler): Promise<RelaySocket | null>;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string, family: number) => void;

/**
 * A `lookup` for dgram sockets that only ever see IP literals: answers synchronously. The default (dns.lookup)
 * defers every send by a tick and allocates on the way, which shows at 100k datagrams a second.
 */
export function literalLookup(hostname: string, options: LookupOneOptions | number, callback: LookupCallback): void {
  // dgram passes the socket's family as a number (4 for udp4, 6 for udp6).
  callback(null, hostname, typeof options === 'number' ? options : ipFamily(hostname) === 'IPv6' ? 6 : 4);
}

class NodeRelaySocket implements RelaySocket {
  constructor(
    private readonly socket: dgram.Socket,
    readonly address: string,
    readonly port: number,
    readonly family: AddressFamily,
  ) {}

  send(data: Buffer, offset: number, length: number, port: number, address: string): void {
    this.socket.send(data, offset, length, port, address);
  }

  close(): void {
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }
}

/** Creates a UDP socket of the right family with the literal lookup. IPv6 sockets are IPv6-only. */
export function createUdpSocket(family: AddressFamily, bufferBytes = 0): dgram.Socket {
  return dgram.createSocket({
    type: family === 'IPv6' ? 'udp6' : 'udp4',
    ipv6Only: family === 'IPv6',
    lookup: literalLookup,
    ...(bufferBytes > 0 ? { recvBufferSize: bufferBytes, sendBufferSize: bufferBytes } : {}),
  });
}

/** Relay sockets on node:dgram. */
export const nodeRelayNetwork: RelayNetwork = {
  bindRelay(address, port, onMessage) {
    const family = ipFamily(address);
    if (family === undefined) {
      return Promise.resolve(null);
    }
    const socket = createUdpSocket(family);
    return new Promise((resolve) => {
      const onError = (): void => {
        try {
          socket.close();
        } catch {
          // never bound
        }
        resolve(null);
      };
      socket.once('error', onError);
      socket.bind({ port, address, exclusive: true }, () => {
        socket.off('error', onError);
        // Send errors (ENETUNREACH, EPERM...) surface as 'error' events; a relay drops them like UDP would.
        socket.on('error', () => {});
        socket.on('message', (data, rinfo) => onMessage(data, rinfo.address, rinfo.port));
        resolve(new NodeRelaySocket(socket, address, port, family));
      });
    });
  },
};
