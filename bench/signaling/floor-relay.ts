/**
 * The floor: the least a WebSocket + JSON relay can do for the same client frames as /ws. `hello` gets a
 * `welcome` with a random id, `join` puts the socket in a room, and `signal` is parsed, checked to name a
 * member of the sender's room, and relayed as `{type:'signal', from, data}`. No validation of `data`, no
 * limits, no metrics, no logging: what every relay pays (ws framing, JSON in and out, one lookup).
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

interface Member {
  ws: WebSocket;
  id: string;
  room: Set<Member> | null;
}

interface Frame {
  type?: unknown;
  room?: unknown;
  to?: unknown;
  data?: unknown;
  requestId?: unknown;
}

export function attachFloorRelay(server: Server): void {
  const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false, clientTracking: false });
  const members = new Map<string, Member>();
  const rooms = new Map<string, Set<Member>>();
  wss.on('connection', (ws) => {
    const self: Member = { ws, id: '', room: null };
    ws.on('message', (data) => {
      let frame: Frame;
      try {
        frame = JSON.parse((data as Buffer).toString('utf8')) as Frame;
      } catch {
        return;
      }
      if (frame.type === 'signal' && typeof frame.to === 'string') {
        const target = members.get(frame.to);
        if (target !== undefined && target.room === self.room && self.room !== null) {
          target.ws.send(JSON.stringify({ type: 'signal', from: self.id, data: frame.data }));
        }
      } else if (frame.type === 'hello' && self.id === '') {
        self.id = randomBytes(12).toString('base64url');
        members.set(self.id, self);
        ws.send(JSON.stringify({ type: 'welcome', peerId: self.id }));
      } else if (frame.type === 'join' && typeof frame.room === 'string' && self.id !== '') {
        let room = rooms.get(frame.room);
        if (room === undefined) {
          room = new Set();
          rooms.set(frame.room, room);
        }
        room.add(self);
        self.room = room;
        ws.send(JSON.stringify({ type: 'joined', room: frame.room, requestId: frame.requestId }));
      }
    });
    ws.on('close', () => {
      members.delete(self.id);
      self.room?.delete(self);
    });
    ws.on('error', () => undefined);
  });
}
