/**
 * Counting and logging limit hits. A hit can come once per datagram (the relay bandwidth cap), so `hit` only bumps
 * a plain number and, at most once per `LIMIT_LOG_INTERVAL_MS` per limit, writes a log line; the prom-client
 * counter `rendezvous_turn_limit_hits_total{limit}` catches up when it is scraped. Hits held back from the log
 * are reported by the next line of that limit, or by `sweep` once the interval has passed.
 */
import { Counter, type Registry } from 'prom-client';
import type { Logger, TurnLimits } from './options.js';

/** The limits whose hits are counted: the `limit` label, named after the TurnLimits field. */
export const TURN_LIMIT_NAMES = [
  'maxAllocations',
  'maxAllocationsPerUser',
  'maxAllocationsPerAddress',
  'maxStreamConnections',
  'maxStreamConnectionsPerAddress',
  'maxRelayBytesPerSecond',
  'maxCredentialTtlSec',
] as const satisfies readonly (keyof TurnLimits)[];

export type TurnLimitName = (typeof TURN_LIMIT_NAMES)[number];

/** Hits of one limit are logged at most once per this interval (with the count of the hits in between). */
export const LIMIT_LOG_INTERVAL_MS = 60_000;

interface LimitState {
  hits: number;
  /** Hits already in a log line or counted in `suppressed`. */
  logged: number;
  loggedAt: number;
  /** What the last hit not yet logged was about (an address, a user, an allocation id). */
  subject: string | number | undefined;
}

export class LimitHits {
  private readonly state = new Map<TurnLimitName, LimitState>();

  constructor(
    private readonly log: Logger,
    registry: Registry | undefined,
  ) {
    for (const name of TURN_LIMIT_NAMES) {
      this.state.set(name, { hits: 0, logged: 0, loggedAt: Number.NEGATIVE_INFINITY, subject: undefined });
    }
    const reported = new Map<TurnLimitName, number>();
    const read = (name: TurnLimitName): number => this.count(name);
    new Counter({
      name: 'rendezvous_turn_limit_hits_total',
      help: 'Times a TURN limit refused a request, closed a connection or dropped a datagram, by limit.',
      labelNames: ['limit'],
      registers: registry === undefined ? [] : [registry],
      collect() {
        for (const name of TURN_LIMIT_NAMES) {
          const delta = read(name) - (reported.get(name) ?? 0);
          if (delta > 0) {
            this.inc({ limit: name }, delta);
          }
          reported.set(name, read(name));
        }
      },
    });
  }

  /** Hits of `name` so far. */
  count(name: TurnLimitName): number {
    return this.state.get(name)!.hits;
  }

  /** Counts one hit of `name` at `now` (ms); logs it unless this limit was logged less than an interval ago. */
  hit(name: TurnLimitName, now: number, subject?: string | number): void {
    const state = this.state.get(name)!;
    state.hits++;
    state.subject = subject;
    if (now - state.loggedAt >= LIMIT_LOG_INTERVAL_MS) {
      this.write(name, state, now);
    }
  }

  /** Logs the hits held back for limits whose interval has passed. */
  sweep(now: number): void {
    for (const [name, state] of this.state) {
      if (state.hits > state.logged && now - state.loggedAt >= LIMIT_LOG_INTERVAL_MS) {
        this.write(name, state, now);
      }
    }
  }

  private write(name: TurnLimitName, state: LimitState, now: number): void {
    const hits = state.hits - state.logged;
    state.logged = state.hits;
    state.loggedAt = now;
    this.log.warn(
      { limit: name, hits, ...(state.subject === undefined ? {} : { subject: state.subject }) },
      'TURN limit reached',
    );
    state.subject = undefined;
  }
}
