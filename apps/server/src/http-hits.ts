import { Counter, type Registry } from 'prom-client';
import type { Logger } from './logger.js';

/** Why the HTTP server refused a request (the `reason` label of rendezvous_http_rejected_total). */
export type HttpRejection =
  | 'bad_request'
  | 'parse_error'
  | 'header_overflow'
  | 'timeout'
  | 'method'
  | 'connect'
  | 'ice_servers_rate'
  | 'whip_key_rate'
  | 'connections_per_address'
  | 'internal';

/** Each reason is logged at most once per this interval (with the count of the hits in between). */
export const HTTP_LOG_INTERVAL_MS = 60_000;

/**
 * Counts every refused request in a prom-client counter and logs each reason at most once per interval:
 * a scanner sending a million bad requests costs a million counter increments and one log line a minute.
 */
export class HttpHits {
  private readonly counter: Counter<'reason'>;
  private readonly lastLogged = new Map<HttpRejection, { at: number; suppressed: number }>();

  constructor(
    registry: Registry,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.counter = new Counter({
      name: 'rendezvous_http_rejected_total',
      help: 'HTTP requests the server refused or failed, by reason.',
      labelNames: ['reason'],
      registers: [registry],
    });
  }

  hit(reason: HttpRejection, context: Record<string, unknown> = {}): void {
    this.counter.inc({ reason });
    const now = this.now();
    const last = this.lastLogged.get(reason);
    if (last !== undefined && now - last.at < HTTP_LOG_INTERVAL_MS) {
      last.suppressed++;
      return;
    }
    this.lastLogged.set(reason, { at: now, suppressed: 0 });
    const since = last !== undefined && last.suppressed > 0 ? { sinceLastLog: last.suppressed } : {};
    const level = reason === 'internal' ? 'error' : 'warn';
    this.log[level]({ reason, ...context, ...since }, 'http request refused');
  }
}
