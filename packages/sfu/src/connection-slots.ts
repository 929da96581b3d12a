import { RendezvousError } from '@rendezvous/protocol';
import type { SfuLimits } from './options.js';

/** Counts the SFU's media connections, in all and per client address, against their limits. One owner: the Sfu. */
export class ConnectionSlots {
  readonly #limits: SfuLimits;
  readonly #perAddress = new Map<string, number>();
  #total = 0;

  constructor(limits: SfuLimits) {
    this.#limits = limits;
  }

  get total(): number {
    return this.#total;
  }

  /** Takes a slot for `address`; the returned function gives it back (once, however often it is called). */
  take(address: string): () => void {
    const held = this.#perAddress.get(address) ?? 0;
    if (this.#total >= this.#limits.maxConnections) {
      throw new RendezvousError('SFU_LIMIT', `${this.#total} media connections in all`, {
        detail: { limit: this.#limits.maxConnections },
      });
    }
    if (held >= this.#limits.maxConnectionsPerAddress) {
      throw new RendezvousError('SFU_LIMIT', `${held} media connections from one address`, {
        detail: { limit: this.#limits.maxConnectionsPerAddress },
      });
    }
    this.#total++;
    this.#perAddress.set(address, held + 1);
    let given = false;
    return () => {
      if (given) {
        return;
      }
      given = true;
      this.#total--;
      const now = (this.#perAddress.get(address) ?? 1) - 1;
      if (now === 0) {
        this.#perAddress.delete(address);
      } else {
        this.#perAddress.set(address, now);
      }
    };
  }
}
