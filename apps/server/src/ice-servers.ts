import type { IncomingMessage } from 'node:http';
import type { IceServer } from '@rendezvous/protocol';
import { mintRestCredential } from '@rendezvous/turn';
import { normalizeAddress } from './client-address.js';
import { splitHostPort, validHostHeader } from './request-target.js';
import type { TrustedHosts } from './trusted-hosts.js';

export interface IceServerSettings {
  /** Port of STUN/TURN over UDP and TCP. */
  port: number;
  /** Port of TURN over TLS, when TLS is on. */
  tlsPort: number | undefined;
  secret: string;
  ttlSeconds: number;
}

export interface HostChoice {
  /** --public-host: when set, every ICE URL names it. */
  publicHost: string | undefined;
  /** Host names a Host header may name to be copied into ICE URLs. */
  trusted: TrustedHosts;
  /** The Host the client used (X-Forwarded-Host behind a trusted proxy). Default: the Host header. */
  hostHeader?: (request: IncomingMessage) => string | undefined;
  /** An address TURN listens on only (--turn-host), used before the request's local address. */
  listenHost: string | undefined;
  /** When nothing else is known (no request). */
  fallback: string;
}

/** An address or name as a URL host: IPv6 in brackets, IPv4-mapped IPv6 as IPv4. */
function urlHost(host: string): string {
  const bare = normalizeAddress(host.replace(/^\[|\]$/g, '').split('%')[0] ?? host);
  return bare.includes(':') ? `[${bare}]` : bare;
}

/**
 * The host to name in ICE URLs for a client that sent `request`: the configured public host; else the
 * Host it used, only when that names one of our trusted hosts (a forged Host must not send clients
 * elsewhere); else the address TURN listens on, or the address the request arrived on.
 */
export function hostOf(request: IncomingMessage | undefined, choice: HostChoice): string {
  if (choice.publicHost !== undefined) {
    return urlHost(choice.publicHost);
  }
  const header = request === undefined ? undefined : (choice.hostHeader?.(request) ?? request.headers.host);
  if (header !== undefined && validHostHeader(header)) {
    const { hostname } = splitHostPort(header);
    if (hostname !== '' && choice.trusted.has(hostname)) {
      return urlHost(hostname);
    }
  }
  if (choice.listenHost !== undefined) {
    return urlHost(choice.listenHost);
  }
  const local = request?.socket?.localAddress;
  return urlHost(local === undefined || local === '' ? choice.fallback : local);
}

/**
 * STUN and TURN entries for one client: the host it reached us by, a fresh REST credential for
 * `userId`, and TURN over UDP, TCP and (when on) TLS.
 */
export function iceServersFor(settings: IceServerSettings, host: string, userId: string, nowMs = Date.now()): IceServer[] {
  const { username, credential } = mintRestCredential(settings.secret, userId, settings.ttlSeconds, nowMs);
  const turnUrls = [`turn:${host}:${settings.port}?transport=udp`, `turn:${host}:${settings.port}?transport=tcp`];
  if (settings.tlsPort !== undefined) {
    turnUrls.push(`turns:${host}:${settings.tlsPort}?transport=tcp`);
  }
  return [{ urls: `stun:${host}:${settings.port}` }, { urls: turnUrls, username, credential }];
}
