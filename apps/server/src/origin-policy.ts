import type { IncomingMessage } from 'node:http';
import type { ClientView } from './client-address.js';
import { validHostHeader } from './request-target.js';
import { isLoopbackName, type TrustedHosts } from './trusted-hosts.js';

/**
 * Which pages may open /ws (SignalingOptions.checkOrigin). Browsers always send Origin on a WebSocket
 * handshake, so this is what stops a page on another site from using our signaling (and our TURN
 * credentials) on its visitors' behalf. Allowed:
 * - no Origin at all (not a browser: SDK in Node, netcheck, curl);
 * - the server's own origin: scheme and Host the client used, when that host is a trusted name
 *   (a Host outside the trusted list would let a DNS-rebinding page pass as "our own");
 * - in development, meaning the client reached us by a loopback name, any http(s) origin on localhost,
 *   127.0.0.1 or [::1] (the Vite dev server, test pages on another port);
 * - every origin in `allowedOrigins` (--allowed-origin).
 * Everything else, including the opaque origin `null` (sandboxed frames, file: pages), is refused.
 */
export type OriginCheck = (origin: string | undefined, request: IncomingMessage) => boolean;

/** `https://Example.org:443/` and `https://example.org` are the same origin; undefined when not an http(s) URL. */
export function normalizeOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Distinct untrusted own hosts reported through `onUntrustedOwnHost`; later ones are not reported. */
export const MAX_REPORTED_HOSTS = 16;

export function createOriginPolicy(options: {
  allowedOrigins: readonly string[];
  trustedHosts: TrustedHosts;
  client: ClientView;
  /**
   * Called once per host (up to MAX_REPORTED_HOSTS) when a page's own origin was refused only because its
   * host is not a trusted name: usually a deployment behind a domain that needs --public-host.
   */
  onUntrustedOwnHost?: (host: string) => void;
}): OriginCheck {
  const reported = new Set<string>();
  const allowed = new Set(
    options.allowedOrigins.map((origin) => normalizeOrigin(origin)).filter((o): o is string => o !== undefined),
  );
  return (origin, request) => {
    if (origin === undefined || origin === '') {
      return true;
    }
    const normalized = normalizeOrigin(origin);
    if (normalized === undefined) {
      return false;
    }
    if (allowed.has(normalized)) {
      return true;
    }
    const originHost = new URL(normalized).hostname.replace(/^\[|\]$/g, '');
    const host = options.client.host(request);
    if (host === undefined || !validHostHeader(host)) {
      return false;
    }
    const own = normalizeOrigin(`${options.client.scheme(request)}://${host}`);
    if (own === undefined) {
      return false;
    }
    const requestHost = new URL(own).hostname.replace(/^\[|\]$/g, '');
    if (own === normalized) {
      if (options.trustedHosts.has(originHost)) {
        return true;
      }
      if (options.onUntrustedOwnHost !== undefined && !reported.has(originHost) && reported.size < MAX_REPORTED_HOSTS) {
        reported.add(originHost);
        options.onUntrustedOwnHost(originHost);
      }
    }
    return isLoopbackName(requestHost) && isLoopbackName(originHost) && !originHost.endsWith('.localhost');
  };
}
