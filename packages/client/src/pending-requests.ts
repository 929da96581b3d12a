import { RendezvousError, type ServerMessage } from '@rendezvous/protocol';

interface Pending {
  expect: ReadonlySet<string>;
  resolve: (message: ServerMessage) => void;
  reject: (error: RendezvousError) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Requests sent with a `requestId` that wait for their reply. Each settles exactly once (reply, error
 * reply, timeout, failed send or `rejectAll`), and its timer goes with it.
 */
export class PendingRequests {
  readonly #pending = new Map<string, Pending>();

  /** Requests waiting now. */
  get size(): number {
    return this.#pending.size;
  }

  /** The reply to `requestId` of a type in `expect`, or its error; TIMEOUT (naming `what`) after `timeoutMs`. */
  wait(requestId: string, expect: readonly string[], what: string, timeoutMs: number): Promise<ServerMessage> {
    return new Promise<ServerMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(requestId);
        reject(new RendezvousError('TIMEOUT', `No reply to ${what} within ${timeoutMs} ms`, { requestId }));
      }, timeoutMs);
      this.#pending.set(requestId, { expect: new Set(expect), resolve, reject, timer });
    });
  }

  /**
   * Settles the request `message` answers when it is an error or of an expected type. False when no
   * request with that id waits (the message is then not a reply of ours).
   */
  answer(requestId: string | undefined, message: ServerMessage): boolean {
    const pending = requestId === undefined ? undefined : this.#pending.get(requestId);
    if (pending === undefined || requestId === undefined) {
      return false;
    }
    if (message.type === 'error') {
      this.#settle(requestId);
      pending.reject(new RendezvousError(message.code, message.message, { requestId }));
    } else if (pending.expect.has(message.type)) {
      this.#settle(requestId);
      pending.resolve(message);
    }
    return true;
  }

  /** Fails one request (its frame could not be sent). */
  reject(requestId: string, error: RendezvousError): void {
    const pending = this.#pending.get(requestId);
    if (pending === undefined) {
      return;
    }
    this.#settle(requestId);
    pending.reject(error);
  }

  /** Fails every waiting request with `error`'s code and message. */
  rejectAll(error: RendezvousError): void {
    for (const [requestId, pending] of [...this.#pending]) {
      this.#settle(requestId);
      pending.reject(new RendezvousError(error.code, error.message, { requestId }));
    }
  }

  #settle(requestId: string): void {
    const pending = this.#pending.get(requestId);
    if (pending === undefined) {
      return;
    }
    clearTimeout(pending.timer);
    this.#pending.delete(requestId);
  }
}
