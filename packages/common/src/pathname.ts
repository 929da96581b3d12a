/**
 * A path the WHATWG URL parser leaves as it is: a slash, then only characters it neither percent-encodes nor
 * rewrites (no dot segment, backslash, percent sign, fragment or non-ASCII), and not `//`, which starts a host. Most request targets are such.
 */
const PLAIN_PATH = /^\/(?!\/)[\w~!$&'()*+,;=:@/-]*$/;

/**
 * The path of an HTTP request target, as `new URL(target, base).pathname` gives it; undefined when it does not
 * parse. A plain path (the usual `/ws`, `/peerjs/peerjs?key=…`) is read without building a URL.
 */
export function pathnameOf(url: string | undefined): string | undefined {
  if (url !== undefined) {
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    if (PLAIN_PATH.test(path)) {
      return path;
    }
  }
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

// eslint-disable-next-line no-control-regex -- what the URL parser strips or trims
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f]/;

/**
 * The query of an HTTP request target, as `new URL(target, base).searchParams` gives it (the fragment, if any,
 * left out), without building a URL.
 */
export function searchParamsOf(url: string | undefined): URLSearchParams {
  if (url !== undefined && CONTROL_OR_SPACE.test(url)) {
    // The URL parser drops tabs and newlines and trims spaces: let it.
    try {
      return new URL(url, 'http://localhost').searchParams;
    } catch {
      return new URLSearchParams();
    }
  }
  const start = url?.indexOf('?') ?? -1;
  const hash = url?.indexOf('#') ?? -1;
  if (url === undefined || start < 0 || (hash >= 0 && hash < start)) {
    return new URLSearchParams();
  }
  // From the '?' on: URLSearchParams drops one leading '?', so a query that starts with '?' keeps it.
  return new URLSearchParams(hash < 0 ? url.slice(start) : url.slice(start, hash));
}
