/**
 * The classic tutorial signaling server on socket.io: `join` puts the socket in a room, and `signal` goes
 * to everyone else in it. Its WebSocket transport only, as the load connects.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';

export function attachSocketIoRelay(server: HttpServer): void {
  const io = new Server(server, { transports: ['websocket'], perMessageDeflate: false, cors: { origin: '*' } });
  io.on('connection', (socket) => {
    let room: string | undefined;
    socket.on('join', (name: unknown) => {
      if (typeof name === 'string' && room === undefined) {
        room = name;
        void socket.join(name);
        socket.emit('joined', name);
      }
    });
    socket.on('signal', (data: unknown) => {
      if (room !== undefined) {
        socket.to(room).emit('signal', data);
      }
    });
  });
}
