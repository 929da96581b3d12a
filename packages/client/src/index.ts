/** @rendezvous/client: the browser SDK. See docs/sdk.md. */
export { Room, type RoomEvents, type RoomOptions, type RoomState } from './room.js';
export type { RemotePeer, RemotePeerEvents } from './remote-peer.js';
export type { PeerStats, InboundSummary, OutboundSummary } from './peer-stats.js';
export * from './chat/index.js';
export * from './files/index.js';
export * from './recording/index.js';
export * from './presence/index.js';
export * from './pairing/index.js';
export * from './peer/index.js';
export type {
  DataMessage,
  IncomingStream,
  IncomingStreamEvents,
  JsonValue,
  OutgoingStream,
  OutgoingStreamEvents,
  SendData,
  SendOptions,
  StreamMeta,
} from './data/index.js';
export type { PeerConnectionState } from './ice-supervisor.js';
export type { CandidatePath, CandidatePairDetail } from './candidate-path.js';
export * from './stats/index.js';
export { supportedVideoCodecs, videoCodecSupport, VIDEO_CODECS, type VideoCodecName, type VideoCodecSupport } from './codecs.js';
export {
  LocalMedia,
  type AudioConstraints,
  type CaptureConstraints,
  type LocalMediaEvents,
  type LinkSendKind,
  type ScreenShareOptions,
  type SendKind,
  type TrackSettings,
  type VideoConstraints,
} from './local-media.js';
export {
  SignalingClient,
  type SignalingClientEvents,
  type SignalingClientOptions,
  type SignalingState,
  type WebSocketConstructor,
  type WebSocketLike,
  type Welcome,
} from './signaling-client.js';
export { CallClient, type CallClientEvents, type CallClientOptions } from './call-client.js';
export type {
  ActiveCall,
  IncomingCall,
  OutgoingCall,
  ActiveCallEvents,
  IncomingCallEvents,
  OutgoingCallEvents,
} from './calls.js';
export {
  checkNetwork,
  type GatheredCandidate,
  type NetworkCheckOptions,
  type NetworkCheckResult,
  type NetworkProbe,
  type ProbeResult,
  type ProbeStatus,
} from './network-check.js';
export { RendezvousError, ERROR_CATALOG, isErrorCode } from '@rendezvous/protocol';
export type {
  CallEndReason,
  ErrorCode,
  MediaState,
  PeerInfo,
  PeerLeftReason,
  RoomMember,
  SessionConfig,
  SignalData,
} from '@rendezvous/protocol';
