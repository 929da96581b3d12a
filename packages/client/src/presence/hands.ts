import type { RendezvousError } from '@rendezvous/protocol';
import { TypedEmitter } from '../typed-emitter.js';
import { PresenceIntent } from './presence-intent.js';
import type { PresencePort } from './presence-port.js';
import { PresenceTable } from './presence-table.js';

/** A raised hand: whose, and its order number (lower was raised earlier). */
export interface RaisedHand {
  peerId: string;
  order: number;
}

export interface HandsEvents {
  /** The raised hands changed: all of them, in the order raised. */
  hands: [raised: RaisedHand[]];
  /** Raising the hand again after a rejoin failed. */
  error: [error: RendezvousError];
}

const sameHands = (a: readonly RaisedHand[], b: readonly RaisedHand[]): boolean =>
  a.length === b.length && a.every((hand, i) => hand.peerId === b[i]?.peerId && hand.order === b[i]?.order);

/**
 * Raised hands in a room, ordered by the server: everyone (late joiners too) sees the same order. This client's
 * own hand is in the list like anyone's. After a lost session is replaced by a rejoin, a hand that was up is
 * raised again (it then goes to the back).
 */
export class Hands extends TypedEmitter<HandsEvents> {
  readonly #table: PresenceTable;
  readonly #intent: PresenceIntent;
  #raised: RaisedHand[] = [];
  readonly #offClose: () => void;

  constructor(port: PresencePort) {
    super();
    this.#intent = new PresenceIntent(port, (raised) => ({ type: 'hand', raised }));
    this.#table = new PresenceTable(port, {
      changed: () => this.#refresh(),
      resynced: (self) =>
        void this.#intent.reassert(self.hand !== null).catch((error: RendezvousError) => this.emit('error', error)),
    });
    this.#raised = this.#compute();
    this.#offClose = port.onClose(() => this.close());
  }

  /** The raised hands, in the order raised (this client's included). */
  get raised(): RaisedHand[] {
    return this.#raised.map((hand) => ({ ...hand }));
  }

  /** Whether this client's hand is up (as the server confirmed it). */
  get isRaised(): boolean {
    return this.#table.self.hand !== null;
  }

  /** A member's hand order number, or null when its hand is down. */
  orderOf(peerId: string): number | null {
    return this.#table.get(peerId).hand;
  }

  /** Raises this client's hand; resolves once the server stamped its order. A raised hand keeps its place. */
  raiseHand(): Promise<void> {
    return this.#intent.set(true);
  }

  /** Lowers this client's hand; resolves once the server confirmed. */
  lowerHand(): Promise<void> {
    return this.#intent.set(false);
  }

  /** Stops following the room (the room's close does it). Idempotent. */
  close(): void {
    this.#intent.close();
    this.#table.close();
    this.#offClose();
  }

  #compute(): RaisedHand[] {
    const raised: RaisedHand[] = [];
    for (const [peerId, state] of this.#table.entries()) {
      if (state.hand !== null) {
        raised.push({ peerId, order: state.hand });
      }
    }
    return raised.sort((a, b) => a.order - b.order);
  }

  #refresh(): void {
    const next = this.#compute();
    if (sameHands(next, this.#raised)) {
      return;
    }
    this.#raised = next;
    this.emit('hands', this.raised);
  }
}
