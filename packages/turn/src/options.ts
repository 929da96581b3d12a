import type { TransportAddress } from '@rendezvous/stun';
import type { Registry } from 'prom-client';
import { resolveLimits as resolveLimitsWith, type Clock, type Logger } from '@rendezvous/common';
import type { RelayNetwork } from './network.js';

export type { Clock, LogFn, Logger } from '@rendezvous/common';
export { realClock, silentLogger } from '@rendezvous/common';

/** Every limit the TURN server enforces, each with a default in `DEFAULT_LIMITS`. */
export interface TurnLimits {
  /** Allocation lifetime when the client asks for less or nothing (RFC 8656 §7.2: 600 s). */
  defaultLifetimeSec: number;
  /** Longest allocation lifetime granted; a larger LIFETIME is clamped (RFC 8656 §7.2 recommends ≤ 3600 s). */
  maxLifetimeSec: number;
  /** Permission lifetime (RFC 8656 §9: MUST be 300 s). */
  permissionLifetimeSec: number;
  /** Channel binding lifetime (RFC 8656 §12: 10 minutes). */
  channelLifetimeSec: number;
  /** After a channel expires, its number and peer stay reserved this long (RFC 8656 §12: 5 minutes). */
  channelRebindCooldownSec: number;
  /** How long a NONCE is accepted; then 438 Stale Nonce. */
  nonceLifetimeSec: number;
  /** How long a port reserved by EVEN-PORT (R bit) waits for its RESERVATION-TOKEN (RFC 8656 §7.2: ≥ 30 s). */
  reservationLifetimeSec: number;
  /**
   * Allocations one user may hold at once (486 past it). A browser allocates once per TURN URL (UDP, TCP,
   * TLS) for every peer connection: 15 for one member of a full 6-person mesh, twice that while ICE restarts
   * overlap old and new allocations.
   */
  maxAllocationsPerUser: number;
  /** Allocations on this server at once (486 past it). */
  maxAllocations: number;
  /**
   * Allocations held at once by clients at one IP address, whoever the user (486 past it): freshly minted
   * credentials do not get around it. An IPv6 /64 counts as one address (`addressBlock`). Sized for an office
   * behind one NAT: 512 is 34 people each in a full 6-person mesh (15 allocations each), more in smaller
   * calls, while one address still cannot take more than a twentieth of the default total.
   */
  maxAllocationsPerAddress: number;
  /** Peer IP addresses with a permission, per allocation (508 past it). */
  maxPermissionsPerAllocation: number;
  /** Channels bound (or cooling down), per allocation (508 past it). */
  maxChannelsPerAllocation: number;
  /** Lowest relay port (RFC 8656 §7.2: 49152-65535). */
  relayPortMin: number;
  /** Highest relay port. */
  relayPortMax: number;
  /** Ports tried before an Allocate gets 508 (another process may hold some of the range). */
  relayPortAttempts: number;
  /** TCP and TLS connections, per listener. */
  maxStreamConnections: number;
  /**
   * TCP and TLS connections from one IP address (an IPv6 /64 is one), over every stream listener; past it
   * closed at once. Each holds at most one allocation, so this matches maxAllocationsPerAddress.
   */
  maxStreamConnectionsPerAddress: number;
  /** A TCP/TLS connection without an allocation is closed after this long without a message (0: never). */
  streamIdleTimeoutSec: number;
  /** Bytes queued for one TCP/TLS client; relayed data past this is dropped, like UDP would. */
  maxStreamBufferBytes: number;
  /** Period of the sweep that expires allocations, permissions, channels and reservations. */
  sweepIntervalMs: number;
  /**
   * Relayed application bytes per second, per allocation and per direction (token bucket, one second of burst);
   * datagrams past it are dropped, like UDP loss. 0: unlimited. Default 1,250,000 (10 Mbit/s).
   */
  maxRelayBytesPerSecond: number;
  /**
   * Longest validity a TURN REST credential (`expiry:user`) may claim: one whose expiry is further than this from
   * now is refused with 401, like an expired one.
   */
  maxCredentialTtlSec: number;
  /** SO_RCVBUF/SO_SNDBUF of the client-facing UDP sockets (0: the OS default; capped by net.core.rmem_max). */
  socketBufferBytes: number;
}

export const DEFAULT_LIMITS: Readonly<TurnLimits> = Object.freeze({
  defaultLifetimeSec: 600,
  maxLifetimeSec: 3600,
  permissionLifetimeSec: 300,
  channelLifetimeSec: 600,
  channelRebindCooldownSec: 300,
  nonceLifetimeSec: 600,
  reservationLifetimeSec: 30,
  maxAllocationsPerUser: 30,
  maxAllocations: 10_000,
  maxAllocationsPerAddress: 512,
  maxPermissionsPerAllocation: 64,
  maxChannelsPerAllocation: 64,
  relayPortMin: 49152,
  relayPortMax: 65535,
  relayPortAttempts: 40,
  maxStreamConnections: 10_000,
  maxStreamConnectionsPerAddress: 512,
  streamIdleTimeoutSec: 60,
  maxStreamBufferBytes: 1024 * 1024,
  sweepIntervalMs: 1000,
  maxRelayBytesPerSecond: 1_250_000,
  maxCredentialTtlSec: 14_400,
  socketBufferBytes: 4 * 1024 * 1024,
});

const MAY_BE_ZERO: ReadonlySet<keyof TurnLimits> = new Set([
  'channelRebindCooldownSec',
  'streamIdleTimeoutSec',
  'socketBufferBytes',
  'maxRelayBytesPerSecond',
]);

/** Merges overrides onto the defaults and checks every value. Throws RangeError on a bad limit. */
export function resolveLimits(overrides: Partial<TurnLimits> = {}): TurnLimits {
  const limits = resolveLimitsWith(DEFAULT_LIMITS, overrides, { mayBeZero: MAY_BE_ZERO, name: 'TURN' });
  if (limits.relayPortMax > 65535 || limits.relayPortMin > limits.relayPortMax) {
    throw new RangeError(`TURN relay ports ${limits.relayPortMin}-${limits.relayPortMax}: expected LOW-HIGH within 1-65535`);
  }
  if (limits.defaultLifetimeSec > limits.maxLifetimeSec) {
    throw new RangeError('TURN limit defaultLifetimeSec must not exceed maxLifetimeSec');
  }
  return limits;
}

export type ClientTransport = 'udp' | 'tcp' | 'tls';

/** What the `authenticate` hook is told about a request. */
export interface TurnAuthContext {
  username: string;
  realm: string;
  /** The client's address as the server sees it. */
  remote: TransportAddress;
  transport: ClientTransport;
}

/**
 * The long-term key for the user (RFC 8489 §9.2.2: `longTermKey(username, realm, password)`), optionally with
 * the user id quotas count by (default: the username).
 */
export type TurnAuthResult = Uint8Array | { key: Uint8Array; userId?: string };

/** Returns the user's key, or null to refuse (401). A hook that throws or rejects refuses too. */
export type AuthenticateHook = (ctx: TurnAuthContext) => TurnAuthResult | null | Promise<TurnAuthResult | null>;

export interface TurnQuotaContext {
  username: string;
  userId: string;
  /** Allocations this user holds now (pending ones included). */
  userAllocations: number;
  /** Allocations on the server now. */
  totalAllocations: number;
  remote: TransportAddress;
}

/** True to allow one more allocation. Replaces the per-user limit; `maxAllocations` always applies. */
export type QuotaHook = (ctx: TurnQuotaContext) => boolean;

/** True when the relay may exchange data with `peer`. Replaces the default address policy (see peer-policy.ts). */
export type PeerPolicyHook = (peer: TransportAddress, ctx: { username: string; userId: string }) => boolean;

export interface TurnServerOptions {
  /** Address to listen on. '0.0.0.0' or '::' (default '0.0.0.0'): every local address, each bound on its own. */
  host?: string;
  /** STUN/TURN port for UDP and TCP (default 3478; 0 picks a free port, the same for both). */
  port?: number;
  /** TURN over TLS port, used when `tls` is given (default 5349; 0 picks a free port). */
  tlsPort?: number;
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** REALM (default 'rendezvous'). */
  realm?: string;
  /** TURN REST API shared secret: `username = expiry:user`, `password = base64(HMAC-SHA1(secret, username))`. */
  secret?: string;
  /** Static long-term credentials: username -> password. */
  users?: Readonly<Record<string, string>>;
  /** Overrides `secret` and `users`: returns the key for a username, or null. */
  authenticate?: AuthenticateHook;
  /** Per-user quota decision. Default: fewer than `limits.maxAllocationsPerUser`. */
  quota?: QuotaHook;
  /** Peer address policy. Default: deny loopback, private, link-local, CGNAT, multicast... unless in `allowPeers`. */
  allowPeer?: PeerPolicyHook;
  /** CIDRs the default peer policy allows although they are in a denied range (e.g. '127.0.0.0/8'). */
  allowPeers?: readonly string[];
  /**
   * Relaying between two allocations of this server is allowed even when its relay address is in a denied range
   * (delivered in-process; no other port of that address is reachable). Default true.
   */
  allowSelfRelay?: boolean;
  /**
   * Also accept channel numbers 0x5000-0x7FFF, the RFC 5766 range (RFC 8656 §12 narrowed it to 0x4000-0x4FFF).
   * Needed by RFC 5766 clients that pick numbers at random, such as coturn's turnutils_uclient. Default false.
   */
  legacyChannelNumbers?: boolean;
  /** Relayed address to advertise instead of the bound one (a server behind 1:1 NAT), per family or for one. */
  relayAddressOverride?: string | { IPv4?: string; IPv6?: string };
  limits?: Partial<TurnLimits>;
  /** SOFTWARE attribute (default 'Rendezvous TURN'). */
  software?: string;
  /** Key for the stateless nonces (default: 32 random bytes per server). */
  nonceSecret?: Uint8Array;
  /** Metrics are registered here when given. */
  registry?: Registry;
  /** pino-compatible logger. Default: silent. */
  logger?: Logger;
  /** Default: real time and timers. */
  clock?: Clock;
  /** Relay sockets. Default: node:dgram. */
  network?: RelayNetwork;
  /**
   * The host's interface addresses (never peers), read at start and again every OWN_ADDRESSES_REFRESH_MS.
   * Default: os.networkInterfaces().
   */
  interfaceAddresses?: () => readonly string[];
}

/** Addresses the server listens on, per transport. */
export interface TurnAddresses {
  udp: TransportAddress[];
  tcp: TransportAddress[];
  tls: TransportAddress[];
  /** The UDP/TCP port. */
  port: number;
  /** The TLS port, when TLS is on. */
  tlsPort: number | undefined;
}

export interface TurnStats {
  allocations: number;
  permissions: number;
  channels: number;
  reservations: number;
  /** Open TCP and TLS client connections. */
  connections: number;
  /** Datagrams and stream frames received from clients (well-formed or not). */
  messagesFromClients: number;
  relayed: {
    packets: { clientToPeer: number; peerToClient: number };
    bytes: { clientToPeer: number; peerToClient: number };
  };
}
