/**
 * Headers on every response of the web app and the API.
 *
 * - Content-Security-Policy: the app is one module script and one stylesheet from our own origin, so
 *   everything else (inline script and style, eval, other hosts, plugins, <base>) is refused. `connect-src
 *   'self'` covers fetch and the same-host ws:/wss: socket (CSP Level 3; Chromium and Firefox ESR
 *   both honour it). script-src adds 'wasm-unsafe-eval', which lets the page compile WebAssembly and nothing
 *   else (no JavaScript eval): the SDK hashes transferred files (SHA-256, both sides, every byte) with a
 *   WebAssembly hasher about 4× faster than JavaScript (packages/client/src/files/file-hasher.ts).
 *   img-src allows data: (the favicon) and blob:; media-src allows the camera and
 *   remote streams. frame-ancestors is configurable (--frame-ancestors) for sites that embed the app.
 * - Referrer-Policy: no-referrer. A room's name in the URL is what keeps the room private; no link
 *   the app opens should carry it, and the app itself never needs a Referer.
 * - Permissions-Policy: camera, microphone and screen capture for this origin only (never for frames
 *   of other origins), nothing for features the app does not use.
 * - Strict-Transport-Security only under --https (180 days, no includeSubDomains: we do not own the
 *   siblings of the host name).
 */
export const HSTS_MAX_AGE_SECONDS = 15_552_000;

export const DEFAULT_FRAME_ANCESTORS = "'self'";

export interface SecurityHeaderOptions {
  https: boolean;
  /** CSP frame-ancestors sources, e.g. `'self'`, `'none'` or `'self' https://intranet.example.org`. */
  frameAncestors: string;
}

export function contentSecurityPolicy(frameAncestors: string): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

/** The headers, computed once at start. */
export function securityHeaders(options: SecurityHeaderOptions): ReadonlyArray<readonly [string, string]> {
  const headers: Array<[string, string]> = [
    ['content-security-policy', contentSecurityPolicy(options.frameAncestors)],
    ['referrer-policy', 'no-referrer'],
    ['x-content-type-options', 'nosniff'],
    ['permissions-policy', 'camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()'],
  ];
  // For browsers without frame-ancestors; only when it says the same thing.
  const ancestors = options.frameAncestors.trim();
  if (ancestors === "'self'") {
    headers.push(['x-frame-options', 'SAMEORIGIN']);
  }
  if (ancestors === "'none'") {
    headers.push(['x-frame-options', 'DENY']);
  }
  if (options.https) {
    headers.push(['strict-transport-security', `max-age=${HSTS_MAX_AGE_SECONDS}`]);
  }
  return headers;
}
