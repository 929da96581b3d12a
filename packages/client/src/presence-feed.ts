import type { JoinedRoom, ServerMessage, ServerMessageOf } from '@rendezvous/protocol';
import type { JsonValue } from './data/index.js';
import type { PresencePort, PresenceRequest } from './presence/index.js';
import { TypedEmitter } from './typed-emitter.js';

interface FeedEvents {
  snapshot: [snapshot: JoinedRoom];
  message: [message: ServerMessage];
  close: [];
}

/** What the feed needs from its Room to answer requests. */
export interface PresenceFeedHost {
  peerId(): string;
  request(message: PresenceRequest): Promise<ServerMessageOf<'peer-updated'>>;
  sendEvent(event: string, data: JsonValue): void;
}

/**
 * The Room's side of PresencePort: the latest snapshot, and the room's presence messages in the order they
 * came. The Room feeds it (`snapshot`, `message`, `close`); hands, recording notices and reactions read it.
 */
export class PresenceFeed {
  readonly #events = new TypedEmitter<FeedEvents>();
  #snapshot: JoinedRoom;

  constructor(initial: JoinedRoom) {
    this.#snapshot = initial;
  }

  snapshot(snapshot: JoinedRoom): void {
    this.#snapshot = snapshot;
    this.#events.emit('snapshot', snapshot);
  }

  message(message: ServerMessage): void {
    this.#events.emit('message', message);
  }

  close(): void {
    this.#events.emit('close');
    this.#events.removeAllListeners();
  }

  port(host: PresenceFeedHost): PresencePort {
    return {
      selfId: () => host.peerId(),
      snapshot: () => this.#snapshot,
      onSnapshot: (listener) => this.#events.on('snapshot', listener),
      onMessage: (listener) => this.#events.on('message', listener),
      request: (message) => host.request(message),
      sendEvent: (event, data) => host.sendEvent(event, data),
      onClose: (listener) => this.#events.on('close', listener),
    };
  }
}
