import { RendezvousError } from '@rendezvous/protocol';
import { TypedEmitter } from '../typed-emitter.js';
import type { PresencePort } from './presence-port.js';
import { isReactionEmoji, MAX_REACTION_UNITS } from './reaction-emoji.js';

/** The room event reactions travel as, with data `{ emoji }`. */
export const REACTION_EVENT = 'reaction';

export interface ReactionsEvents {
  /** Someone (this client included, at once) reacted. Show it briefly; nothing is kept. */
  reaction: [peerId: string, emoji: string];
  /** A member's reaction was not one short emoji and was dropped (INVALID_REACTION, `detail.from`). */
  error: [error: RendezvousError];
}

/** The emoji of a `reaction` event's data, when it has the right shape (validity is checked apart). */
function emojiOf(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return undefined;
  }
  return (data as Record<string, unknown>)['emoji'];
}

/**
 * Short-lived emoji reactions, sent through the server to everyone in the room at once. Nothing is stored:
 * a late joiner sees only the reactions sent after it came. Incoming reactions are checked like outgoing ones.
 */
export class Reactions extends TypedEmitter<ReactionsEvents> {
  readonly #port: PresencePort;
  readonly #offs: Array<() => void>;
  #closed = false;

  constructor(port: PresencePort) {
    super();
    this.#port = port;
    this.#offs = [
      port.onMessage((message) => {
        if (message.type === 'room-event' && message.event === REACTION_EVENT) {
          this.#receive(message.from, message.data);
        }
      }),
      port.onClose(() => this.close()),
    ];
  }

  /**
   * Sends `emoji` to the room, and emits it here as this client's own reaction. Throws INVALID_REACTION when
   * it is not one emoji of at most 16 UTF-16 code units, INVALID_STATE once the room was left.
   */
  react(emoji: string): void {
    if (this.#closed) {
      throw new RendezvousError('INVALID_STATE', 'The room was left');
    }
    if (!isReactionEmoji(emoji)) {
      throw new RendezvousError('INVALID_REACTION', undefined, { detail: { length: String(emoji).length } });
    }
    this.#port.sendEvent(REACTION_EVENT, { emoji });
    this.emit('reaction', this.#port.selfId(), emoji);
  }

  /** Stops following the room (the room's close does it). Idempotent. */
  close(): void {
    this.#closed = true;
    for (const off of this.#offs.splice(0)) {
      off();
    }
  }

  #receive(from: string, data: unknown): void {
    const emoji = emojiOf(data);
    if (isReactionEmoji(emoji)) {
      this.emit('reaction', from, emoji);
      return;
    }
    const length = typeof emoji === 'string' ? emoji.length : -1;
    this.emit(
      'error',
      new RendezvousError(
        'INVALID_REACTION',
        `Dropped a reaction from ${from}: not one emoji of at most ${MAX_REACTION_UNITS} units`,
        {
          detail: { from, length },
        },
      ),
    );
  }
}
