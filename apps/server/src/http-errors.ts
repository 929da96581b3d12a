import { STATUS_CODES, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ERROR_CATALOG, type ErrorCode } from '@rendezvous/protocol';

/** Methods every route of ours accepts (the `Allow` header of a 405). */
export const ALLOW_READ = 'GET, HEAD';

/** Longest part of a request target that goes into a log line. */
const LOGGED_URL_CHARS = 200;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** The JSON error body of the catalog: `{ error: CODE, message }`. */
export function errorBody(code: ErrorCode, message?: string): { error: ErrorCode; message: string } {
  return { error: code, message: message ?? ERROR_CATALOG[code].message };
}

export function sendError(
  res: ServerResponse,
  status: number,
  code: ErrorCode,
  message?: string,
  headers: OutgoingHttpHeaders = {},
): void {
  sendJson(res, status, errorBody(code, message), headers);
}

/** A whole HTTP/1.1 response with a JSON error body, for sockets that have no ServerResponse (clientError, CONNECT). */
export function rawErrorResponse(status: number, code: ErrorCode, extraHeaders: Record<string, string> = {}): string {
  const body = JSON.stringify(errorBody(code));
  const headers = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    Connection: 'close',
    ...extraHeaders,
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

/**
 * How long a refused socket may linger after its error response, so the client can read the response
 * before the connection goes (closing with unread input at once would reset it and lose the answer).
 */
export const REFUSED_SOCKET_LINGER_MS = 2_000;

/** Ends a raw socket with `response` (when it can still be written to) and makes sure it is gone soon. */
export function endSocket(socket: Duplex, response: string): void {
  socket.on('error', () => {});
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(response);
  // Read and drop whatever else the client sends; a client that never closes is cut after the linger.
  socket.resume();
  const timer = setTimeout(() => socket.destroy(), REFUSED_SOCKET_LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/** What a log line says about a request: method, target (truncated) and remote address. */
export function requestContext(req: IncomingMessage): { method: string | undefined; url: string; remote: string | undefined } {
  const url = req.url ?? '';
  return {
    method: req.method,
    url: url.length > LOGGED_URL_CHARS ? `${url.slice(0, LOGGED_URL_CHARS)}…` : url,
    remote: req.socket.remoteAddress,
  };
}

/** Status and code for an error of Node's HTTP parser (the 'clientError' event). */
export function clientErrorStatus(error: NodeJS.ErrnoException & { rawPacket?: unknown }): {
  status: number;
  code: ErrorCode;
  headers?: Record<string, string>;
} {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'BAD_REQUEST' };
    case 'HPE_INVALID_METHOD':
      // A word we do not know (`get`, `FROB`) is a method we do not allow; binary junk is just malformed.
      if (Buffer.isBuffer(error.rawPacket) && /^[A-Za-z-]{1,20} /.test(error.rawPacket.subarray(0, 24).toString('latin1'))) {
        return { status: 405, code: 'METHOD_NOT_ALLOWED', headers: { Allow: ALLOW_READ } };
      }
      return { status: 400, code: 'BAD_REQUEST' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'HPE_HEADERS_TIMEOUT':
      return { status: 408, code: 'BAD_REQUEST' };
    default:
      return { status: 400, code: 'BAD_REQUEST' };
  }
}
