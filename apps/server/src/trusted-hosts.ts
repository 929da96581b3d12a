import { hostname as osHostname, networkInterfaces } from 'node:os';
import { normalizeAddress } from './client-address.js';

/** Interface addresses are read again at most this often (DHCP and VPNs change them; no timer needed). */
export const INTERFACE_REFRESH_MS = 30_000;

const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '::1']);

/**
 * The host names this server answers to: loopback, this machine's interface addresses and host name,
 * the configured public host, and the hosts of the allowed origins. A Host header outside this list is
 * not copied into ICE URLs and does not make an Origin "our own" (that would let DNS rebinding in).
 */
export interface TrustedHosts {
  /** `hostname` is lower case, without port, IPv6 without brackets. */
  has(hostname: string): boolean;
}

/** True for localhost, 127.0.0.0/8 and ::1. */
export function isLoopbackName(hostname: string): boolean {
  const name = normalizeAddress(hostname);
  return LOOPBACK_NAMES.has(name) || name.endsWith('.localhost') || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

function originHost(origin: string): string | undefined {
  try {
    const { hostname } = new URL(origin);
    return hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return undefined;
  }
}

export function createTrustedHosts(options: {
  publicHost: string | undefined;
  allowedOrigins: readonly string[];
  now?: () => number;
  interfaces?: () => string[];
}): TrustedHosts {
  const now = options.now ?? Date.now;
  const readInterfaces =
    options.interfaces ??
    (() =>
      Object.values(networkInterfaces())
        .flatMap((list) => list ?? [])
        .map((entry) => entry.address));
  const fixed = new Set<string>([osHostname().toLowerCase()]);
  if (options.publicHost !== undefined) {
    fixed.add(options.publicHost.replace(/^\[|\]$/g, '').toLowerCase());
  }
  for (const origin of options.allowedOrigins) {
    const host = originHost(origin);
    if (host !== undefined) {
      fixed.add(host);
    }
  }
  let interfaces = new Set<string>();
  let readAt = -Infinity;
  return {
    has(hostname) {
      const name = normalizeAddress(hostname.replace(/\.$/, ''));
      if (isLoopbackName(name) || fixed.has(name)) {
        return true;
      }
      if (now() - readAt >= INTERFACE_REFRESH_MS) {
        interfaces = new Set(readInterfaces().map((address) => normalizeAddress(address.split('%')[0] ?? address)));
        readAt = now();
      }
      return interfaces.has(name);
    },
  };
}
