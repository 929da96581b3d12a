import type { IncomingStream, JsonValue, OutgoingStream, StreamMeta } from './data/index.js';

/**
 * What an SDK feature built on a Room (chat, file transfer, hands, recording notices) may use of it. The
 * Room implements it whatever its topology, so features never see a connection. Internal topics keep a
 * feature's traffic apart from the application's own `room.send()` messages and streams.
 */
export interface FeaturePort {
  /** This client's peer id. */
  readonly peerId: string;
  /** The other members now. */
  peerIds(): string[];
  /** A member's display name (undefined when not in the room). */
  displayName(peerId: string): string | undefined;
  /** A JSON message on `topic` to every member, or to `to`. Queued while a member's channel opens. */
  sendInternal(topic: string, data: JsonValue, to?: string | readonly string[]): void;
  onInternal(topic: string, listener: (from: string, data: JsonValue) => void): () => void;
  /** A stream on `topic` to one member (its own channel, with backpressure). */
  openInternalStream(topic: string, to: string, meta: StreamMeta): OutgoingStream;
  onInternalStream(topic: string, listener: (stream: IncomingStream) => void): () => void;
  onPeerJoined(listener: (peerId: string) => void): () => void;
  onPeerLeft(listener: (peerId: string) => void): () => void;
  /** A member's data channels are (again) open: after its connection was built or rebuilt. */
  onPeerReachable(listener: (peerId: string) => void): () => void;
  /** Ends with the room. */
  onClose(listener: () => void): () => void;
}
