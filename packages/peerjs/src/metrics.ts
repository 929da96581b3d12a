import { Counter, Gauge, type Registry } from 'prom-client';

/** Why the endpoint refused a socket or a message. */
export type RefusalReason =
  'invalid_key' | 'bad_query' | 'id_taken' | 'concurrent_limit' | 'address_limit' | 'invalid_message' | 'rate_limit';

export interface PeerjsMetrics {
  /** Valid messages from peerjs clients, by type (brought up to date when collected). */
  readonly messages: Counter<'type'>;
  readonly refused: Counter<'reason'>;
  /** Counts one valid message: a plain increment per message, added to `messages` when it is collected. */
  countMessage(type: string): void;
}

/** The endpoint's metrics, registered in `registry` when given (unregistered counters otherwise). */
export function createPeerjsMetrics(
  registry: Registry | undefined,
  read: () => { peers: number; queuedBytes: number; sockets: number },
): PeerjsMetrics {
  const registers = registry === undefined ? [] : [registry];
  /** Messages counted since the counter was last collected, by type. */
  const uncounted = new Map<string, number>();
  new Gauge({
    name: 'rendezvous_peerjs_peers',
    help: 'Ids held in the peer directory (peerjs clients and SDK peers), and open peerjs sockets.',
    labelNames: ['kind'],
    registers,
    collect() {
      const now = read();
      this.set({ kind: 'ids' }, now.peers);
      this.set({ kind: 'sockets' }, now.sockets);
    },
  });
  new Gauge({
    name: 'rendezvous_peerjs_queued_bytes',
    help: 'Bytes of messages held for peers not connected yet.',
    registers,
    collect() {
      this.set(read().queuedBytes);
    },
  });
  return {
    messages: new Counter({
      name: 'rendezvous_peerjs_messages_total',
      help: 'Valid messages received from peerjs clients, by type.',
      labelNames: ['type'],
      registers,
      collect() {
        for (const [type, count] of uncounted) {
          this.inc({ type }, count);
        }
        uncounted.clear();
      },
    }),
    refused: new Counter({
      name: 'rendezvous_peerjs_refused_total',
      help: 'Sockets and messages the PeerServer endpoint refused, by reason.',
      labelNames: ['reason'],
      registers,
    }),
    countMessage(type) {
      uncounted.set(type, (uncounted.get(type) ?? 0) + 1);
    },
  };
}
