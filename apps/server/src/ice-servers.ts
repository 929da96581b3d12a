import type { IncomingMessage } from 'node:http';
import type { IceServer } from '@rendezvous/protocol';
import { mintRestCredential } from '@rendezvous/turn';

export interface IceServerSettings {
  /** Port of STUN/TURN over UDP and TCP. */
  port: number;
  /** Port of TURN over TLS, when TLS is on. */
  tlsPort: number | undefined;
  secret: string;
  ttlSeconds: number;
}

/** The host name the client used to reach us (Host header without the port), else `fallback`. */
export function hostOf(request: IncomingMessage | undefined, fallback: string): string {
  const header = request?.headers.host;
  if (header === undefined || header === '') return fallback;
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  const colon = header.lastIndexOf(':');
  return colon >= 0 && !header.slice(0, colon).includes(':') ? header.slice(0, colon) : header;
}

/**
 * STUN and TURN entries for one client: the host it reached us by, a fresh REST credential for
 * `userId`, and TURN over UDP, TCP and (when on) TLS.
 */
export function iceServersFor(settings: IceServerSettings, host: string, userId: string, nowMs = Date.now()): IceServer[] {
  const { username, credential } = mintRestCredential(settings.secret, userId, settings.ttlSeconds, nowMs);
  const turnUrls = [`turn:${host}:${settings.port}?transport=udp`, `turn:${host}:${settings.port}?transport=tcp`];
  if (settings.tlsPort !== undefined) turnUrls.push(`turns:${host}:${settings.tlsPort}?transport=tcp`);
  return [{ urls: `stun:${host}:${settings.port}` }, { urls: turnUrls, username, credential }];
}
