import type { ServerMessage } from './messages.js';
import type { PeerjsEndpoint, PeerSession } from './endpoint.js';

/** A fake socket: records what the endpoint sends and whether it closed. */
export class FakeSocket {
  readonly received: ServerMessage[] = [];
  closed = false;

  send(text: string): void {
    this.received.push(JSON.parse(text) as ServerMessage);
  }

  close(): void {
    this.closed = true;
  }

  types(): string[] {
    return this.received.map((m) => m.type);
  }
}

/** Connects `id` with `token` (default key 'peerjs') through a fresh FakeSocket. */
export function connectPeer(
  endpoint: PeerjsEndpoint,
  id: string,
  token = `token-${id}`,
  key = 'peerjs',
): { socket: FakeSocket; session: PeerSession | undefined } {
  const socket = new FakeSocket();
  const session = endpoint.connect({ key, id, token }, socket);
  return { socket, session };
}
