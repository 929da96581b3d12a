/**
 * STUN and TURN URIs (RFC 7064, RFC 7065): `stun:host[:port]`, `stuns:...`, `turn:host[:port][?transport=udp|tcp]`
 * and `turns:...`, host being a name, an IPv4 literal or a bracketed IPv6 literal.
 */
export type IceScheme = 'stun' | 'stuns' | 'turn' | 'turns';
/** How the client talks to the server: plain UDP, TCP, or TLS over TCP. */
export type StunTransportKind = 'udp' | 'tcp' | 'tls';

export interface IceUrl {
  /** The url as offered. */
  url: string;
  scheme: IceScheme;
  /** Host name or IP literal, without brackets. */
  host: string;
  port: number;
  transport: StunTransportKind;
}

export const DEFAULT_PORT = 3478;
export const DEFAULT_TLS_PORT = 5349;

/** Parses one STUN/TURN url; null when it is not one (or asks for a transport we do not know). */
export function parseIceUrl(url: string): IceUrl | null {
  const match = /^(stuns?|turns?):(\[[0-9a-fA-F:.]+\]|[^:[\]?/@\s]+)(?::(\d{1,5}))?(?:\?(.*))?$/i.exec(url.trim());
  if (match === null) {
    return null;
  }
  const scheme = match[1]!.toLowerCase() as IceScheme;
  const rawHost = match[2]!;
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  const secure = scheme === 'stuns' || scheme === 'turns';
  const port = match[3] === undefined ? (secure ? DEFAULT_TLS_PORT : DEFAULT_PORT) : Number(match[3]);
  if (port < 1 || port > 65535) {
    return null;
  }
  const query = new URLSearchParams(match[4] ?? '');
  const requested = query.get('transport')?.toLowerCase();
  if (requested !== undefined && requested !== 'udp' && requested !== 'tcp') {
    return null;
  }
  if (scheme.startsWith('stun') && match[4] !== undefined) {
    return null;
  } // RFC 7064: no query part
  let transport: StunTransportKind;
  if (secure) {
    if (requested === 'udp') {
      return null;
    } // DTLS: not a transport browsers use for TURN
    transport = 'tls';
  } else {
    transport = requested ?? 'udp';
  }
  return { url, scheme, host, port, transport };
}

/** "host:port", bracketing IPv6. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
