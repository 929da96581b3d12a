/**
 * Checks of the parts of a request that Node's parser lets through but our routes must not trust: the
 * request target (origin-form only, a clean path) and the Host header.
 */

/** An RFC 3986 path: pchar (unreserved, sub-delims, ':', '@', percent-encoded octets) and '/'. */
const PATH_CHARS = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/;
/** Encoded '/', '\' or NUL: a path segment that would change meaning once decoded. */
const ENCODED_SEPARATOR = /%(?:2f|5c|00)/i;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** A Host header: a name (letters, digits, '-', '_', '.'), an IPv4 address or a bracketed IPv6 address, and a port. */
const HOST_HEADER = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/;

export type Target = { ok: true; pathname: string } | { ok: false; reason: string };

/**
 * The decoded path of an origin-form request target (`/path?query`), or why it is refused: anything not
 * starting with a single '/' (absolute-form, authority-form, '*', '//host'), characters outside RFC 3986,
 * bad percent-encoding or UTF-8, encoded separators, control characters and dot segments.
 */
export function parseTarget(url: string | undefined): Target {
  if (url === undefined || !url.startsWith('/') || url.startsWith('//')) {
    return { ok: false, reason: 'not origin-form' };
  }
  const query = url.indexOf('?');
  const raw = query < 0 ? url : url.slice(0, query);
  if (!PATH_CHARS.test(raw)) {
    return { ok: false, reason: 'invalid character in path' };
  }
  if (ENCODED_SEPARATOR.test(raw)) {
    return { ok: false, reason: 'encoded separator in path' };
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(raw);
  } catch {
    return { ok: false, reason: 'bad percent-encoding' };
  }
  if (CONTROL.test(pathname)) {
    return { ok: false, reason: 'control character in path' };
  }
  if (pathname.split('/').some((segment) => segment === '.' || segment === '..')) {
    return { ok: false, reason: 'dot segment in path' };
  }
  return { ok: true, pathname };
}

/** True when a Host header is absent (HTTP/1.0) or a plausible `host[:port]`. */
export function validHostHeader(host: string | undefined): boolean {
  if (host === undefined) {
    return true;
  }
  const match = HOST_HEADER.exec(host);
  return match !== null && (match[1] === undefined || Number(match[1]) <= 65_535);
}

/** `host[:port]` split into a host name (lower case, IPv6 without brackets, no trailing dot) and its port. */
export function splitHostPort(value: string): { hostname: string; port: string | undefined } {
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    const rest = end < 0 ? '' : value.slice(end + 1);
    return {
      hostname: value.slice(1, end < 0 ? undefined : end).toLowerCase(),
      port: rest.startsWith(':') ? rest.slice(1) : undefined,
    };
  }
  const colon = value.lastIndexOf(':');
  // More than one colon and no brackets: a bare IPv6 address, no port.
  if (colon < 0 || value.indexOf(':') !== colon) {
    return { hostname: value.toLowerCase().replace(/\.$/, ''), port: undefined };
  }
  return { hostname: value.slice(0, colon).toLowerCase().replace(/\.$/, ''), port: value.slice(colon + 1) };
}
