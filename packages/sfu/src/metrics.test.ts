import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { emptyCounters } from './counters.js';
import { registerSfuMetrics } from './metrics.js';

/** The value of the sample `name` (with its labels as written, e.g. `{le="5"}`) in a text exposition. */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

test('the metrics text reports the counters, rooms, connections and subscriptions per room, read when scraped', async () => {
  const registry = new Registry();
  const counters = emptyCounters();
  let rooms = [3, 0, 12];
  registerSfuMetrics(
    registry,
    () => ({ rooms: rooms.length, connections: 21, counters }),
    () => rooms,
  );
  Object.assign(counters, { forwardedPackets: 1000, forwardedBytes: 900_000, nackedPackets: 7, retransmittedPackets: 6 });
  Object.assign(counters, { keyframeRequests: 4, plisSent: 2, nacksSent: 1, receivedPackets: 100, receivedBytes: 90_000 });
  const text = await registry.metrics();
  assert.equal(sample(text, 'rendezvous_sfu_forwarded_packets_total'), 1000);
  assert.equal(sample(text, 'rendezvous_sfu_forwarded_bytes_total'), 900_000);
  assert.equal(sample(text, 'rendezvous_sfu_nacked_packets_total'), 7);
  assert.equal(sample(text, 'rendezvous_sfu_retransmitted_packets_total'), 6);
  assert.equal(sample(text, 'rendezvous_sfu_keyframe_requests_total'), 4);
  assert.equal(sample(text, 'rendezvous_sfu_plis_sent_total'), 2);
  assert.equal(sample(text, 'rendezvous_sfu_nacks_sent_total'), 1);
  assert.equal(sample(text, 'rendezvous_sfu_received_packets_total'), 100);
  assert.equal(sample(text, 'rendezvous_sfu_send_errors_total'), 0);
  assert.equal(sample(text, 'rendezvous_sfu_rooms'), 3);
  assert.equal(sample(text, 'rendezvous_sfu_connections'), 21);
  assert.equal(sample(text, 'rendezvous_sfu_subscriptions'), 15);
  assert.equal(sample(text, 'rendezvous_sfu_room_subscriptions_max'), 12);
  assert.equal(sample(text, 'rendezvous_sfu_room_subscriptions_bucket{le="0"}'), 1);
  assert.equal(sample(text, 'rendezvous_sfu_room_subscriptions_bucket{le="5"}'), 2);
  assert.equal(sample(text, 'rendezvous_sfu_room_subscriptions_bucket{le="+Inf"}'), 3);
  assert.equal(sample(text, 'rendezvous_sfu_room_subscriptions_count'), 3);
  assert.doesNotMatch(text, /room="/, 'no room names in the labels');

  // Counters keep counting across scrapes; the per-room figures are sampled anew.
  counters.forwardedPackets += 500;
  counters.nackedPackets += 3;
  rooms = [];
  const later = await registry.metrics();
  assert.equal(sample(later, 'rendezvous_sfu_forwarded_packets_total'), 1500);
  assert.equal(sample(later, 'rendezvous_sfu_nacked_packets_total'), 10);
  assert.equal(sample(later, 'rendezvous_sfu_subscriptions'), 0);
  assert.equal(sample(later, 'rendezvous_sfu_room_subscriptions_max'), 0);
  // With no room the histogram has no sample at all (prom-client leaves out a histogram without observations).
  assert.equal(sample(later, 'rendezvous_sfu_room_subscriptions_count') ?? 0, 0);
});

test('without a registry nothing is registered', () => {
  assert.doesNotThrow(() =>
    registerSfuMetrics(
      undefined,
      () => {
        throw new Error('not read');
      },
      () => [],
    ),
  );
});
