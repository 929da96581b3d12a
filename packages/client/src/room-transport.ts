import type {
  ClientMessageInput,
  RendezvousError,
  ServerMessage,
  ServerMessageOf,
  ServerMessageType,
  SignalData,
} from '@rendezvous/protocol';
import type { PeerChannels } from './data/channel-port.js';
import type { VideoCodecName } from './codecs.js';
import type { LinkSendKind } from './local-media.js';
import type { RemotePeer } from './remote-peer.js';

/**
 * How a Room moves media and data to its members. The Room owns membership (who is in the room, from
 * the server); a transport owns the connections that carry media to them: a mesh (one RTCPeerConnection per
 * member, mesh-transport.ts) or the server's SFU (sfu/sfu-transport.ts), as the room's mode says.
 */
export interface RoomTransport {
  /** A member to connect to. `polite` is the negotiation role the server assigned toward it. */
  addPeer(peer: RemotePeer, polite: boolean): void;
  /** The member left (or the room did): close what carries its media. */
  removePeer(peerId: string): void;
  /** After a fresh snapshot: the role toward a member; `restart` replaces its connection with a fresh start. */
  resync(peerId: string, polite: boolean, restart: boolean): void;
  /** A relayed signal from a member (possibly one not added yet). */
  handleSignal(from: string, data: SignalData): void;
  /** A server message for the transport itself (`sfu-sources`, `sfu-closed`, `relay`); others ignore it. */
  handleMessage(message: ServerMessage): void;
  /** What the local side sends for `kind` changed. */
  setSendTrack(kind: LinkSendKind, track: MediaStreamTrack | null): void;
  /** The preferred video codec changed (null: the browser's default order). */
  setVideoCodec(codec: VideoCodecName | null): void;
  /** The room was joined again under a new session (the server forgot this client's connections): start over. */
  rejoined(): void;
  /** The stats of the connections that carry this client's media out (one per member in a mesh, per source in SFU). */
  uploadReports(): Promise<RTCStatsReport[]>;
  /** The server's ICE servers changed (fresh TURN credentials after a resume). */
  refreshIceServers(): void;
  /** Closes every connection. Idempotent. */
  close(): void;
}

/** What a transport needs from its Room. */
export interface RoomTransportHost {
  /** The ICE configuration to use now (the app's, merged with the server's). */
  rtcConfig(): RTCConfiguration;
  /** What the local side sends now, per kind. */
  sendTracks(): Record<LinkSendKind, MediaStreamTrack | null>;
  /** The preferred video codec now (null: the browser's default order). */
  videoCodec(): VideoCodecName | null;
  /** Relays a signal to a member through the server. */
  sendSignal(to: string, data: SignalData): void;
  /** Sends a message to the server (dropped once the room is left). */
  send(message: ClientMessageInput): void;
  /** Sends a request to the server and resolves with its `expect`ed reply (rejects with its error). */
  request<T extends ServerMessageType>(message: ClientMessageInput, expect: T): Promise<ServerMessageOf<T>>;
  /** The signaling outbox, for a transport that carries data through the server (SFU rooms). */
  readonly outbox: {
    queuedFrames(): number;
    onSent(listener: () => void): () => void;
    relayBytesPerSecond(): number | undefined;
  };
  /** Where the data layer takes each member's channels. */
  readonly data: DataAttachments;
  reportError(error: RendezvousError): void;
}

/** The data layer's side of a transport: channels come and go with connections. */
export interface DataAttachments {
  attach(peerId: string, channels: PeerChannels): void;
  detach(peerId: string): void;
}
