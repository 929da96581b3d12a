/**
 * The messages a Chat keeps: at most CHAT_HISTORY_LIMIT, ordered by `sentAt` (the senders' clocks; equal times keep
 * their arrival order), unique by id. When full, the oldest goes.
 */
import { CHAT_HISTORY_LIMIT } from './chat-limits.js';
import type { StoredMessage } from './chat-message.js';

export class ChatStore {
  readonly #list: StoredMessage[] = [];
  readonly #byId = new Map<string, StoredMessage>();

  get list(): readonly StoredMessage[] {
    return this.#list;
  }

  get(id: string): StoredMessage | undefined {
    return this.#byId.get(id);
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** Adds `message` in time order; false when its id is known already. Evicts the oldest past the limit. */
  add(message: StoredMessage): boolean {
    if (this.#byId.has(message.id)) {
      return false;
    }
    let at = this.#list.length;
    while (at > 0 && (this.#list[at - 1]?.sentAt ?? 0) > message.sentAt) {
      at--;
    }
    this.#list.splice(at, 0, message);
    this.#byId.set(message.id, message);
    for (const evicted of this.#list.splice(0, Math.max(0, this.#list.length - CHAT_HISTORY_LIMIT))) {
      this.#byId.delete(evicted.id);
    }
    return true;
  }

  /** The newest room-wide messages, oldest first, at most CHAT_HISTORY_LIMIT. */
  roomWide(): StoredMessage[] {
    return this.#list.filter((message) => message.to === undefined).slice(-CHAT_HISTORY_LIMIT);
  }
}
