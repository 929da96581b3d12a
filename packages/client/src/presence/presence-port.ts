import type { JoinedRoom, ServerMessage, ServerMessageOf } from '@rendezvous/protocol';
import type { JsonValue } from '../data/index.js';

/** What hands and recording notices ask the server to change: one of these, without a request id. */
export type PresenceRequest = { type: 'hand'; raised: boolean } | { type: 'recording'; active: boolean };

/**
 * What the presence features (hands, recording notices, reactions) use of a Room. The server keeps a member's
 * presence and announces it, so this port speaks of server messages, not of peer connections: any topology
 * offers it the same way.
 */
export interface PresencePort {
  /** This client's peer id now (a rejoin after a lost session brings a new one). */
  selfId(): string;
  /** The room's latest snapshot: the `joined` reply, or the one the last resume or rejoin brought. */
  snapshot(): JoinedRoom;
  /** Each fresh snapshot after a resume or a rejoin (once `snapshot()` returns it). */
  onSnapshot(listener: (snapshot: JoinedRoom) => void): () => void;
  /**
   * This room's `peer-joined`, `peer-left`, `peer-updated` and `room-event` messages, in the order they came,
   * including the `peer-updated` replies to this client's own requests.
   */
  onMessage(listener: (message: ServerMessage) => void): () => void;
  /** Sends `message` with a request id: resolves with its reply, rejects with the server's error. */
  request(message: PresenceRequest): Promise<ServerMessageOf<'peer-updated'>>;
  /** `room.sendEvent()`: a room event relayed by the server to the other members. */
  sendEvent(event: string, data: JsonValue): void;
  /** Ends with the room. */
  onClose(listener: () => void): () => void;
}
