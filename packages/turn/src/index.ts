export { createTurnServer, type TurnServer } from './server.js';
export {
  DEFAULT_LIMITS,
  realClock,
  resolveLimits,
  silentLogger,
  type AuthenticateHook,
  type ClientTransport,
  type Clock,
  type LogFn,
  type Logger,
  type PeerPolicyHook,
  type QuotaHook,
  type TurnAddresses,
  type TurnAuthContext,
  type TurnAuthResult,
  type TurnLimits,
  type TurnQuotaContext,
  type TurnServerOptions,
  type TurnStats,
} from './options.js';
export {
  TURN_ERROR_CATALOG,
  TURN_ERROR_CODES,
  TURN_STUN_ERRORS,
  TurnError,
  type StunErrorNumber,
  type TurnErrorCode,
  type TurnStunErrorName,
} from './errors.js';
export { LIMIT_LOG_INTERVAL_MS, TURN_LIMIT_NAMES, type TurnLimitName } from './limit-hits.js';
export type { AllocationEndReason, AllocationInfo, AuthFailureInfo, TurnEventMap } from './events.js';
export type { AuthFailureReason } from './auth.js';
export { DENIED_PEER_RANGES, createPeerPolicy, isDeniedByDefault, type AddressPolicy } from './peer-policy.js';
export { nodeRelayNetwork, type PeerMessageHandler, type RelayNetwork, type RelaySocket } from './network.js';
export * from './rest-credentials.js';
