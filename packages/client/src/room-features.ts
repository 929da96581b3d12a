import type { ServerMessageOf } from '@rendezvous/protocol';
import { Chat } from './chat/index.js';
import type { JsonValue, RoomData } from './data/index.js';
import { FileTransfers } from './files/index.js';
import type { PresenceFeed } from './presence-feed.js';
import { Hands, Reactions, RecordingNotices, type PresenceRequest } from './presence/index.js';
import type { RemotePeer } from './remote-peer.js';
import { roomFeaturePort } from './room-feature-port.js';
import type { RoomEvents } from './room-options.js';
import type { TypedEmitter } from './typed-emitter.js';

/** What the features need from their Room. */
export interface RoomFeaturesSource {
  /** This client's peer id now (a rejoin brings a new one). */
  peerId(): string;
  readonly peers: ReadonlyMap<string, RemotePeer>;
  readonly data: RoomData;
  readonly events: TypedEmitter<RoomEvents>;
  readonly presence: PresenceFeed;
  request(message: PresenceRequest): Promise<ServerMessageOf<'peer-updated'>>;
  sendEvent(event: string, data: JsonValue): void;
}

/** The features a Room offers on top of membership and media; one owner that closes them all. */
export class RoomFeatures {
  readonly chat: Chat;
  readonly files: FileTransfers;
  readonly hands: Hands;
  readonly reactions: Reactions;
  readonly recordings: RecordingNotices;

  constructor(source: RoomFeaturesSource) {
    const data = roomFeaturePort({
      get peerId() {
        return source.peerId();
      },
      peers: source.peers,
      data: source.data,
      events: source.events,
    });
    const presence = source.presence.port({
      peerId: () => source.peerId(),
      request: (message) => source.request(message),
      sendEvent: (event, value) => source.sendEvent(event, value),
    });
    this.chat = new Chat(data);
    this.files = new FileTransfers(data);
    this.hands = new Hands(presence);
    this.reactions = new Reactions(presence);
    this.recordings = new RecordingNotices(presence);
  }

  /** Idempotent. */
  close(): void {
    this.chat.close();
    this.files.close();
    this.hands.close();
    this.reactions.close();
    this.recordings.close();
  }
}
