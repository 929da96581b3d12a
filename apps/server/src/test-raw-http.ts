/**
 * Test helpers: raw bytes to a running server over TCP or TLS (node:net, node:tls), and a WebSocket
 * hello that must get its welcome. Used by the hostile-request and fuzz tests.
 */
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '@rendezvous/protocol';
import { startRendezvous, type RunningServer } from './app.js';
import { loadConfig, type Config } from './config.js';

/** A response as read off the socket: 0 when the server closed without a status line. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Longest a raw exchange may take before the test gives up on it (a guard, not a wait). */
const RAW_TIMEOUT_MS = 5_000;

export async function startTestServer(overrides: Partial<Config> = {}, argv: string[] = []): Promise<RunningServer> {
  const stateDir = mkdtempSync(join(tmpdir(), 'rv-http-'));
  const config = loadConfig({
    argv,
    env: {},
    overrides: { host: '127.0.0.1', port: 0, sfuPort: 0, logLevel: 'silent', turn: false, ...overrides },
  });
  return startRendezvous(config, { stateDir });
}

function connectTo(server: RunningServer, localAddress?: string): Socket {
  const options = { host: '127.0.0.1', port: server.port, ...(localAddress === undefined ? {} : { localAddress }) };
  return server.scheme === 'https' ? tlsConnect({ ...options, rejectUnauthorized: false }) : netConnect(options);
}

/** Parses one response from `data` once it is complete (head plus Content-Length body), else undefined. */
function parseResponse(data: Buffer, closed: boolean, head: boolean): RawResponse | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) {
    return closed ? { status: 0, headers: {}, body: data.toString('latin1') } : undefined;
  }
  const [statusLine = '', ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = data.subarray(end + 4);
  const length = headers['content-length'];
  if (!head && length !== undefined && body.length < Number(length) && !closed) {
    return undefined;
  }
  if (!head && length === undefined && headers['transfer-encoding'] !== undefined && !closed && !body.includes('0\r\n\r\n')) {
    return undefined;
  }
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  return { status, headers, body: body.toString('utf8') };
}

/** Writes `bytes` on a fresh connection and resolves with the first response (then drops the connection). */
export function rawRequest(
  server: RunningServer,
  bytes: string | Buffer,
  options: { localAddress?: string; end?: boolean } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connectTo(server, options.localAddress);
    let data = Buffer.alloc(0);
    const head = String(bytes).startsWith('HEAD ');
    const finish = (closed: boolean): void => {
      const response = parseResponse(data, closed, head);
      if (response === undefined) {
        return;
      }
      clearTimeout(guard);
      socket.destroy();
      resolve(response);
    };
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no response within ${RAW_TIMEOUT_MS} ms to ${JSON.stringify(String(bytes).slice(0, 80))}`));
    }, RAW_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      finish(false);
    });
    // The server may reset a connection it refused while we are still writing; what it said still counts.
    socket.on('error', () => {});
    socket.on('close', () => finish(true));
    // `end`: half-close after writing, so a truncated request cannot keep the exchange waiting.
    if (options.end === true) {
      socket.end(bytes);
    } else {
      socket.write(bytes);
    }
  });
}

/** GET `path` with a plain, valid request. */
export function rawGet(
  server: RunningServer,
  path: string,
  headers: Record<string, string> = {},
  localAddress?: string,
): Promise<RawResponse> {
  const lines = Object.entries({ Host: `127.0.0.1:${server.port}`, ...headers }).map(([k, v]) => `${k}: ${v}\r\n`);
  return rawRequest(server, `GET ${path} HTTP/1.1\r\n${lines.join('')}\r\n`, localAddress === undefined ? {} : { localAddress });
}

/** Opens /ws, says hello and resolves once the welcome arrives. */
export async function helloGetsWelcome(server: RunningServer): Promise<void> {
  const ws = new WebSocket(`${server.origin.replace(/^http/, 'ws')}/ws`, { rejectUnauthorized: false });
  try {
    await once(ws, 'open');
    const welcomed = new Promise<void>((resolve) =>
      ws.on('message', (data) => {
        if ((JSON.parse((data as Buffer).toString('utf8')) as { type: string }).type === 'welcome') {
          resolve();
        }
      }),
    );
    ws.send(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION, displayName: 'Probe' }));
    await welcomed;
  } finally {
    ws.close(1000);
  }
}
