/**
 * A small typed event emitter over an event map (`{ name: [arg, ...] }`), shared by the servers and the browser
 * SDK, for example `TypedEmitter<{ 'peer-joined': [peer: RemotePeer] }>`.
 *
 * `emit` is safe: a listener that throws is reported to `onListenerError` (by default `console.error`) and the
 * remaining listeners still run, so a buggy listener never breaks the emitter's own state.
 */
export type EventMap<T> = { [K in keyof T]: unknown[] };
export type Listener<A extends unknown[]> = (...args: A) => void;
export type ListenerErrorReporter<E> = (error: unknown, event: keyof E) => void;

interface Entry {
  listener: (...args: unknown[]) => void;
  original: unknown;
}

function reportToConsole(error: unknown, event: PropertyKey): void {
  console.error(`[rendezvous] a listener for "${String(event)}" threw:`, error);
}

export class TypedEmitter<E extends EventMap<E>> {
  readonly #listeners = new Map<keyof E, Entry[]>();
  readonly #onListenerError: ListenerErrorReporter<E>;

  constructor(onListenerError: ListenerErrorReporter<E> = reportToConsole) {
    this.#onListenerError = onListenerError;
  }

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

  /** Removes a listener added with `on` or `once` (the first, if it was added twice). */
  off<K extends keyof E>(event: K, listener: Listener<E[K]>): void {
    const entries = this.#listeners.get(event);
    if (entries === undefined) {
      return;
    }
    const index = entries.findIndex((entry) => entry.original === listener);
    if (index >= 0) {
      entries.splice(index, 1);
    }
    if (entries.length === 0) {
      this.#listeners.delete(event);
    }
  }

  /**
   * Calls every listener of `event` in the order they were added (those added during the call wait for the
   * next one). Returns whether there was one. Never throws.
   */
  emit<K extends keyof E>(event: K, ...args: E[K]): boolean {
    const entries = this.#listeners.get(event);
    if (entries === undefined || entries.length === 0) {
      return false;
    }
    for (const entry of [...entries]) {
      try {
        entry.listener(...(args as unknown[]));
      } catch (error) {
        this.#report(error, event);
      }
    }
    return true;
  }

  listenerCount<K extends keyof E>(event: K): number {
    return this.#listeners.get(event)?.length ?? 0;
  }

  /** Removes every listener of `event`, or of every event. */
  removeAllListeners(event?: keyof E): void {
    if (event === undefined) {
      this.#listeners.clear();
    } else {
      this.#listeners.delete(event);
    }
  }

  #report(error: unknown, event: keyof E): void {
    try {
      this.#onListenerError(error, event);
    } catch {
      // A reporter that throws must not break the emit either.
    }
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
      if (current === undefined) {
        return;
      }
      const index = current.indexOf(entry);
      if (index >= 0) {
        current.splice(index, 1);
      }
      if (current.length === 0) {
        this.#listeners.delete(event);
      }
    };
  }
}
