import { RendezvousError } from '@rendezvous/protocol';

/** The two bounds of a ConnectionSlots, and what is counted (for the error text: "media connections"). */
export interface SlotLimits {
  total: number;
  perAddress: number;
  what: string;
}

/**
 * Counts something clients hold (the SFU's media connections, WHIP publishers), in all and per client address,
 * against its limits. One owner each: the Sfu, the WHIP ingest.
 */
export class ConnectionSlots {
  readonly #limits: SlotLimits;
  readonly #perAddress = new Map<string, number>();
  #total = 0;

  constructor(limits: SlotLimits) {
    this.#limits = limits;
  }

  get total(): number {
    return this.#total;
  }

  /** Takes a slot for `address` or throws SFU_LIMIT; the returned function gives it back (once, however often called). */
  take(address: string): () => void {
    const held = this.#perAddress.get(address) ?? 0;
    const { total, perAddress, what } = this.#limits;
    if (this.#total >= total) {
      throw new RendezvousError('SFU_LIMIT', `${this.#total} ${what} in all`, { detail: { limit: total } });
    }
    if (held >= perAddress) {
      throw new RendezvousError('SFU_LIMIT', `${held} ${what} from one address`, { detail: { limit: perAddress } });
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
