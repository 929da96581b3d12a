/**
 * Closed-loop STUN Binding load: `sockets` UDP sockets, each keeping `window` requests in flight, for
 * `seconds`. Every answer sends the next request. Counts answers per second.
 */
import { createSocket, type Socket } from 'node:dgram';
import { MessageBuilder, StunClass, StunMethod, decodeMessage } from '@rendezvous/stun';

export interface BindingLoadResult {
  requestsPerSecond: number;
  answered: number;
  seconds: number;
}

export async function bindingLoad(
  port: number,
  options: { sockets?: number; window?: number; seconds?: number } = {},
): Promise<BindingLoadResult> {
  const { sockets: count = 4, window = 32, seconds = 4 } = options;
  let answered = 0;
  let running = true;
  const sockets: Socket[] = [];
  const send = (socket: Socket) => {
    if (!running) {
      return;
    }
    socket.send(new MessageBuilder(StunMethod.Binding, StunClass.Request).build(), port, '127.0.0.1');
  };
  for (let i = 0; i < count; i++) {
    const socket = createSocket('udp4');
    socket.on('message', (packet) => {
      try {
        const message = decodeMessage(packet);
        if (message.class === StunClass.SuccessResponse) {
          answered += 1;
        }
      } catch {
        // not a STUN answer: ignore
      }
      send(socket);
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    sockets.push(socket);
  }
  // A lost request would shrink the window for good, so top each socket up every 50 ms.
  const inflight = setInterval(() => {
    for (const socket of sockets) {
      send(socket);
    }
  }, 50);
  for (const socket of sockets) {
    for (let i = 0; i < window; i++) {
      send(socket);
    }
  }
  const warmup = 1000;
  await new Promise((resolve) => setTimeout(resolve, warmup));
  const counted = answered;
  const from = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const elapsed = (performance.now() - from) / 1000;
  const result = { requestsPerSecond: (answered - counted) / elapsed, answered: answered - counted, seconds: elapsed };
  running = false;
  clearInterval(inflight);
  await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
  return result;
}
