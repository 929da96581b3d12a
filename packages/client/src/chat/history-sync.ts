/**
 * Who a Chat asks for the recent history, and whose answer it accepts. It asks one member: the first to become
 * reachable among those it did not see join (members already in the room before us; a member that joins after us
 * knows no more than we do). If that member leaves before its answer is complete, the next such member is asked.
 * Once one answer is complete the chat never asks again. Each member's request is answered once per connection.
 */
export class HistorySync {
  readonly #joinedAfterUs = new Set<string>();
  readonly #reachable = new Set<string>();
  readonly #tried = new Set<string>();
  readonly #answered = new Set<string>();
  #asking: string | null = null;
  #done = false;
  /** Messages accepted from the current answer so far. */
  received = 0;

  /** The member whose answer is awaited, if any. */
  get asking(): string | null {
    return this.#asking;
  }

  joined(peerId: string): void {
    this.#joinedAfterUs.add(peerId);
  }

  /** `peerId` became reachable: returns it when it is the one to ask now. */
  reachable(peerId: string): string | null {
    this.#reachable.add(peerId);
    this.#answered.delete(peerId);
    return this.#next();
  }

  /** `peerId` left: returns the member to ask instead, when it was the one asked. */
  left(peerId: string): string | null {
    this.#reachable.delete(peerId);
    this.#answered.delete(peerId);
    this.#joinedAfterUs.delete(peerId);
    if (this.#asking !== peerId) {
      return null;
    }
    this.#asking = null;
    return this.#next();
  }

  /** Asking `peerId` failed at once (its queue was full): try the next one. */
  failed(peerId: string): string | null {
    return this.left(peerId);
  }

  /** The answer is complete. */
  complete(): void {
    this.#done = true;
    this.#asking = null;
  }

  /** Whether to answer `peerId`'s request now (false when it was answered on this connection already). */
  shouldAnswer(peerId: string): boolean {
    if (this.#answered.has(peerId)) {
      return false;
    }
    this.#answered.add(peerId);
    return true;
  }

  #next(): string | null {
    if (this.#done || this.#asking !== null) {
      return null;
    }
    for (const peerId of this.#reachable) {
      if (!this.#joinedAfterUs.has(peerId) && !this.#tried.has(peerId)) {
        this.#tried.add(peerId);
        this.#asking = peerId;
        this.received = 0;
        return peerId;
      }
    }
    return null;
  }
}
