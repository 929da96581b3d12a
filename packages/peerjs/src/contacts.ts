/** Most peers one peer is remembered to have talked to; past it the oldest is forgotten. */
export const MAX_CONTACTS_PER_PEER = 256;

/**
 * Who talked to whom through the directory, so that when a peer leaves, the peers that exchanged messages
 * with it can be told (LEAVE). Symmetric, and bounded per peer.
 */
export class Contacts {
  private readonly byId = new Map<string, Set<string>>();

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
    const set = this.byId.get(id);
    if (set === undefined) {
      return [];
    }
    this.byId.delete(id);
    for (const other of set) {
      const back = this.byId.get(other);
      back?.delete(id);
      if (back?.size === 0) {
        this.byId.delete(other);
      }
    }
    return [...set];
  }

  /** Peers with remembered contacts (for tests and metrics). */
  get size(): number {
    return this.byId.size;
  }

  clear(): void {
    this.byId.clear();
  }

  #add(from: string, to: string): void {
    let set = this.byId.get(from);
    if (set === undefined) {
      set = new Set();
      this.byId.set(from, set);
    }
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
