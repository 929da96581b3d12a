import { Chat } from './chat/index.js';
import type { FeaturePort } from './feature-port.js';
import { FileTransfers } from './files/index.js';
import { Hands, Reactions, RecordingNotices, type PresencePort } from './presence/index.js';

/** The features a Room offers on top of membership and media; one owner that closes them all. */
export class RoomFeatures {
  readonly chat: Chat;
  readonly files: FileTransfers;
  readonly hands: Hands;
  readonly reactions: Reactions;
  readonly recordings: RecordingNotices;

  constructor(data: FeaturePort, presence: PresencePort) {
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
