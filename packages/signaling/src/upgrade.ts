import type { Duplex } from 'node:stream';
import { ERROR_CATALOG } from '@rendezvous/protocol';
import type { WebSocket } from 'ws';
import type { Clock } from './options.js';
import { Timer } from '@rendezvous/common';

import { pathnameOf } from '@rendezvous/common';

export { pathnameOf };

const STATUS_TEXT = { 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' } as const;

/** Answers an upgrade request with a plain HTTP response and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: keyof typeof STATUS_TEXT, body = '', contentType = 'text/plain'): void {
  socket.on('error', () => {});
  const length = Buffer.byteLength(body);
  const type = length > 0 ? `Content-Type: ${contentType}\r\n` : '';
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\n${type}Content-Length: ${length}\r\n\r\n${body}`);
}

/** 403 with `{"error":"ORIGIN_REFUSED","message":...}`: the Origin may not open the signaling socket. */
export function refuseOrigin(socket: Duplex): void {
  const body = JSON.stringify({ error: 'ORIGIN_REFUSED', message: ERROR_CATALOG.ORIGIN_REFUSED.message });
  refuseUpgrade(socket, 403, body, 'application/json');
}

/** How long a socket refused after the handshake has to read its error and close frame before it is cut. */
export const REFUSED_LINGER_MS = 1_000;

/**
 * WebSockets refused after the handshake (ADDRESS_LIMIT): each gets its error and a close frame, and is cut after
 * REFUSED_LINGER_MS whether or not it answers, so a client that ignores close frames cannot hold sockets (and file
 * descriptors) past its limit for ws's 30-second close timeout. close() cuts the rest at once. Idempotent.
 */
export class RefusedSockets {
  private readonly lingering = new Map<WebSocket, Timer>();

  constructor(private readonly clock: Clock) {}

  refuse(ws: WebSocket, frame: string, code: number, reason: string): void {
    ws.on('error', () => {});
    ws.send(frame);
    ws.close(code, reason);
    const timer = new Timer(this.clock);
    timer.start(REFUSED_LINGER_MS, () => {
      this.lingering.delete(ws);
      ws.terminate();
    });
    this.lingering.set(ws, timer);
    ws.once('close', () => this.forget(ws));
  }

  close(): void {
    for (const ws of [...this.lingering.keys()]) {
      this.forget(ws);
      ws.terminate();
    }
  }

  private forget(ws: WebSocket): void {
    const timer = this.lingering.get(ws);
    if (timer === undefined) {
      return;
    }
    timer.stop();
    this.lingering.delete(ws);
  }
}
