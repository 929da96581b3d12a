import { Counter, Gauge, type Registry } from 'prom-client';
import type { ErrorCode } from '@rendezvous/protocol';

export interface SignalingMetrics {
  /** Frames answered with an error, by code. */
  rejected: Counter<'code'>;
  /** Valid client messages received, by type (brought up to date when collected). */
  messages: Counter<'type'>;
  /** Counts one valid client message: a plain increment per frame, added to `messages` when it is collected. */
  countMessage(type: string): void;
}

/**
 * Creates the signaling metrics. They are registered in `registry` when one is given, and kept
 * unregistered otherwise (so several servers in one process do not collide on the global registry).
 */
export interface MetricSources {
  sessions: number;
  rooms: number;
  bufferedBytes: number;
  queuedBytes: number;
}

export function createMetrics(registry: Registry | undefined, read: () => MetricSources): SignalingMetrics {
  const registers = registry === undefined ? [] : [registry];
  /** Messages counted since the counter was last collected, by type. */
  const uncounted = new Map<string, number>();
  new Gauge({
    name: 'rendezvous_signaling_sessions',
    help: 'Signaling sessions, attached or waiting for a resume.',
    registers,
    collect() {
      this.set(read().sessions);
    },
  });
  new Gauge({
    name: 'rendezvous_signaling_rooms',
    help: 'Rooms, including private 1:1 call rooms.',
    registers,
    collect() {
      this.set(read().rooms);
    },
  });
  new Gauge({
    name: 'rendezvous_signaling_memory_bytes',
    help: 'Message bytes held against the memory budget: unsent on sockets (buffered) and queued for detached sessions (queued).',
    labelNames: ['kind'],
    registers,
    collect() {
      const { bufferedBytes, queuedBytes } = read();
      this.set({ kind: 'buffered' }, bufferedBytes);
      this.set({ kind: 'queued' }, queuedBytes);
    },
  });
  return {
    rejected: new Counter({
      name: 'rendezvous_signaling_rejected_frames_total',
      help: 'Client frames answered with an error, by error code.',
      labelNames: ['code'],
      registers,
    }),
    messages: new Counter({
      name: 'rendezvous_signaling_messages_total',
      help: 'Valid client messages received, by type.',
      labelNames: ['type'],
      registers,
      collect() {
        for (const [type, count] of uncounted) {
          this.inc({ type }, count);
        }
        uncounted.clear();
      },
    }),
    countMessage(type) {
      uncounted.set(type, (uncounted.get(type) ?? 0) + 1);
    },
  };
}

export function countRejected(metrics: SignalingMetrics, code: ErrorCode): void {
  metrics.rejected.inc({ code });
}
