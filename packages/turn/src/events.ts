/** Lifecycle events of the TURN server, for the app to log: one typed map, listeners that cannot break it. */
import type { TransportAddress } from '@rendezvous/stun';
import type { AuthFailureReason } from './auth.js';
import type { ClientTransport } from './options.js';

export interface AllocationInfo {
  id: number;
  username: string;
  userId: string;
  transport: ClientTransport;
  client: TransportAddress;
  /** The advertised relayed transport address. */
  relayed: TransportAddress;
}

export type AllocationEndReason = 'refresh' | 'expired' | 'connection-closed' | 'server-closed';

export interface AuthFailureInfo {
  reason: Exclude<AuthFailureReason, 'challenge'>;
  username: string | undefined;
  /** "Allocate", "Refresh", ... */
  method: string;
  remote: TransportAddress;
  transport: ClientTransport;
}

export interface TurnEventMap {
  'allocation-created': [info: AllocationInfo];
  'allocation-deleted': [info: AllocationInfo, reason: AllocationEndReason];
  'auth-failure': [info: AuthFailureInfo];
}
