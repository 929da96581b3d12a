import type { JoinedRoom, MemberPresence, ServerMessage } from '@rendezvous/protocol';
import type { PresencePort } from './presence-port.js';

/** A member's presence as the server last announced it. */
export interface MemberState {
  /** Order number of the raised hand, or null when it is down. */
  hand: number | null;
  recording: boolean;
}

/** What the table tells its owner. */
export interface PresenceTableHooks {
  /** Something may have changed: compare what you show. */
  changed(): void;
  /** A fresh snapshot (resume or rejoin) replaced the table; `self` is this client's state in it. */
  resynced(self: MemberState): void;
}

const stateOf = (presence: MemberPresence, before?: MemberState): MemberState => ({
  hand: presence.hand === undefined ? (before?.hand ?? null) : presence.hand,
  recording: presence.recording ?? before?.recording ?? false,
});

/**
 * Each member's presence (this client's own included), kept from the room's snapshot and the server's
 * `peer-joined`, `peer-left` and `peer-updated` messages. Owned by one presence feature.
 */
export class PresenceTable {
  readonly #members = new Map<string, MemberState>();
  readonly #port: PresencePort;
  readonly #offs: Array<() => void>;

  constructor(port: PresencePort, hooks: PresenceTableHooks) {
    this.#port = port;
    this.#load(port.snapshot());
    this.#offs = [
      port.onMessage((message) => {
        if (this.#apply(message)) {
          hooks.changed();
        }
      }),
      port.onSnapshot((snapshot) => {
        this.#load(snapshot);
        hooks.changed();
        hooks.resynced(this.self);
      }),
    ];
  }

  /** This client's own state. */
  get self(): MemberState {
    return this.get(this.#port.selfId());
  }

  /** A member's state; the resting state for anyone unknown. */
  get(peerId: string): MemberState {
    const state = this.#members.get(peerId);
    return state === undefined ? { hand: null, recording: false } : { ...state };
  }

  /** Every member's state, in the order members became known. */
  entries(): Array<[peerId: string, state: MemberState]> {
    return [...this.#members].map(([id, state]) => [id, { ...state }]);
  }

  /** Stops listening. Idempotent. */
  close(): void {
    for (const off of this.#offs.splice(0)) {
      off();
    }
  }

  #load(snapshot: JoinedRoom): void {
    this.#members.clear();
    this.#members.set(snapshot.self.peerId, stateOf(snapshot.self));
    for (const peer of snapshot.peers) {
      this.#members.set(peer.peerId, stateOf(peer));
    }
  }

  /** True when the message touched the table. */
  #apply(message: ServerMessage): boolean {
    switch (message.type) {
      case 'peer-joined':
        this.#members.set(message.peer.peerId, stateOf(message.peer));
        return true;
      case 'peer-left':
        return this.#members.delete(message.peerId);
      case 'peer-updated': {
        const before = this.#members.get(message.peerId);
        if (before === undefined) {
          return false; // not (or no longer) a member
        }
        this.#members.set(message.peerId, stateOf(message, before));
        return true;
      }
      default:
        return false;
    }
  }
}
