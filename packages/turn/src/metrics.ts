import { Counter, Gauge, type Registry } from 'prom-client';
import type { RelayCounters } from './allocation.js';

export interface TurnMetrics {
  /** Requests answered, by method and result ('success' or the STUN error code). */
  requests: Counter<'method' | 'result'>;
  /** Authentication failures, by reason (the first 401 challenge is not one). */
  authFailures: Counter<'reason'>;
}

/**
 * Creates the TURN metrics, registered in `registry` when one is given (kept unregistered otherwise, so
 * several servers in one process do not collide). Relay counters are plain numbers on the hot path and are
 * copied into the prom-client counters when the registry is scraped.
 */
export function createTurnMetrics(
  registry: Registry | undefined,
  read: () => { allocations: number; counters: RelayCounters },
): TurnMetrics {
  const registers = registry === undefined ? [] : [registry];
  new Gauge({
    name: 'rendezvous_turn_allocations',
    help: 'Active TURN allocations.',
    registers,
    collect() {
      this.set(read().allocations);
    },
  });
  const reported: RelayCounters = {
    clientMessages: 0,
    clientToPeerPackets: 0,
    clientToPeerBytes: 0,
    peerToClientPackets: 0,
    peerToClientBytes: 0,
  };
  const catchUp = (counter: Counter<'direction'>, packets: boolean): void => {
    const now = read().counters;
    const pairs: [keyof RelayCounters, string][] = packets
      ? [
          ['clientToPeerPackets', 'client_to_peer'],
          ['peerToClientPackets', 'peer_to_client'],
        ]
      : [
          ['clientToPeerBytes', 'client_to_peer'],
          ['peerToClientBytes', 'peer_to_client'],
        ];
    for (const [key, direction] of pairs) {
      const delta = now[key] - reported[key];
      if (delta > 0) {
        counter.inc({ direction }, delta);
      }
      reported[key] = now[key];
    }
  };
  new Counter({
    name: 'rendezvous_turn_relayed_packets_total',
    help: 'Datagrams relayed, by direction (client_to_peer, peer_to_client).',
    labelNames: ['direction'],
    registers,
    collect() {
      catchUp(this, true);
    },
  });
  new Counter({
    name: 'rendezvous_turn_relayed_bytes_total',
    help: 'Application bytes relayed, by direction (client_to_peer, peer_to_client).',
    labelNames: ['direction'],
    registers,
    collect() {
      catchUp(this, false);
    },
  });
  return {
    requests: new Counter({
      name: 'rendezvous_turn_requests_total',
      help: 'STUN/TURN requests answered, by method and result (success or the error code).',
      labelNames: ['method', 'result'],
      registers,
    }),
    authFailures: new Counter({
      name: 'rendezvous_turn_auth_failures_total',
      help: 'TURN requests refused by authentication, by reason.',
      labelNames: ['reason'],
      registers,
    }),
  };
}
