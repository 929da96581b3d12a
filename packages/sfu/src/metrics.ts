import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { SfuCounters } from './counters.js';

interface Readings {
  rooms: number;
  connections: number;
  counters: Readonly<SfuCounters>;
}

const COUNTERS: [keyof SfuCounters, string, string][] = [
  ['receivedPackets', 'rendezvous_sfu_received_packets_total', 'RTP packets received from publishers.'],
  ['receivedBytes', 'rendezvous_sfu_received_bytes_total', 'Bytes of RTP received from publishers.'],
  [
    'forwardedPackets',
    'rendezvous_sfu_forwarded_packets_total',
    'RTP packets forwarded to subscribers (not counting retransmissions).',
  ],
  ['forwardedBytes', 'rendezvous_sfu_forwarded_bytes_total', 'Bytes of RTP forwarded to subscribers.'],
  ['nackedPackets', 'rendezvous_sfu_nacked_packets_total', 'Packets subscribers asked to have sent again (NACK).'],
  ['retransmittedPackets', 'rendezvous_sfu_retransmitted_packets_total', 'Packets sent again from the cache after a NACK.'],
  ['keyframeRequests', 'rendezvous_sfu_keyframe_requests_total', 'Keyframe requests (PLI or FIR) received from subscribers.'],
  ['plisSent', 'rendezvous_sfu_plis_sent_total', 'Keyframe requests (PLI) sent to publishers, after throttling.'],
  ['nacksSent', 'rendezvous_sfu_nacks_sent_total', 'NACKs sent to publishers for packets lost on the way in.'],
  ['sendErrors', 'rendezvous_sfu_send_errors_total', 'Packets the media stack refused to send.'],
];

/**
 * The SFU's metrics, read from its counters when scraped (nothing is done per packet). No metric has a room label:
 * room names are chosen by users (unbounded label values, and names people may not want exported); per-room load
 * shows as the histogram of subscriptions per room and the largest room's count.
 */
export function registerSfuMetrics(
  registry: Registry | undefined,
  read: () => Readings,
  subscriptionsPerRoom: () => number[],
): void {
  if (registry === undefined) {
    return;
  }
  const registers = [registry];
  for (const [key, name, help] of COUNTERS) {
    let reported = 0;
    new Counter({
      name,
      help,
      registers,
      collect() {
        const value = read().counters[key];
        this.inc(value - reported);
        reported = value;
      },
    });
  }
  new Gauge({
    name: 'rendezvous_sfu_rooms',
    help: 'Rooms in SFU mode.',
    registers,
    collect() {
      this.set(read().rooms);
    },
  });
  new Gauge({
    name: 'rendezvous_sfu_connections',
    help: 'Media connections held by the SFU (publications and subscriptions).',
    registers,
    collect() {
      this.set(read().connections);
    },
  });
  registerRoomMetrics(registers, subscriptionsPerRoom);
}

function registerRoomMetrics(registers: Registry[], subscriptionsPerRoom: () => number[]): void {
  new Gauge({
    name: 'rendezvous_sfu_subscriptions',
    help: 'Subscriptions (one per member and source group received) in all SFU rooms.',
    registers,
    collect() {
      this.set(subscriptionsPerRoom().reduce((sum, count) => sum + count, 0));
    },
  });
  new Gauge({
    name: 'rendezvous_sfu_room_subscriptions_max',
    help: 'Subscriptions in the SFU room that has the most.',
    registers,
    collect() {
      this.set(subscriptionsPerRoom().reduce((max, count) => Math.max(max, count), 0));
    },
  });
  const buckets = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500];
  new Histogram({
    name: 'rendezvous_sfu_room_subscriptions',
    help: 'Subscriptions per SFU room, sampled over the rooms when scraped.',
    buckets,
    registers,
    collect() {
      this.reset();
      for (const count of subscriptionsPerRoom()) {
        this.observe(count);
      }
    },
  });
}
