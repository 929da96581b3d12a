import { RendezvousError } from '@rendezvous/protocol';
import type { PresencePort, PresenceRequest } from './presence-port.js';

/**
 * What this client last asked for (a raised hand, a recording notice), so that it can be asked again after a
 * rejoin: a lost session's presence is gone from the server, while the hand is still up and the recorder
 * still runs here.
 */
export class PresenceIntent {
  readonly #port: PresencePort;
  readonly #make: (wanted: boolean) => PresenceRequest;
  #wanted: boolean | null = null;
  #closed = false;

  constructor(port: PresencePort, make: (wanted: boolean) => PresenceRequest) {
    this.#port = port;
    this.#make = make;
  }

  /** Asks the server for `wanted`; resolves once it confirmed (the table has the reply by then). */
  async set(wanted: boolean): Promise<void> {
    if (this.#closed) {
      throw new RendezvousError('INVALID_STATE', 'The room was left');
    }
    this.#wanted = wanted;
    await this.#port.request(this.#make(wanted));
  }

  /** After a fresh snapshot: asks again when the server's `actual` differs from what was asked for. */
  async reassert(actual: boolean): Promise<void> {
    if (this.#closed || this.#wanted === null || this.#wanted === actual) {
      return;
    }
    await this.#port.request(this.#make(this.#wanted));
  }

  close(): void {
    this.#closed = true;
  }
}
