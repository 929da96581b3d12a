import { Counter, type Registry } from 'prom-client';
import type { Clock, Logger } from './options.js';

/** The limits whose hits are counted (the `limit` label of rendezvous_signaling_limit_hits_total). */
export type LimitName =
  | 'origin'
  | 'maxConnectionsPerAddress'
  | 'maxSessionsPerAddress'
  | 'joinsPerAddressPerMinute'
  | 'callsPerCallerPerMinute'
  | 'maxQueuedWhileDetached'
  | 'maxQueuedBytesPerAddress'
  | 'maxBufferedBytes'
  | 'memoryBudgetBytes'
  | 'drainTimeoutMs'
  | 'resumeProbe'
  | 'maxRoomEventBytes'
  | 'relayBytesPerSecond';

/** Hits of one limit are logged at most once per this interval (with the count of the hits in between). */
export const LIMIT_LOG_INTERVAL_MS = 60_000;

/**
 * Counts every limit hit in a prom-client counter and logs each limit at most once per interval: the
 * first hit is logged at once, later ones are summed into the next log line of that limit.
 */
export class LimitHits {
  readonly counter: Counter<'limit'>;
  private readonly lastLogged = new Map<LimitName, { at: number; suppressed: number }>();

  constructor(
    registry: Registry | undefined,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {
    this.counter = new Counter({
      name: 'rendezvous_signaling_limit_hits_total',
      help: 'Times a signaling limit refused or cut a client, by limit.',
      labelNames: ['limit'],
      registers: registry === undefined ? [] : [registry],
    });
  }

  /** Counts one hit of `limit`; logs it unless this limit was logged less than an interval ago. */
  hit(limit: LimitName, context: Record<string, unknown> = {}): void {
    this.counter.inc({ limit });
    const now = this.clock.now();
    const last = this.lastLogged.get(limit);
    if (last !== undefined && now - last.at < LIMIT_LOG_INTERVAL_MS) {
      last.suppressed++;
      return;
    }
    const suppressed = last?.suppressed ?? 0;
    this.lastLogged.set(limit, { at: now, suppressed: 0 });
    this.log.warn({ limit, ...context, ...(suppressed > 0 ? { sinceLastLog: suppressed } : {}) }, 'signaling limit hit');
  }
}
