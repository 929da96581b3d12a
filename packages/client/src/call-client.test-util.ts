import type { TestContext } from 'node:test';
import { CallClient } from './call-client.js';
import { fakeTimers, settle } from './fake-timers.test-util.js';
import { FakeWebSocket, welcome } from './fake-websocket.test-util.js';

export const SELF = 'peer-aaaaaaaa';
export const OTHER = 'peer-bbbbbbbb';
export const CALL_ID = 'call-0001';
export const CALL_ROOM = `~call-${CALL_ID}`;

const media = { audioMuted: false, videoMuted: false, screenSharing: false };
export const otherInfo = { peerId: OTHER, displayName: 'Bob', media };

/** A CallClient on a fake socket that the test drives as the server; timers are fake from here on. */
export async function phone(t: TestContext): Promise<{ client: CallClient; socket: FakeWebSocket }> {
  const promise = CallClient.connect('ws://test/ws', { displayName: 'Ada', WebSocketImpl: FakeWebSocket });
  await settle();
  const socket = FakeWebSocket.last();
  socket.receive(welcome());
  const client = await promise;
  fakeTimers(t);
  t.after(() => client.close());
  return { client, socket };
}

/** The server moves this client into the call's private room, alone so far (no peer link is made). */
export function joinedCallRoom(): Record<string, unknown> {
  return { type: 'joined', room: CALL_ROOM, self: { peerId: SELF, displayName: 'Ada', media }, peers: [], capacity: 2 };
}

/** The requestId of the last frame the client sent, after checking its type. */
export function lastRequest(socket: FakeWebSocket, type: string): unknown {
  const sent = socket.lastSent();
  if (sent['type'] !== type) {
    throw new Error(`expected ${type}, the client sent ${String(sent['type'])}`);
  }
  return sent['requestId'];
}

/** Frame types the client sent, hello excluded. */
export const sentTypes = (socket: FakeWebSocket): unknown[] =>
  socket.sent.map((m) => m['type']).filter((type) => type !== 'hello');
