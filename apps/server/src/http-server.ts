import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { capConnectionsPerAddress } from './connection-cap.js';
import { ALLOW_READ, clientErrorStatus, endSocket, rawErrorResponse } from './http-errors.js';
import type { HttpHits } from './http-hits.js';

/** Largest request head (request line and headers) Node parses; past it the client gets 431. */
export const MAX_HEADER_BYTES = 16 * 1024;
/** Idle time before a kept-alive connection is closed. */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** Requests served on one connection before it is closed (a client then simply opens another). */
export const MAX_REQUESTS_PER_SOCKET = 1_000;

export interface HttpServerOptions {
  tls: { cert: string | Buffer; key: string | Buffer } | undefined;
  /** Time a client may take to send the request head (slowloris); 408 past it. */
  headersTimeoutMs: number;
  /** Time a client may take to send the whole request; 408 past it. */
  requestTimeoutMs: number;
  /**
   * Open connections (kept alive or upgraded to WebSocket) per client address; past it a new one is closed at once.
   * Undefined: no cap (behind a trusted proxy every connection comes from the proxy's address).
   */
  maxConnectionsPerAddress: number | undefined;
  hits: HttpHits;
}

/** What `_httpMessage` (Node's own pointer from a socket to its response in flight) tells us. */
function responseStarted(socket: Duplex): boolean {
  const message = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  return message?.headersSent === true;
}

/**
 * The HTTP(S) server with bounded request heads and timeouts. Requests Node's parser refuses (bad
 * request line, header without a colon, NUL bytes, oversize heads, unknown methods, chunked garbage)
 * get a JSON error and a closed socket; CONNECT gets 405. Nothing here throws.
 */
export function createBoundedServer(options: HttpServerOptions): Server {
  const serverOptions = {
    maxHeaderSize: MAX_HEADER_BYTES,
    requestTimeout: options.requestTimeoutMs,
    headersTimeout: options.headersTimeoutMs,
    // The request handler refuses a missing HTTP/1.1 Host itself, with the JSON error and security headers.
    requireHostHeader: false,
  };
  const server: Server =
    options.tls === undefined
      ? createHttpServer(serverOptions)
      : createHttpsServer({ ...serverOptions, cert: options.tls.cert, key: options.tls.key });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.maxRequestsPerSocket = MAX_REQUESTS_PER_SOCKET;
  if (options.maxConnectionsPerAddress !== undefined) {
    capConnectionsPerAddress(server, options.maxConnectionsPerAddress, options.hits);
  }

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const { status, code, headers } = clientErrorStatus(error);
    const reason = status === 431 ? 'header_overflow' : status === 408 ? 'timeout' : 'parse_error';
    if (error.code !== 'ECONNRESET') {
      options.hits.hit(reason, { parserError: error.code, remote: (socket as { remoteAddress?: string }).remoteAddress });
    }
    // Half a response already on the wire (the error came in a request body): a status line now would corrupt it.
    // A spare connection a browser opened and never used times out without a word: it asked nothing.
    const idle = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' && (socket as Duplex & { bytesRead?: number }).bytesRead === 0;
    if (error.code === 'ECONNRESET' || idle || responseStarted(socket)) {
      socket.destroy();
    } else {
      endSocket(socket, rawErrorResponse(status, code, headers));
    }
  });
  // Without a listener Node drops CONNECT silently; we are no proxy, so say so.
  server.on('connect', (request: IncomingMessage, socket: Duplex) => {
    options.hits.hit('connect', { remote: request.socket.remoteAddress, url: (request.url ?? '').slice(0, 200) });
    endSocket(socket, rawErrorResponse(405, 'METHOD_NOT_ALLOWED', { Allow: ALLOW_READ }));
  });
  // TLS handshakes that fail (scanners, plain HTTP on the TLS port) end their socket; nothing to answer.
  server.on('tlsClientError', (_error: Error, socket: Duplex) => socket.destroy());
  return server;
}
