export { createSignalingServer } from './server.js';
export {
  DEFAULT_LIMITS,
  realClock,
  silentLogger,
  type AuthContext,
  type DirectoryMember,
  type PeerDirectory,
  type Clock,
  type LogFn,
  type Logger,
  type SignalingLimits,
  type SignalingOptions,
  type SignalingServer,
  type SignalingStats,
} from './options.js';
export { CLOSE_CODES } from './close-codes.js';
export { defaultClientAddress } from './address-limits.js';
export type { SfuPort, SfuRoomEvents, SfuRoomPort } from './sfu-port.js';
export type { ExternalMember, ExternalMemberInit } from './external-member.js';
