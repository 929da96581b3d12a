/** A tiny client-side router on the history API. Pages mount into one root and return a cleanup. */

export type Cleanup = () => void;
export type Page = (root: HTMLElement, params: Record<string, string>) => Cleanup | void;

interface Route {
  pattern: RegExp;
  keys: string[];
  page: Page;
}

const routes: Route[] = [];
let fallback: Page = () => undefined;
let root: HTMLElement | null = null;
let cleanup: Cleanup | null = null;

/** Registers `path` such as "/room/:name"; parameters match one path segment. */
export function route(path: string, page: Page): void {
  const keys: string[] = [];
  const source = path
    .split('/')
    .map((part) => {
      if (!part.startsWith(':')) {
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
      keys.push(part.slice(1));
      return '([^/]+)';
    })
    .join('/');
  routes.push({ pattern: new RegExp(`^${source}/?$`), keys, page });
}

export function notFound(page: Page): void {
  fallback = page;
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) {
    history.replaceState(null, '', path);
  } else {
    history.pushState(null, '', path);
  }
  render();
}

function match(pathname: string): { page: Page; params: Record<string, string> } {
  for (const r of routes) {
    const m = r.pattern.exec(pathname);
    if (!m) {
      continue;
    }
    const params: Record<string, string> = {};
    try {
      r.keys.forEach((key, i) => (params[key] = decodeURIComponent(m[i + 1] ?? '')));
    } catch {
      continue; // malformed %-escape
    }
    return { page: r.page, params };
  }
  return { page: fallback, params: {} };
}

function render(): void {
  if (!root) {
    return;
  }
  const previous = cleanup;
  cleanup = null;
  try {
    previous?.();
  } catch (error) {
    console.error('page cleanup failed', error);
  }
  root.replaceChildren();
  const { page, params } = match(location.pathname);
  cleanup = page(root, params) ?? null;
  window.scrollTo(0, 0);
}

/** Starts routing into `element`: renders now, on back/forward and on clicks on same-origin links. */
export function start(element: HTMLElement): void {
  root = element;
  window.addEventListener('popstate', render);
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0) {
      return;
    }
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    const link = (event.target as Element | null)?.closest?.('a');
    if (!link || link.target || link.hasAttribute('download') || link.origin !== location.origin) {
      return;
    }
    event.preventDefault();
    if (link.pathname !== location.pathname) {
      navigate(link.pathname + link.search);
    }
  });
  render();
}
