import type { Duplex } from 'node:stream';
import { ERROR_CATALOG } from '@rendezvous/protocol';

export function pathnameOf(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

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
