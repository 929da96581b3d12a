/** Most peers one peer is remembered to have talked to; past it the oldest is forgotten. */
export const MAX_CONTACTS_PER_PEER = 256;

/**
 * Who talked to whom through the directory, so that when a peer leaves, the peers that exchanged messages
 * with it can be told (LEAVE). Symmetric, and bounded per peer.
 */
/** One peer's contacts, oldest first, and the most recent one (a pair talking back and forth changes nothing). */
interface Known {
  readonly set: Set<string>;
  last: string;
}

export class Contacts {
  private readonly byId = new Map<string, Known>();

  /** Notes that `a` and `b` exchanged a message. */
  link(a: string, b: string): void {
    if (a === b) {
      return;
    }
    this.#add(a, b);
    this.#add(b, a);
  }

  /** Forgets `id` and returns whom it had talked to. */
  take(id: string): string[] {
    const known = this.byId.get(id);
    if (known === undefined) {
      return [];
    }
    this.byId.delete(id);
    for (const other of known.set) {
      const back = this.byId.get(other);
      if (back === undefined) {
        continue;
      }
      back.set.delete(id);
      if (back.set.size === 0) {
        this.byId.delete(other);
      } else if (back.last === id) {
        back.last = '';
      }
    }
    return [...known.set];
  }

  /** Peers with remembered contacts (for tests and metrics). */
  get size(): number {
    return this.byId.size;
  }

  clear(): void {
    this.byId.clear();
  }

  #add(from: string, to: string): void {
    let known = this.byId.get(from);
    if (known === undefined) {
      known = { set: new Set(), last: '' };
      this.byId.set(from, known);
    } else if (known.last === to) {
      return; // already the most recent contact
    }
    known.last = to;
    const set = known.set;
    set.delete(to); // re-inserted last: the most recent contact
    set.add(to);
    if (set.size > MAX_CONTACTS_PER_PEER) {
      const oldest = set.values().next().value;
      if (oldest !== undefined) {
        set.delete(oldest);
      }
    }
  }
}
