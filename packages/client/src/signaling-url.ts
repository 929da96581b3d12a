/** Where a page finds the signaling endpoint: `ws(s)://<host>/ws`. */
export const SIGNALING_PATH = '/ws';

/**
 * The signaling WebSocket URL for the page's origin, or for the given http(s) URL or `Location`.
 * `https:` maps to `wss:`, `http:` to `ws:`. A `ws(s):` URL is returned with its path defaulted to `/ws`.
 */
export function signalingUrl(base?: string | Location | URL): string {
  let href: string;
  if (base === undefined) {
    if (typeof location === 'undefined') {
      throw new TypeError('signalingUrl() needs a base URL outside a browser page');
    }
    href = location.href;
  } else {
    href = typeof base === 'string' ? base : base.href;
  }
  const url = new URL(href);
  if (url.protocol === 'https:') {
    url.protocol = 'wss:';
  } else if (url.protocol === 'http:') {
    url.protocol = 'ws:';
  } else if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new TypeError(`signalingUrl(): unsupported protocol ${url.protocol}`);
  }
  const explicitWs = typeof base === 'string' && /^wss?:/i.test(base) && url.pathname !== '/';
  if (!explicitWs) {
    url.pathname = SIGNALING_PATH;
  }
  url.search = '';
  url.hash = '';
  return url.toString();
}
