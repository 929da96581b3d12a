/**
 * A Peer on fakes for the unit tests: FakeWebSocket as the server, FakeRTC as RTCPeerConnection. `openPeer` walks
 * it through hello, welcome and peer-open to `open`; `relay` delivers a directory message as the server would.
 */
import { settle } from '../fake-timers.test-util.js';
import { FakeWebSocket, welcome } from '../fake-websocket.test-util.js';
import { FakeRTC } from './fake-rtc.test-util.js';
import { Peer, type PeerOptions } from './peer.js';

export const TOKEN = 'tok-0123456789abcdef';

export const peerOptions = (extra: PeerOptions = {}): PeerOptions => ({
  url: 'ws://test/ws',
  WebSocketImpl: FakeWebSocket,
  RTCPeerConnection: FakeRTC as unknown as typeof RTCPeerConnection,
  reconnect: false,
  ...extra,
});

/** Lets the Peer say hello, welcomes it, and returns its socket and the peer-open it sent. */
export async function welcomed(
  extra: Record<string, unknown> = {},
): Promise<{ socket: FakeWebSocket; open: Record<string, unknown> }> {
  await settle();
  const socket = FakeWebSocket.last();
  socket.receive(welcome(extra));
  await settle();
  return { socket, open: socket.lastSent() };
}

/** A Peer with the id `id`, open. */
export async function openPeer(id: string, extra: PeerOptions = {}): Promise<{ peer: Peer; socket: FakeWebSocket }> {
  const peer = new Peer(id, peerOptions(extra));
  const { socket, open } = await welcomed();
  socket.receive({ type: 'peer-opened', id, token: TOKEN, requestId: open['requestId'] });
  await settle();
  return { peer, socket };
}

/** The server relays a directory message from `src` to `dst`. */
export function relay(socket: FakeWebSocket, dst: string, message: Record<string, unknown>): void {
  socket.receive({ type: 'peer-signal', message: { dst, ...message } });
}
