import type { TokenRate } from '@rendezvous/common';
import { ERROR_CATALOG, RendezvousError, type ErrorCode, type ErrorDetail, type RoomMode } from '@rendezvous/protocol';
import type { AddressLimits } from './address-limits.js';
import type { Call } from './call.js';
import type { Connection, ConnectionDeps } from './connection.js';
import type { LimitHits } from './limit-hits.js';
import type { MemoryBudget } from './memory-budget.js';
import type { SignalingMetrics } from './metrics.js';
import type { Clock, Logger, SignalingLimits, SignalingOptions } from './options.js';
import type { RoomRegistry } from './rooms.js';
import type { Session, SessionDeps } from './session.js';

/** The state of one signaling server, shared by its handlers. */
export interface SignalingContext {
  readonly limits: SignalingLimits;
  readonly log: Logger;
  readonly clock: Clock;
  readonly metrics: SignalingMetrics;
  readonly hooks: Pick<SignalingOptions, 'authenticate' | 'admit' | 'iceServers' | 'directory' | 'sfu'> & {
    readonly defaultRoomMode: RoomMode;
  };
  readonly connections: Set<Connection>;
  /** peerId -> session (attached or detached). */
  readonly sessions: Map<string, Session>;
  /** resumeToken -> session. */
  readonly byToken: Map<string, Session>;
  readonly rooms: RoomRegistry;
  /** callId -> call (ringing or active). */
  readonly calls: Map<string, Call>;
  /** Per-address sockets, sessions and joins, and calls per caller. */
  readonly addresses: AddressLimits;
  /** Unsent outbound bytes and detached queues, against memoryBudgetBytes. */
  readonly budget: MemoryBudget;
  /** Counts and logs limit hits. */
  readonly hits: LimitHits;
  /** What every connection shares. */
  readonly connectionDeps: ConnectionDeps;
  /** What every session shares. */
  readonly sessionDeps: SessionDeps;
  /** The sockets' rate limit, one object for all their token buckets. */
  readonly rate: TokenRate;
  /** The sessions' relay byte budget (relayBytesPerSecond, a one-second burst), one object for all. */
  readonly relayRate: TokenRate;
  closing: boolean;
}

/**
 * A rejection a handler throws; the dispatcher answers it as `{type:'error', code, message, detail?, requestId}`.
 * `text` is added to the catalog message in parentheses; `detail` carries the same facts for programs.
 */
export function fail(code: ErrorCode, requestId: string | undefined, text?: string, detail?: ErrorDetail): RendezvousError {
  return new RendezvousError(code, describe(code, text), {
    ...(requestId === undefined ? {} : { requestId }),
    ...(detail === undefined ? {} : { detail }),
  });
}

/**
 * Runs `fn`, logging to `owner.log` instead of throwing: for timer callbacks and socket events, where a throw
 * would crash. The owner's log is read only when something failed (connections and sessions make theirs lazily).
 */
export function safely(owner: { readonly log: Logger }, what: string, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    owner.log.error({ err: error }, `${what} failed`);
  }
}

/** The wire message of an error: the catalog text, plus a detail in parentheses when there is one. */
export function describe(code: ErrorCode, detail?: string): string {
  const base = ERROR_CATALOG[code].message;
  return detail === undefined ? base : `${base} (${detail})`;
}
