import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { addressBlock } from '@rendezvous/stun';

/**
 * Who sent a request and how it reached us. With `trustProxy` off (the default) only the socket counts;
 * with it on, the reverse proxy in front of us is believed: the last X-Forwarded-For hop is the client
 * (the address the proxy saw), and X-Forwarded-Proto/Host tell the scheme and host the browser used.
 */
export interface ClientView {
  /** The client's address as it is: the one to show and log. */
  address(request: IncomingMessage): string;
  /**
   * What per-address limits count (and the TURN identity of /api/ice-servers): the address, except that an IPv6
   * address stands for its /64 (`addressBlock`), since one host usually holds a whole /64.
   */
  limitKey(request: IncomingMessage): string;
  /** The Host the client used (X-Forwarded-Host when the proxy is trusted), if any. */
  host(request: IncomingMessage): string | undefined;
  /** The scheme the client used (X-Forwarded-Proto when the proxy is trusted). */
  scheme(request: IncomingMessage): 'http' | 'https';
}

/** An address without the IPv4-mapped IPv6 prefix (`::ffff:192.0.2.1` is `192.0.2.1`), lower case. */
export function normalizeAddress(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4 ? lower.slice(7) : lower;
}

/** The last value of a header that may repeat or hold a comma-separated list. */
function lastValue(header: string | string[] | undefined): string | undefined {
  const joined = Array.isArray(header) ? header.join(',') : header;
  if (joined === undefined) {
    return undefined;
  }
  const last = joined.split(',').pop()?.trim();
  return last === undefined || last === '' ? undefined : last;
}

/** `203.0.113.9`, `203.0.113.9:4711`, `2001:db8::7` or `[2001:db8::7]:4711` as the bare address; undefined when none. */
function forwardedAddress(hop: string): string | undefined {
  if (isIP(hop) !== 0) {
    return hop;
  }
  // Some proxies (IIS/ARR, Azure) append the client's port.
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|(\d{1,3}(?:\.\d{1,3}){3})):(\d{1,5})$/.exec(hop);
  const bare = match?.[1] ?? match?.[2];
  return bare !== undefined && isIP(bare) !== 0 && Number(match?.[3]) <= 65_535 ? bare : undefined;
}

export function createClientView(options: { trustProxy: boolean; scheme: 'http' | 'https' }): ClientView {
  const socketAddress = (request: IncomingMessage): string => normalizeAddress(request.socket.remoteAddress ?? 'unknown');
  const address = (request: IncomingMessage): string => {
    if (!options.trustProxy) {
      return socketAddress(request);
    }
    const hop = lastValue(request.headers['x-forwarded-for']);
    const forwarded = hop === undefined ? undefined : forwardedAddress(hop);
    return forwarded !== undefined ? normalizeAddress(forwarded) : socketAddress(request);
  };
  return {
    address,
    limitKey: (request) => addressBlock(address(request)),
    host(request) {
      const forwarded = options.trustProxy ? lastValue(request.headers['x-forwarded-host']) : undefined;
      return forwarded ?? request.headers.host;
    },
    scheme(request) {
      const forwarded = options.trustProxy ? lastValue(request.headers['x-forwarded-proto'])?.toLowerCase() : undefined;
      return forwarded === 'https' || forwarded === 'http' ? forwarded : options.scheme;
    },
  };
}
