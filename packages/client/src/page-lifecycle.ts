/** Page events the signaling client reacts to; a no-op outside a browser page. */
export interface PageHooks {
  /** The page is being unloaded (or frozen into the back/forward cache). */
  onPageHide: (() => void) | null;
  /** The browser is back online. */
  onOnline: () => void;
}

/** Subscribes to `pagehide` and `online` on the global scope. Returns the unsubscribe function. */
export function watchPage(hooks: PageHooks): () => void {
  const target = globalThis as { addEventListener?: unknown; removeEventListener?: unknown };
  if (typeof target.addEventListener !== 'function' || typeof target.removeEventListener !== 'function') {
    return () => undefined;
  }
  const add = target.addEventListener as (type: string, listener: () => void) => void;
  const remove = target.removeEventListener as (type: string, listener: () => void) => void;
  const onPageHide = hooks.onPageHide;
  if (onPageHide !== null) {
    add.call(globalThis, 'pagehide', onPageHide);
  }
  add.call(globalThis, 'online', hooks.onOnline);
  return () => {
    if (onPageHide !== null) {
      remove.call(globalThis, 'pagehide', onPageHide);
    }
    remove.call(globalThis, 'online', hooks.onOnline);
  };
}
