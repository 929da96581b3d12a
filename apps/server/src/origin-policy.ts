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

/** Origins whose parse a policy remembers (cleared when full): every handshake would otherwise parse two URLs twice. */
const REMEMBERED_ORIGINS = 512;

interface ParsedOrigin {
  /** normalizeOrigin() of it. */
  origin: string;
  /** Its host name, IPv6 without brackets. */
  host: string;
}

/** normalizeOrigin() and the host name of the result, remembered for the last REMEMBERED_ORIGINS distinct texts. */
function originParser(): (text: string) => ParsedOrigin | null {
  const seen = new Map<string, ParsedOrigin | null>();
  return (text) => {
    let parsed = seen.get(text);
    if (parsed === undefined) {
      const origin = normalizeOrigin(text);
      parsed = origin === undefined ? null : { origin, host: new URL(origin).hostname.replace(/^\[|\]$/g, '') };
      if (seen.size >= REMEMBERED_ORIGINS) {
        seen.clear();
      }
      seen.set(text, parsed);
    }
    return parsed;
  };
}

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
  const parse = originParser();
  const allowed = new Set(
    options.allowedOrigins.map((origin) => normalizeOrigin(origin)).filter((o): o is string => o !== undefined),
  );
  return (origin, request) => {
    if (origin === undefined || origin === '') {
      return true;
    }
    const parsed = parse(origin);
    if (parsed === null) {
      return false;
    }
    if (allowed.has(parsed.origin)) {
      return true;
    }
    const originHost = parsed.host;
    const host = options.client.host(request);
    if (host === undefined || !validHostHeader(host)) {
      return false;
    }
    const own = parse(`${options.client.scheme(request)}://${host}`);
    if (own === null) {
      return false;
    }
    const requestHost = own.host;
    if (own.origin === parsed.origin) {
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
