type Listener<A extends unknown[]> = (...args: A) => void;

/**
 * A small typed emitter over an event map (`{ name: [arg, ...] }`). A listener that throws is reported to
 * `onListenerError` and the others still run, so a listener cannot break the emitting server.
 */
export class TypedEmitter<M extends { [K in keyof M]: unknown[] }> {
  private readonly listeners = new Map<keyof M, unknown[]>();

  constructor(private readonly onListenerError: (error: unknown, event: keyof M) => void = () => {}) {}

  on<K extends keyof M>(event: K, listener: Listener<M[K]>): this {
    const list = this.listeners.get(event) ?? [];
    list.push(listener);
    this.listeners.set(event, list);
    return this;
  }

  off<K extends keyof M>(event: K, listener: Listener<M[K]>): this {
    const list = this.listeners.get(event);
    if (list !== undefined) {
      const at = list.indexOf(listener);
      if (at >= 0) list.splice(at, 1);
    }
    return this;
  }

  listenerCount(event: keyof M): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  emit<K extends keyof M>(event: K, ...args: M[K]): void {
    const list = this.listeners.get(event);
    if (list === undefined) return;
    for (const listener of [...list]) {
      try {
        (listener as Listener<M[K]>)(...args);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }
}
