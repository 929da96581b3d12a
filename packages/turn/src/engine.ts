/**
 * The TURN server without its listeners: allocations and their index, credentials, policy, relay ports and
 * the periodic sweep. Listeners (udp-listener.ts, stream-listener.ts) hand it client packets through
 * `onClientPacket`; tests drive it in-process with memory links, a memory network and a fake clock.
 */
import { TypedEmitter } from '@rendezvous/common';
import { addressBlock, ipFamily, type AddressFamily, type TransportAddress } from '@rendezvous/stun';
import { Allocation, type RelayCounters } from './allocation.js';
import type { AuthDeps, Authenticated } from './auth.js';
import { createCredentialResolver, type CredentialResolver } from './credentials.js';
import { dispatchPacket } from './dispatch.js';
import type { AllocationEndReason, AllocationInfo, AuthFailureInfo, TurnEventMap } from './events.js';
import { LimitHits, type TurnLimitName } from './limit-hits.js';
import type { ClientLink } from './link.js';
import { createTurnMetrics, type TurnMetrics } from './metrics.js';
import { nodeRelayNetwork } from './network.js';
import { NonceIssuer } from './nonce.js';
import {
  realClock,
  resolveLimits,
  silentLogger,
  type Clock,
  type Logger,
  type QuotaHook,
  type TurnLimits,
  type TurnServerOptions,
  type TurnStats,
} from './options.js';
import { OWN_ADDRESSES_REFRESH_MS, OwnAddresses, interfaceAddresses } from './own-addresses.js';
import { createPeerPolicy } from './peer-policy.js';
import { PortPool } from './port-pool.js';
import { RelayPorts, type BoundRelay, type RelayHost } from './relay-ports.js';
import type { PeerVerdict, RequestContext } from './request-context.js';

const LOOPBACK = /^(127\.|::1$)/;

export class TurnEngine implements RequestContext {
  readonly limits: TurnLimits;
  readonly clock: Clock;
  readonly log: Logger;
  readonly realm: string;
  readonly software: string;
  readonly nonces: NonceIssuer;
  readonly resolveCredentials: CredentialResolver;
  readonly authDeps: AuthDeps;
  readonly metrics: TurnMetrics;
  readonly events: TypedEmitter<TurnEventMap>;
  readonly relayPorts: RelayPorts;
  readonly allocations = new Set<Allocation>();
  readonly byRelayPort = new Map<number, Allocation>();
  readonly counters: RelayCounters = {
    clientMessages: 0,
    clientToPeerPackets: 0,
    clientToPeerBytes: 0,
    peerToClientPackets: 0,
    peerToClientBytes: 0,
  };
  /** Limit hits: counted (rendezvous_turn_limit_hits_total) and logged once per interval per limit. */
  readonly limitHits: LimitHits;
  /** Run on every sweep after allocations (the stream listeners close idle connections there). */
  readonly sweepHooks: ((now: number) => void)[] = [];
  /** Highest channel number a ChannelBind may use: 0x4FFF (RFC 8656), or 0x7FFF with legacyChannelNumbers. */
  readonly maxChannelNumber: number;
  closed = false;
  private listenAddresses: string[] = [];
  private ownRelayIps = new Set<string>();
  /** Every address of this host: never a peer, except a relay address for in-process delivery. */
  private own = new OwnAddresses();
  /** When the interface addresses in `own` were read (refreshed by the sweep every OWN_ADDRESSES_REFRESH_MS). */
  private ownReadAt = 0;
  private readonly readInterfaces: () => readonly string[];
  private readonly perUser = new Map<string, number>();
  /** Allocations by client address block (`addressBlock(link.remote.address)`: an IPv6 /64 is one address). */
  private readonly perAddress = new Map<string, number>();
  /** Open TCP/TLS connections by client address block, over every stream listener. */
  private readonly streamsPerAddress = new Map<string, number>();
  private readonly quota: QuotaHook;
  private readonly peerPolicy: NonNullable<TurnServerOptions['allowPeer']>;
  private readonly allowSelfRelay: boolean;
  private readonly override: { IPv4?: string; IPv6?: string };
  private readonly sweepTimer: unknown;
  private nextId = 1;

  constructor(options: TurnServerOptions = {}) {
    this.limits = resolveLimits(options.limits);
    this.clock = options.clock ?? realClock;
    this.log = options.logger ?? silentLogger;
    this.realm = options.realm ?? 'rendezvous';
    this.software = options.software ?? 'Rendezvous TURN';
    this.nonces = new NonceIssuer(this.limits.nonceLifetimeSec, options.nonceSecret);
    this.resolveCredentials = createCredentialResolver({
      ...options,
      realm: this.realm,
      clock: this.clock,
      maxCredentialTtlSec: this.limits.maxCredentialTtlSec,
    });
    this.authDeps = { realm: this.realm, nonces: this.nonces, resolve: this.resolveCredentials, now: () => this.clock.now() };
    this.metrics = createTurnMetrics(options.registry, () => ({ allocations: this.allocations.size, counters: this.counters }));
    this.limitHits = new LimitHits(this.log, options.registry);
    this.events = new TypedEmitter((error, event) => this.log.error({ err: error, event }, 'TURN event listener threw'));
    this.relayPorts = new RelayPorts(
      new PortPool(this.limits.relayPortMin, this.limits.relayPortMax),
      options.network ?? nodeRelayNetwork,
      this.limits.relayPortAttempts,
      (error) => this.log.error({ err: error }, 'TURN peer datagram handling failed'),
    );
    const max = this.limits.maxAllocationsPerUser;
    this.quota = options.quota ?? ((ctx) => ctx.userAllocations < max);
    if (options.allowPeer !== undefined) {
      this.peerPolicy = options.allowPeer;
    } else {
      const policy = createPeerPolicy(options.allowPeers);
      this.peerPolicy = (peer) => policy(peer.address);
    }
    this.allowSelfRelay = options.allowSelfRelay ?? true;
    this.maxChannelNumber = options.legacyChannelNumbers === true ? 0x7fff : 0x4fff;
    const override = options.relayAddressOverride;
    this.override = typeof override === 'string' ? { [ipFamily(override) ?? 'IPv4']: override } : (override ?? {});
    this.readInterfaces = options.interfaceAddresses ?? interfaceAddresses;
    this.refreshOwnAddresses();
    this.sweepTimer = this.clock.setInterval(() => this.sweep(), this.limits.sweepIntervalMs);
  }

  /** The addresses the listeners bound: relay sockets bind to them (RFC 8656 §7.2 "relayed transport address"). */
  setListenAddresses(addresses: readonly string[]): void {
    this.listenAddresses = [...addresses];
    this.ownRelayIps = new Set(addresses.map((address) => this.advertise(address, ipFamily(address) ?? 'IPv4')));
    this.refreshOwnAddresses();
  }

  /** Entry point for every message a client sends (after stream framing). Never throws. */
  onClientPacket(link: ClientLink, data: Buffer): void {
    try {
      dispatchPacket(this, link, data);
    } catch (error) {
      this.log.error({ err: error }, 'TURN packet handling failed');
    }
  }

  /** Lifetime to grant for a requested LIFETIME (RFC 8656 §7.2, §8.2): clamped, never under the default. */
  lifetimeFor(requested: number | undefined): number {
    const { defaultLifetimeSec, maxLifetimeSec } = this.limits;
    if (requested === undefined) {
      return defaultLifetimeSec;
    }
    return Math.max(defaultLifetimeSec, Math.min(requested, maxLifetimeSec));
  }

  /** The relay address for a client that reached `link.local` and wants `family`; undefined: not supported (440). */
  relayHostFor(link: ClientLink, family: AddressFamily): RelayHost | undefined {
    const local = link.local.address;
    let bind: string | undefined;
    if (ipFamily(local) === family && this.listenAddresses.includes(local)) {
      bind = local;
    } else {
      const candidates = this.listenAddresses.filter((address) => ipFamily(address) === family);
      const loopback = LOOPBACK.test(local);
      bind = candidates.find((address) => LOOPBACK.test(address) === loopback) ?? candidates[0];
    }
    return bind === undefined ? undefined : { bind, advertised: this.advertise(bind, family), family };
  }

  /**
   * The address policy's verdict on a peer (RFC 8656 §10.2, §12.2: 403 when denied). This host's own addresses are
   * denied whatever the policy says, except our relay addresses, which are reachable in-process only ('self').
   */
  judgePeer(peer: TransportAddress, user: Authenticated): PeerVerdict {
    if (this.own.has(peer.address)) {
      return this.allowSelfRelay && this.ownRelayIps.has(peer.address) ? 'self' : 'denied';
    }
    if (this.peerPolicy(peer, { username: user.username, userId: user.userId })) {
      return 'allowed';
    }
    return 'denied';
  }

  /**
   * Undefined when `user` may open one more allocation from `link` (RFC 8656 §7.2 step 10), else the limit it
   * would pass: in total, per client address, per user (or the quota hook). The hit is counted.
   */
  quotaExceeded(user: Authenticated, link: ClientLink): TurnLimitName | undefined {
    const address = link.remote.address;
    let limit: TurnLimitName | undefined;
    if (this.allocations.size >= this.limits.maxAllocations) {
      limit = 'maxAllocations';
    } else if ((this.perAddress.get(addressBlock(address)) ?? 0) >= this.limits.maxAllocationsPerAddress) {
      limit = 'maxAllocationsPerAddress';
    } else if (
      !this.quota({
        username: user.username,
        userId: user.userId,
        userAllocations: this.perUser.get(user.userId) ?? 0,
        totalAllocations: this.allocations.size,
        remote: link.remote,
      })
    ) {
      limit = 'maxAllocationsPerUser';
    }
    if (limit !== undefined) {
      this.limitHits.hit(limit, this.clock.now(), limit === 'maxAllocationsPerUser' ? user.userId : address);
    }
    return limit;
  }

  /** Counts a refused request (rendezvous_turn_auth_failures_total, a limit hit for a too-far expiry) and emits it. */
  reportAuthFailure(failure: AuthFailureInfo): void {
    this.metrics.authFailures.inc({ reason: failure.reason });
    if (failure.reason === 'expiry-too-far') {
      this.limitHits.hit('maxCredentialTtlSec', this.clock.now(), failure.username);
    }
    this.events.emit('auth-failure', failure);
  }

  /** Counts a new TCP/TLS connection from `address` (by its block); false (and a limit hit) when the block is at its cap. */
  admitStream(address: string): boolean {
    const block = addressBlock(address);
    const count = this.streamsPerAddress.get(block) ?? 0;
    if (count >= this.limits.maxStreamConnectionsPerAddress) {
      this.limitHits.hit('maxStreamConnectionsPerAddress', this.clock.now(), address);
      return false;
    }
    this.streamsPerAddress.set(block, count + 1);
    return true;
  }

  /** A connection counted by `admitStream` (with the same `address`) closed. */
  releaseStream(address: string): void {
    decrement(this.streamsPerAddress, addressBlock(address));
  }

  /** Creates an allocation that is still binding its relay socket; it already counts against quotas. */
  openAllocation(
    link: ClientLink,
    user: Authenticated,
    family: AddressFamily,
    transactionId: string,
    lifetimeSec: number,
  ): Allocation {
    const expiresAt = this.clock.now() + lifetimeSec * 1000;
    const ctx = {
      byRelayPort: this.byRelayPort,
      counters: this.counters,
      limits: this.limits,
      clock: this.clock,
      hits: this.limitHits,
    };
    const allocation = new Allocation(ctx, this.nextId++, link, user.username, user.userId, family, transactionId, expiresAt);
    this.allocations.add(allocation);
    this.perUser.set(user.userId, (this.perUser.get(user.userId) ?? 0) + 1);
    const block = addressBlock(link.remote.address);
    this.perAddress.set(block, (this.perAddress.get(block) ?? 0) + 1);
    link.attach(allocation);
    return allocation;
  }

  /** Gives a pending allocation its relay socket and makes it reachable. */
  activate(allocation: Allocation, bound: BoundRelay): void {
    allocation.activate(bound.socket, bound.advertised);
    bound.slot.allocation = allocation;
    this.byRelayPort.set(bound.socket.port, allocation);
    this.events.emit('allocation-created', this.describe(allocation));
  }

  /** Deletes an allocation: relay socket, port, index, quota. Idempotent. */
  deleteAllocation(allocation: Allocation, reason: AllocationEndReason): void {
    if (allocation.closed) {
      return;
    }
    allocation.closed = true;
    this.allocations.delete(allocation);
    decrement(this.perUser, allocation.userId);
    decrement(this.perAddress, addressBlock(allocation.link.remote.address));
    allocation.link.detach(allocation);
    const relay = allocation.relay;
    if (relay === undefined) {
      return;
    }
    if (this.byRelayPort.get(relay.port) === allocation) {
      this.byRelayPort.delete(relay.port);
    }
    this.relayPorts.release(relay);
    this.events.emit('allocation-deleted', this.describe(allocation), reason);
  }

  describe(allocation: Allocation): AllocationInfo {
    const { link } = allocation;
    return {
      id: allocation.id,
      username: allocation.username,
      userId: allocation.userId,
      transport: link.transport,
      client: { ...link.remote },
      relayed: { family: allocation.family, address: allocation.relayIp, port: allocation.relayPort },
    };
  }

  /** Expires allocations, permissions, channels, reservations (RFC 8656 §6, §9, §12); re-reads own addresses. */
  sweep(): void {
    const now = this.clock.now();
    try {
      for (const allocation of this.allocations) {
        if (allocation.sweep(now)) {
          this.deleteAllocation(allocation, 'expired');
        }
      }
      this.relayPorts.sweep(now);
      for (const hook of this.sweepHooks) {
        hook(now);
      }
      this.limitHits.sweep(now);
      if (now - this.ownReadAt >= OWN_ADDRESSES_REFRESH_MS) {
        this.refreshOwnAddresses();
      }
    } catch (error) {
      this.log.error({ err: error }, 'TURN sweep failed');
    }
  }

  stats(): TurnStats {
    let permissions = 0;
    let channels = 0;
    for (const allocation of this.allocations) {
      permissions += allocation.permissionCount;
      channels += allocation.channelCount;
    }
    const c = this.counters;
    return {
      allocations: this.allocations.size,
      permissions,
      channels,
      reservations: this.relayPorts.reservations,
      connections: 0,
      messagesFromClients: c.clientMessages,
      relayed: {
        packets: { clientToPeer: c.clientToPeerPackets, peerToClient: c.peerToClientPackets },
        bytes: { clientToPeer: c.clientToPeerBytes, peerToClient: c.peerToClientBytes },
      },
    };
  }

  /** Deletes every allocation and reservation and stops the sweep. Idempotent. */
  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.clock.clearInterval(this.sweepTimer);
    for (const allocation of [...this.allocations]) {
      this.deleteAllocation(allocation, 'server-closed');
    }
    this.relayPorts.close();
  }

  private advertise(address: string, family: AddressFamily): string {
    return this.override[family] ?? address;
  }

  /** Rebuilds `own` from the listen addresses, relay addresses, overrides and the interfaces as they are now. */
  private refreshOwnAddresses(): void {
    this.ownReadAt = this.clock.now();
    const overrides = [this.override.IPv4, this.override.IPv6].filter((a): a is string => a !== undefined);
    this.own = new OwnAddresses([...this.listenAddresses, ...this.ownRelayIps, ...overrides, ...this.readInterfaces()]);
  }
}

function decrement(counts: Map<string, number>, key: string): void {
  const count = (counts.get(key) ?? 1) - 1;
  if (count > 0) {
    counts.set(key, count);
  } else {
    counts.delete(key);
  }
}
