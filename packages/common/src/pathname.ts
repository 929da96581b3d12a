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
