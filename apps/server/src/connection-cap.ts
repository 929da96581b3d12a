import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { addressBlock } from '@rendezvous/stun';
import type { HttpHits } from './http-hits.js';

/**
 * Caps the open TCP connections of one client address to the HTTP(S) server (an IPv6 /64 counts as one, see
 * `addressBlock`): counted from the TCP accept, before any TLS handshake or WebSocket upgrade, until the socket
 * closes. Past the cap a new connection is destroyed at once and the hit counted. Kept-alive and WebSocket
 * connections both count (both hold a file descriptor), so the cap sits above the signaling server's own
 * per-address socket limit. It sees socket addresses only, so it is off behind a proxy.
 */
export function capConnectionsPerAddress(server: Server, max: number, hits: HttpHits): void {
  const perBlock = new Map<string, number>();
  // One listener for every socket (no closure of its own): the address it read on accept stays cached on it.
  function release(this: Socket): void {
    const block = addressBlock(this.remoteAddress!);
    const left = (perBlock.get(block) ?? 1) - 1;
    if (left > 0) {
      perBlock.set(block, left);
    } else {
      perBlock.delete(block);
    }
  }
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    // Already gone (reset before we saw it): nothing to count.
    if (address === undefined) {
      return;
    }
    const block = addressBlock(address);
    const count = perBlock.get(block) ?? 0;
    if (count >= max) {
      hits.hit('connections_per_address', { remote: address, block, max });
      socket.destroy();
      return;
    }
    perBlock.set(block, count + 1);
    socket.on('close', release);
  });
}
