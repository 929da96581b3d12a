/**
 * What the request handlers (allocate.ts, refresh.ts, create-permission.ts, channel-bind.ts, binding.ts, and
 * the pipeline in request.ts) may use of the server: narrow on purpose, so a handler cannot reach listeners,
 * the sweep or the event emitter, and tests can hand it a small fake. `TurnEngine` implements it.
 */
import type { AddressFamily, TransportAddress } from '@rendezvous/stun';
import type { Allocation } from './allocation.js';
import type { AuthDeps, Authenticated } from './auth.js';
import type { AllocationEndReason, AuthFailureInfo } from './events.js';
import type { TurnLimitName } from './limit-hits.js';
import type { ClientLink } from './link.js';
import type { NonceIssuer } from './nonce.js';
import type { Clock, TurnLimits } from './options.js';
import type { BoundRelay, RelayHost, RelayPorts } from './relay-ports.js';
import type { ResponseContext } from './responses.js';

/** How the policy judged a peer address: allowed, only as one of our own relay addresses, or denied. */
export type PeerVerdict = 'allowed' | 'self' | 'denied';

export interface RequestContext extends ResponseContext {
  readonly clock: Clock;
  readonly realm: string;
  readonly nonces: NonceIssuer;
  readonly authDeps: AuthDeps;
  /** True once the server is closed: a request whose authentication settles later is dropped. */
  readonly closed: boolean;
  /** Highest channel number a ChannelBind may use. */
  readonly maxChannelNumber: number;
  readonly limits: Pick<TurnLimits, 'reservationLifetimeSec'>;
  readonly relayPorts: Pick<RelayPorts, 'familyOf' | 'claim' | 'bind' | 'release'>;
  /** Lifetime to grant for a requested LIFETIME: clamped, never under the default. */
  lifetimeFor(requested: number | undefined): number;
  /** The relay address for a client that reached `link.local` and wants `family`; undefined: not supported. */
  relayHostFor(link: ClientLink, family: AddressFamily): RelayHost | undefined;
  judgePeer(peer: TransportAddress, user: Authenticated): PeerVerdict;
  /** Undefined when `user` may open one more allocation from `link`, else the limit it would pass (counted). */
  quotaExceeded(user: Authenticated, link: ClientLink): TurnLimitName | undefined;
  /** Creates an allocation that is still binding its relay socket; it already counts against quotas. */
  openAllocation(
    link: ClientLink,
    user: Authenticated,
    family: AddressFamily,
    transactionId: string,
    lifetimeSec: number,
  ): Allocation;
  /** Gives a pending allocation its relay socket and makes it reachable. */
  activate(allocation: Allocation, bound: BoundRelay): void;
  /** Deletes an allocation. Idempotent. */
  deleteAllocation(allocation: Allocation, reason: AllocationEndReason): void;
  /** Counts, and reports to the app, a request refused for its credentials. */
  reportAuthFailure(failure: AuthFailureInfo): void;
}
