/**
 * STUN/TURN over TCP and TLS (RFC 8656 §3.1, §12.5): one connection is one 5-tuple and holds at most one
 * allocation, which is deleted when the connection closes. The stream is cut into STUN and ChannelData
 * messages by the codec's StreamFramer; bytes that cannot start a frame close the connection (there is no
 * way to find the next message after them). Connections are capped per listener (`maxStreamConnections`) and per
 * client IP address over every listener (`maxStreamConnectionsPerAddress`, an IPv6 /64 counting as one address,
 * counted from the TCP accept, before any TLS handshake): past the cap a new connection is closed at once.
 */
import type net from 'node:net';
import { StreamFramer, type TransportAddress } from '@rendezvous/stun';
import type { Allocation } from './allocation.js';
import type { TurnEngine } from './engine.js';
import type { ClientLink } from './link.js';

class StreamLink implements ClientLink {
  readonly stream = true;
  closed = false;
  allocation: Allocation | undefined;
  lastActivity: number;
  private readonly framer: StreamFramer;

  constructor(
    private readonly listener: StreamListener,
    private readonly socket: net.Socket,
    readonly transport: 'tcp' | 'tls',
    readonly remote: TransportAddress,
    readonly local: TransportAddress,
  ) {
    this.lastActivity = listener.engine.clock.now();
    this.framer = new StreamFramer({ maxChannelNumber: listener.engine.maxChannelNumber });
  }

  onData(chunk: Buffer): void {
    const engine = this.listener.engine;
    this.lastActivity = engine.clock.now();
    try {
      this.framer.push(chunk);
      for (let frame = this.framer.next(); frame !== undefined; frame = this.framer.next()) {
        engine.counters.clientMessages++;
        const allocation = this.allocation;
        if (allocation !== undefined && (frame[0]! & 0xc0) === 0x40) {
          allocation.fromClientChannel(frame);
        } else {
          engine.onClientPacket(this, frame);
        }
        if (this.closed) {
          return;
        }
      }
    } catch (error) {
      engine.log.debug({ err: error, remote: this.remote }, 'TURN stream framing error: closing the connection');
      this.socket.destroy();
    }
  }

  send(data: Buffer): void {
    if (this.closed) {
      return;
    }
    // A client that does not read its socket loses data, as it would over UDP, instead of growing our memory.
    if (this.socket.writableLength > this.listener.engine.limits.maxStreamBufferBytes) {
      return;
    }
    this.socket.write(data);
  }

  attach(allocation: Allocation): void {
    this.allocation = allocation;
  }

  detach(allocation: Allocation): void {
    if (this.allocation === allocation) {
      this.allocation = undefined;
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export class StreamListener {
  private readonly links = new Set<StreamLink>();
  /** Every TCP connection admitted, TLS ones included from before their handshake: close() cuts them all. */
  private readonly sockets = new Set<net.Socket>();
  private closing: Promise<void> | undefined;

  constructor(
    readonly engine: TurnEngine,
    private readonly server: net.Server,
    private readonly transport: 'tcp' | 'tls',
    readonly local: TransportAddress,
  ) {
    server.maxConnections = engine.limits.maxStreamConnections;
    // For TLS, 'connection' is the raw TCP socket (counted here) and 'secureConnection' the TLS one (served).
    server.on('connection', (socket: net.Socket) => this.admit(socket));
    if (transport === 'tls') {
      server.on('secureConnection', (socket: net.Socket) => this.onConnection(socket));
    }
    // Node closes connections past maxConnections itself, and tells 'drop'.
    server.on('drop', () => engine.limitHits.hit('maxStreamConnections', engine.clock.now()));
    server.on('error', (error) => engine.log.warn({ err: error, local }, 'TURN stream listener error'));
    if (transport === 'tls') {
      server.on('tlsClientError', () => {});
    }
    engine.sweepHooks.push((now) => this.closeIdle(now));
  }

  get connections(): number {
    return this.links.size;
  }

  /** Counts a new TCP connection against its address's cap, or closes it at once past the cap. */
  private admit(socket: net.Socket): void {
    socket.on('error', () => {});
    const address = socket.remoteAddress;
    if (this.closing !== undefined || address === undefined || !this.engine.admitStream(address)) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => {
      this.sockets.delete(socket);
      this.engine.releaseStream(address);
    });
    if (this.transport === 'tcp') {
      this.onConnection(socket);
    }
  }

  private onConnection(socket: net.Socket): void {
    socket.on('error', () => {});
    const { remoteAddress, remotePort, remoteFamily } = socket;
    if (this.closing !== undefined || remoteAddress === undefined || remotePort === undefined) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    if (this.transport === 'tls') {
      // One TLS record per message, as coturn does: queued writes are otherwise merged into one record, and
      // clients that read a record as a message (turnutils_uclient) lose the rest. Writable falls back to
      // _write per chunk when _writev is absent.
      (socket as unknown as { _writev: unknown })._writev = null;
    }
    const remote = { address: remoteAddress, port: remotePort, family: remoteFamily === 'IPv6' ? 'IPv6' : 'IPv4' } as const;
    const link = new StreamLink(this, socket, this.transport, remote, this.local);
    this.links.add(link);
    socket.on('data', (chunk: Buffer) => link.onData(chunk));
    socket.on('close', () => {
      link.closed = true;
      this.links.delete(link);
      const allocation = link.allocation;
      if (allocation !== undefined) {
        this.engine.deleteAllocation(allocation, 'connection-closed');
      }
    });
  }

  /** Closes connections without an allocation that have been silent too long. */
  private closeIdle(now: number): void {
    const timeout = this.engine.limits.streamIdleTimeoutSec * 1000;
    if (timeout === 0) {
      return;
    }
    for (const link of this.links) {
      if (link.allocation === undefined && now - link.lastActivity >= timeout) {
        link.destroy();
      }
    }
  }

  close(): Promise<void> {
    this.closing ??= new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) {
        socket.destroy();
      }
    });
    return this.closing;
  }
}
