import type { JoinedRoom, PeerLeftReason, RendezvousError, RoomMode } from '@rendezvous/protocol';
import type { ActiveSpeakerOptions } from './active-speaker.js';
import type { CandidatePath } from './candidate-path.js';
import type { VideoCodecName } from './codecs.js';
import type { DataMessage, IncomingStream, JsonValue } from './data/index.js';
import type { PeerConnectionState } from './ice-supervisor.js';
import type { LocalMedia } from './local-media.js';
import type { RemotePeer } from './remote-peer.js';
import { MeshTransport } from './mesh-transport.js';
import { SfuTransport } from './sfu/sfu-transport.js';
import type { RoomTransport, RoomTransportHost } from './room-transport.js';
import type { SignalingClient, WebSocketConstructor } from './signaling-client.js';

/** `closed` is final: the room was left (or lost). */
export type RoomState = 'joined' | 'reconnecting' | 'closed';

/** The server's `room-event` data limit when its welcome names none. */
export const DEFAULT_MAX_ROOM_EVENT_BYTES = 4096;

/** Default of `RoomOptions.maxRebuilds`. */
export const DEFAULT_MAX_REBUILDS = 3;

export interface RoomOptions {
  displayName: string;
  /** What to send. The room owns it from `join`: `leave()` and a failed `join()` both stop it. */
  media?: LocalMedia | null;
  token?: string;
  /** Merged with the server's ICE servers (the welcome's TURN credentials are appended). */
  rtcConfig?: RTCConfiguration;
  /**
   * Append the ICE servers the server handed out (STUN, TURN with fresh credentials). Default true.
   * False uses only `rtcConfig.iceServers`, e.g. to force one TURN transport.
   */
  useServerIceServers?: boolean;
  /** Use this session instead of opening one; the room then leaves it open on `leave()`. */
  signaling?: SignalingClient;
  WebSocketImpl?: WebSocketConstructor;
  /** After an ICE restart, how long to wait for the connection before rebuilding it. Default 10 s. */
  iceRestartTimeoutMs?: number;
  /** How long a fresh connection may take to connect before it is rebuilt. Default 30 s. */
  connectTimeoutMs?: number;
  /** Rebuilds of a peer's connection in a row (none connected) before it is left `failed`. Default 3. */
  maxRebuilds?: number;
  activeSpeaker?: ActiveSpeakerOptions & { intervalMs?: number };
  /** Preferred video codec where both sides support it (see `supportedVideoCodecs()`). Default: the browser's order. */
  videoCodec?: VideoCodecName | null;
  /**
   * The mode to create the room in, when this join creates it: `sfu` sends media through the server (for large
   * rooms and broadcasts), `mesh` peer to peer. Default: the server's. An existing room keeps its mode (`room.mode`).
   */
  mode?: RoomMode;
  /**
   * The capacity to create the room with, when this join creates it (capped at the server's for the mode). Past the
   * server's mesh capacity the room is made `sfu` unless `mode` says otherwise, since a mesh that large breaks down.
   */
  capacity?: number;
}

/**
 * A Room's events. Each peer-level fact has one name: `track` (a camera or microphone track arrived),
 * `screen` (screen sharing started with a stream, or stopped with null), `peer-state`, `peer-path`.
 * The same facts are also events of each `RemotePeer` (`track`, `screen`, `state`, `path`, `updated`).
 */
export interface RoomEvents {
  'peer-joined': [peer: RemotePeer];
  'peer-left': [peer: RemotePeer, reason: PeerLeftReason];
  'peer-updated': [peer: RemotePeer];
  track: [peer: RemotePeer, track: MediaStreamTrack];
  screen: [peer: RemotePeer, stream: MediaStream | null];
  'peer-state': [peer: RemotePeer, state: PeerConnectionState];
  'peer-path': [peer: RemotePeer, path: CandidatePath];
  'active-speaker': [peerId: string | null];
  /** A data message from a member (see `send`): a string, an ArrayBuffer, or a JSON value. */
  message: [from: string, data: DataMessage];
  /** A member's room event (see `sendEvent`), relayed by the server: a raised hand, a reaction, … */
  'room-event': [from: string, event: string, data: JsonValue | undefined];
  /** A member opened a stream to this client (see `openStream`). */
  stream: [stream: IncomingStream];
  state: [state: RoomState];
  /** Something went wrong. `error.final` tells a retry under way (CONNECTION_RETRYING) from a loss. */
  error: [error: RendezvousError];
}

/** @internal How a Room is made: by `Room.join`, or by CallClient for a call's private room. */
export interface RoomInit {
  signaling: SignalingClient;
  joined: JoinedRoom;
  ownsSignaling: boolean;
  /** Rejoin the same room when the session could not be resumed (false for call rooms). */
  rejoinOnReset: boolean;
  options: Omit<RoomOptions, 'displayName' | 'signaling' | 'token' | 'WebSocketImpl'>;
  /** @internal The transport to use (default: a mesh). Tests pass a fake. */
  transport?: (host: RoomTransportHost) => RoomTransport;
}

/** The SFU transport with the room's retry budget. */
export function sfuTransport(options: RoomInit['options'], host: RoomTransportHost): RoomTransport {
  return new SfuTransport(host, { maxRebuilds: options.maxRebuilds ?? DEFAULT_MAX_REBUILDS });
}

/** The mesh transport with the room's rebuild options. */
export function meshTransport(options: RoomInit['options'], host: RoomTransportHost): RoomTransport {
  return new MeshTransport(host, {
    maxRebuilds: options.maxRebuilds ?? DEFAULT_MAX_REBUILDS,
    now: () => Date.now(),
    ...(options.iceRestartTimeoutMs === undefined ? {} : { iceRestartTimeoutMs: options.iceRestartTimeoutMs }),
    ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
  });
}

/** The app's RTCConfiguration with the server's ICE servers (fresh TURN credentials) appended. */
export function rtcConfigFor(options: RoomInit['options'], signaling: SignalingClient): RTCConfiguration {
  const base = options.rtcConfig ?? {};
  let serverIce: RTCIceServer[] = [];
  try {
    if (options.useServerIceServers !== false) {
      serverIce = signaling.iceServers;
    }
  } catch {
    // no welcome (cannot happen once joined)
  }
  return { ...base, iceServers: [...(base.iceServers ?? []), ...serverIce] };
}
