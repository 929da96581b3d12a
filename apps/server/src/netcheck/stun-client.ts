/**
 * A minimal STUN client transport for the network check: one socket to one server over UDP, TCP or TLS, and
 * request/response matching by transaction id. UDP requests are retransmitted (RFC 8489 §6.2.1: RTO doubling
 * from 500 ms); over TCP and TLS the stream is reliable and split into messages with `StreamFramer`.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP, connect as connectTcp, type Socket as TcpSocket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { NetcheckErrorCode } from '@rendezvous/protocol';
import { decodeMessage, StreamFramer, type StunMessage } from '@rendezvous/stun';
import { formatHostPort, type StunTransportKind } from './ice-url.js';

export interface StunTarget {
  host: string;
  port: number;
  transport: StunTransportKind;
}

export interface StunClientOptions {
  /** How long to wait for the connection and for each answer. */
  timeoutMs: number;
  /** TLS: accept any certificate (self-signed, wrong name). */
  insecure?: boolean;
  /** Initial UDP retransmission timeout (default 500 ms). */
  rtoMs?: number;
}

export interface StunExchange {
  response: StunMessage;
  /** From the first transmission to the answer. */
  rttMs: number;
}

export interface StunClient {
  readonly transport: StunTransportKind;
  /** The server address used: "ip:port". */
  readonly remote: string;
  /** Milliseconds the TCP (and TLS) handshake took; 0 over UDP. */
  readonly connectMs: number;
  /** Sends a request (built with a fresh transaction id) and resolves with the answer to it. */
  request(message: Buffer): Promise<StunExchange>;
  /** Closes the socket; pending requests reject. Idempotent. */
  close(): void;
}

/** A failure with a message fit for the user, and its code from `NETCHECK_ERROR_CATALOG`. */
export class ProbeError extends Error {
  override readonly name = 'ProbeError';
  readonly code: NetcheckErrorCode;

  constructor(code: NetcheckErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Resolves a host name to one address, IPv4 first (what most TURN deployments listen on). */
export async function resolveHost(host: string): Promise<{ address: string; family: 4 | 6 }> {
  const literal = isIP(host);
  if (literal !== 0) {
    return { address: host, family: literal as 4 | 6 };
  }
  let found: { address: string; family: number }[];
  try {
    found = await lookup(host, { all: true });
  } catch (error) {
    throw new ProbeError('RESOLVE_FAILED', `cannot resolve ${host} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const best = found.find((a) => a.family === 4) ?? found[0];
  if (best === undefined) {
    throw new ProbeError('RESOLVE_FAILED', `cannot resolve ${host}`);
  }
  return { address: best.address, family: best.family === 6 ? 6 : 4 };
}

/** Turns socket and TLS errors into short sentences. */
export function describeSocketError(error: unknown, insecureHint = true): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset by the server';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'no route to the server';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'CERT_HAS_EXPIRED':
      return `TLS certificate not trusted (${code})${insecureHint ? '; --insecure accepts it' : ''}`;
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

interface Pending {
  resolve(exchange: StunExchange): void;
  reject(error: Error): void;
}

/** Opens a client socket to `target`. Rejects with `ProbeError` when it cannot connect in time. */
export async function openStunClient(target: StunTarget, options: StunClientOptions): Promise<StunClient> {
  const { address, family } = await resolveHost(target.host);
  const remote = formatHostPort(address, target.port);
  const pending = new Map<string, Pending>();
  let closed = false;
  let closeSocket = (): void => undefined;

  const deliver = (frame: Buffer, now: number, sentAt: Map<string, number>): void => {
    let message: StunMessage;
    try {
      message = decodeMessage(frame);
    } catch {
      return; // not STUN: ignore (UDP) — a stream that is out of sync fails in the framer instead
    }
    const key = message.transactionIdHex;
    const waiter = pending.get(key);
    if (waiter === undefined) {
      return;
    }
    pending.delete(key);
    waiter.resolve({ response: message, rttMs: Math.max(0, Math.round(now - (sentAt.get(key) ?? now))) });
  };
  const failAll = (error: Error): void => {
    for (const waiter of pending.values()) {
      waiter.reject(error);
    }
    pending.clear();
  };
  const sentAt = new Map<string, number>();
  let send: (message: Buffer, key: string) => { cancel(): void };
  let connectMs = 0;

  if (target.transport === 'udp') {
    const socket: UdpSocket = createSocket(family === 6 ? 'udp6' : 'udp4');
    socket.on('message', (data) => deliver(data, performance.now(), sentAt));
    socket.on('error', (error) => failAll(new ProbeError('CONNECT_FAILED', describeSocketError(error))));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(target.port, address, () => {
        socket.off('error', reject);
        resolve();
      });
    }).catch((error: unknown) => {
      socket.close();
      throw new ProbeError('CONNECT_FAILED', describeSocketError(error));
    });
    closeSocket = () => socket.close();
    const rto = options.rtoMs ?? 500;
    send = (message, key) => {
      let wait = rto;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const transmit = (): void => {
        socket.send(message, (error) => {
          if (error) {
            pending.get(key)?.reject(new ProbeError('CONNECT_FAILED', describeSocketError(error)));
          }
        });
        timer = setTimeout(transmit, wait);
        wait *= 2;
      };
      transmit();
      return { cancel: () => clearTimeout(timer) };
    };
  } else {
    const started = performance.now();
    const socket: TcpSocket =
      target.transport === 'tls'
        ? connectTls({
            host: address,
            port: target.port,
            servername: isIP(target.host) === 0 ? target.host : undefined,
            rejectUnauthorized: options.insecure !== true,
          })
        : connectTcp({ host: address, port: target.port });
    const framer = new StreamFramer();
    socket.on('data', (chunk: Buffer) => {
      const now = performance.now();
      try {
        for (const frame of framer.push(chunk).drain()) {
          deliver(frame, now, sentAt);
        }
      } catch {
        failAll(new ProbeError('BAD_ANSWER', 'the server sent something that is not STUN'));
        socket.destroy();
      }
    });
    socket.on('close', () => failAll(new ProbeError('CONNECTION_CLOSED', 'the server closed the connection')));
    const ready = target.transport === 'tls' ? 'secureConnect' : 'connect';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new ProbeError('CONNECT_FAILED', `could not connect within ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new ProbeError('CONNECT_FAILED', describeSocketError(error)));
      });
      socket.once(ready, () => {
        clearTimeout(timer);
        resolve();
      });
    }).catch((error: unknown) => {
      socket.destroy();
      throw error;
    });
    socket.on('error', (error) => failAll(new ProbeError('CONNECT_FAILED', describeSocketError(error))));
    connectMs = Math.round(performance.now() - started);
    closeSocket = () => socket.destroy();
    send = (message) => {
      socket.write(message);
      return { cancel: () => undefined };
    };
  }

  return {
    transport: target.transport,
    remote,
    connectMs,
    request(message) {
      if (closed) {
        return Promise.reject(new ProbeError('CONNECTION_CLOSED', 'the client is closed'));
      }
      const key = message.toString('hex', 8, 20);
      return new Promise<StunExchange>((resolve, reject) => {
        const io: { timer?: ReturnType<typeof setTimeout>; retransmit?: { cancel(): void } } = {};
        const settle = (): void => {
          clearTimeout(io.timer);
          io.retransmit?.cancel();
          sentAt.delete(key);
          pending.delete(key);
        };
        pending.set(key, {
          resolve: (exchange) => {
            settle();
            resolve(exchange);
          },
          reject: (error) => {
            settle();
            reject(error);
          },
        });
        sentAt.set(key, performance.now());
        io.retransmit = send(message, key);
        io.timer = setTimeout(() => {
          settle();
          reject(new ProbeError('NO_ANSWER', `no answer within ${options.timeoutMs} ms`));
        }, options.timeoutMs);
      });
    },
    close() {
      if (closed) {
        return;
      }
      closed = true;
      failAll(new ProbeError('CONNECTION_CLOSED', 'the client is closed'));
      try {
        closeSocket();
      } catch {
        // already closed
      }
    },
  };
}
