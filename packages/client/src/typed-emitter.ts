/**
 * A small typed event emitter. One event map per emitter, for example
 * `TypedEmitter<{ 'peer-joined': [peer: RemotePeer] }>`.
 *
 * `emit` is safe: a listener that throws is reported with `console.error` and the remaining listeners still
 * run, so a buggy listener never breaks the emitter's own state.
 */
export type EventMap<T> = { [K in keyof T]: unknown[] };
export type Listener<A extends unknown[]> = (...args: A) => void;

interface Entry {
  listener: (...args: unknown[]) => void;
  original: unknown;
}

export class TypedEmitter<E extends EventMap<E>> {
  readonly #listeners = new Map<keyof E, Entry[]>();

  /** Adds a listener. Returns a function that removes it. */
  on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    return this.#add(event, listener as unknown as Entry['listener'], listener);
  }

  /** Adds a listener that is removed after its first call. Returns a function that removes it. */
  once<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    let off: () => void = () => undefined;
    const wrapper = (...args: E[K]): void => {
      off();
      listener(...args);
    };
    off = this.#add(event, wrapper as unknown as Entry['listener'], listener);
    return off;
  }

  /** Removes a listener added with `on` or `once`. */
  off<K extends keyof E>(event: K, listener: Listener<E[K]>): void {
    const entries = this.#listeners.get(event);
    if (entries === undefined) return;
    const index = entries.findIndex((entry) => entry.original === listener);
    if (index >= 0) entries.splice(index, 1);
    if (entries.length === 0) this.#listeners.delete(event);
  }

  /** Calls every listener of `event` in order. Returns whether there was one. Never throws. */
  emit<K extends keyof E>(event: K, ...args: E[K]): boolean {
    const entries = this.#listeners.get(event);
    if (entries === undefined || entries.length === 0) return false;
    for (const entry of [...entries]) {
      try {
        entry.listener(...(args as unknown[]));
      } catch (error) {
        console.error(`[rendezvous] a listener for "${String(event)}" threw:`, error);
      }
    }
    return true;
  }

  listenerCount<K extends keyof E>(event: K): number {
    return this.#listeners.get(event)?.length ?? 0;
  }

  /** Removes every listener of `event`, or of every event. */
  removeAllListeners(event?: keyof E): void {
    if (event === undefined) this.#listeners.clear();
    else this.#listeners.delete(event);
  }

  #add(event: keyof E, listener: Entry['listener'], original: unknown): () => void {
    const entry: Entry = { listener, original };
    let entries = this.#listeners.get(event);
    if (entries === undefined) {
      entries = [];
      this.#listeners.set(event, entries);
    }
    entries.push(entry);
    return () => {
      const current = this.#listeners.get(event);
      if (current === undefined) return;
      const index = current.indexOf(entry);
      if (index >= 0) current.splice(index, 1);
      if (current.length === 0) this.#listeners.delete(event);
    };
  }
}
