/** @rendezvous/client: the browser SDK. See docs/sdk.md. */
export { TypedEmitter, type EventMap, type Listener } from './typed-emitter.js';
export { signalingUrl, SIGNALING_PATH } from './signaling-url.js';
export { backoffDelay, type BackoffOptions } from './backoff.js';
export {
  SignalingClient,
  type SignalingClientEvents,
  type SignalingClientOptions,
  type SignalingState,
  type WebSocketConstructor,
  type WebSocketLike,
  type Welcome,
} from './signaling-client.js';
export { toMediaError, missingMediaDevicesError, type MediaEnvironment } from './media-errors.js';
export { listDevices, onDevicesChanged } from './devices.js';
export {
  LocalMedia,
  type AudioConstraints,
  type CaptureConstraints,
  type LocalMediaEvents,
  type SendKind,
  type TrackSettings,
  type VideoConstraints,
} from './local-media.js';
export { candidatePathFromStats, selectedCandidatePair, type CandidatePath } from './candidate-path.js';
export { PeerLink, type PeerConnectionState, type PeerLinkEvents, type PeerLinkOptions } from './peer-link.js';
export { RemotePeer } from './remote-peer.js';
export { Room, type RoomEvents, type RoomOptions, type RoomState } from './room.js';
export { AudioLevelMeter } from './audio-level.js';
export { ActiveSpeakerDetector, type ActiveSpeakerOptions } from './active-speaker.js';
export {
  checkNetwork,
  classifyIceUrl,
  planNetworkProbes,
  NETWORK_PROBES,
  type GatheredCandidate,
  type NetworkCheckOptions,
  type NetworkCheckResult,
  type NetworkProbe,
  type ProbePlan,
  type ProbeResult,
  type ProbeStatus,
} from './network-check.js';
export { CallClient, type CallClientEvents, type CallClientOptions } from './call-client.js';
export {
  ActiveCall,
  IncomingCall,
  OutgoingCall,
  type ActiveCallEvents,
  type IncomingCallEvents,
  type OutgoingCallEvents,
} from './calls.js';
export { RendezvousError, ERROR_CATALOG, isErrorCode } from '@rendezvous/protocol';
export type {
  CallEndReason,
  ErrorCode,
  MediaState,
  PeerInfo,
  PeerLeftReason,
  SessionConfig,
  SignalData,
} from '@rendezvous/protocol';
