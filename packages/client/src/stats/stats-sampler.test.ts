import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '@rendezvous/common';
import type { Quality } from './quality.js';
import { SampleRing } from './sample-ring.js';
import { callReport, type Counters } from './stats-report.test-util.js';
import { StatsSampler, type StatsPeer } from './stats-sampler.js';

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A peer whose counters move by `perSecond` on each read; tests change it between seconds. */
class ScriptedPeer implements StatsPeer {
  connectionState = 'connected';
  reads = 0;
  perSecond = { bytesIn: 50_000, bytesOut: 25_000, packetsIn: 100, packetsLost: 0, pairBytesIn: 51_000 };
  rttSeconds = 0.03;
  jitterSeconds = 0.005;
  pending: Array<() => void> | null = null;
  readonly #c: Counters = {
    timestamp: 0,
    bytesIn: 0,
    bytesOut: 0,
    packetsIn: 0,
    packetsLost: 0,
    pairBytesIn: 0,
    rttSeconds: 0,
    jitterSeconds: 0,
  };
  constructor(readonly peerId: string) {}

  async getStats(): Promise<{ raw: RTCStatsReport[] }> {
    this.reads += 1;
    if (this.pending !== null) {
      await new Promise<void>((resolve) => this.pending!.push(resolve));
    }
    const c = this.#c;
    c.timestamp += 1000;
    c.bytesIn += this.perSecond.bytesIn;
    c.bytesOut += this.perSecond.bytesOut;
    c.packetsIn += this.perSecond.packetsIn;
    c.packetsLost += this.perSecond.packetsLost;
    c.pairBytesIn += this.perSecond.pairBytesIn;
    return { raw: [callReport({ ...c, rttSeconds: this.rttSeconds, jitterSeconds: this.jitterSeconds })] };
  }
}

async function seconds(clock: FakeClock, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    clock.advance(1000);
    await settle();
  }
}

function setup(
  peers: StatsPeer[],
  options = {},
): { clock: FakeClock; sampler: StatsSampler; qualities: Array<[string, Quality | null]> } {
  const clock = new FakeClock(1_700_000_000_000);
  const sampler = new StatsSampler(() => peers, { clock, ...options });
  const qualities: Array<[string, Quality | null]> = [];
  sampler.on('quality', (id, q) => qualities.push([id, q]));
  return { clock, sampler, qualities };
}

test('samples once a second: bitrates from byte deltas, RTT, jitter, fps, resolution, codec, pair', async () => {
  const peer = new ScriptedPeer('p1');
  const { clock, sampler } = setup([peer]);
  await seconds(clock, 3);
  const history = sampler.history('p1');
  assert.equal(history.length, 3);
  assert.equal(history[0]!.bitrateIn, null);
  const last = history[2]!;
  assert.equal(last.at, 1_700_000_003_000);
  assert.equal(last.bitrateIn, 400_000);
  assert.equal(last.bitrateOut, 200_000);
  assert.equal(last.packetsLost, 0);
  assert.equal(last.rttMs, 30);
  assert.equal(last.jitterMs, 5);
  assert.deepEqual(last.videoIn, { framesPerSecond: 15, width: 320, height: 240 });
  assert.equal(last.codecs.videoIn, 'VP8');
  assert.equal(last.pair?.localType, 'host');
  assert.equal(last.pair?.protocol, 'udp');
  assert.equal(last.quality, 'excellent');
  sampler.close();
});

test('keeps only the last 60 s per peer', async () => {
  const peer = new ScriptedPeer('p1');
  const { clock, sampler } = setup([peer]);
  await seconds(clock, 75);
  const history = sampler.history('p1');
  assert.equal(history.length, 60);
  assert.equal(history[0]!.at, 1_700_000_016_000);
  assert.equal(history[59]!.at, 1_700_000_075_000);
  sampler.close();
});

test('quality follows loss, RTT and jitter through the thresholds', async () => {
  const peer = new ScriptedPeer('p1');
  const { clock, sampler, qualities } = setup([peer]);
  await seconds(clock, 2);
  assert.equal(sampler.quality('p1'), 'excellent');
  peer.rttSeconds = 0.2; // 200 ms: under 300, over 150
  await seconds(clock, 1);
  assert.equal(sampler.quality('p1'), 'good');
  peer.rttSeconds = 0.03;
  peer.perSecond = { ...peer.perSecond, packetsIn: 70, packetsLost: 30 }; // 30% now, 10% over the window
  await seconds(clock, 1);
  assert.equal(sampler.quality('p1'), 'poor');
  peer.perSecond = { ...peer.perSecond, packetsIn: 100, packetsLost: 0 };
  await seconds(clock, 4);
  assert.equal(sampler.quality('p1'), 'poor', 'loss is averaged over the last 5 samples');
  await seconds(clock, 1);
  assert.equal(sampler.quality('p1'), 'excellent');
  peer.jitterSeconds = 0.06;
  await seconds(clock, 1);
  assert.equal(sampler.quality('p1'), 'poor');
  assert.deepEqual(
    qualities.map(([, q]) => q),
    ['excellent', 'good', 'poor', 'excellent', 'poor'],
  );
  sampler.close();
});

test('lost when nothing arrives for 5 s while connected, and while disconnected', async () => {
  const peer = new ScriptedPeer('p1');
  const { clock, sampler } = setup([peer]);
  await seconds(clock, 2);
  peer.perSecond = { bytesIn: 0, bytesOut: 25_000, packetsIn: 0, packetsLost: 0, pairBytesIn: 0 };
  await seconds(clock, 4);
  assert.equal(sampler.quality('p1'), 'excellent');
  await seconds(clock, 1);
  assert.equal(sampler.quality('p1'), 'lost');
  peer.perSecond = { bytesIn: 0, bytesOut: 0, packetsIn: 0, packetsLost: 0, pairBytesIn: 300 }; // RTCP only: alive
  await seconds(clock, 1);
  assert.equal(sampler.quality('p1'), 'excellent');
  peer.connectionState = 'reconnecting';
  await seconds(clock, 1);
  assert.equal(sampler.quality('p1'), 'lost');
  sampler.close();
});

test('no badge before the first connection', async () => {
  const peer = new ScriptedPeer('p1');
  peer.connectionState = 'connecting';
  const { clock, sampler } = setup([peer]);
  await seconds(clock, 2);
  assert.equal(sampler.quality('p1'), null);
  assert.equal(sampler.history('p1').length, 2);
  sampler.close();
});

test('a peer still being read is not read again; a peer that left is forgotten', async () => {
  const a = new ScriptedPeer('a');
  const b = new ScriptedPeer('b');
  const peers: StatsPeer[] = [a, b];
  const { clock, sampler, qualities } = setup(peers);
  a.pending = [];
  await seconds(clock, 3);
  assert.equal(a.reads, 1);
  assert.equal(sampler.history('a').length, 0);
  assert.equal(sampler.history('b').length, 3);
  for (const release of a.pending) {
    release();
  }
  a.pending = null;
  await settle();
  assert.equal(sampler.history('a').length, 1);
  peers.splice(1, 1);
  await seconds(clock, 1);
  assert.deepEqual(sampler.peerIds(), ['a']);
  assert.deepEqual(sampler.history('b'), []);
  assert.deepEqual(qualities.at(-1), ['b', null]);
  sampler.close();
});

test('exports every history as JSON; close() clears the timer and the histories', async () => {
  const peer = Object.assign(new ScriptedPeer('p1'), { displayName: 'Ada' });
  const { clock, sampler } = setup([peer]);
  await seconds(clock, 2);
  const exported = JSON.parse(JSON.stringify(sampler)) as ReturnType<StatsSampler['toJSON']>;
  assert.equal(exported.format, 'rendezvous-stats');
  assert.equal(exported.intervalMs, 1000);
  assert.equal(exported.peers.length, 1);
  assert.equal(exported.peers[0]!.displayName, 'Ada');
  assert.equal(exported.peers[0]!.samples.length, 2);
  assert.equal(exported.peers[0]!.samples[1]!.bitrateIn, 400_000);
  assert.equal(clock.pending, 1);
  sampler.close();
  sampler.close();
  assert.equal(clock.pending, 0);
  assert.deepEqual(sampler.peerIds(), []);
  const reads = peer.reads;
  await seconds(clock, 3);
  await sampler.sampleNow();
  assert.equal(peer.reads, reads);
});

test('a read that finishes after close() is dropped', async () => {
  const peer = new ScriptedPeer('p1');
  const { clock, sampler } = setup([peer]);
  peer.pending = [];
  const samples: unknown[] = [];
  sampler.on('sample', (...args) => samples.push(args));
  await seconds(clock, 1);
  sampler.close();
  for (const release of peer.pending) {
    release();
  }
  await settle();
  assert.deepEqual(samples, []);
  assert.deepEqual(sampler.history('p1'), []);
});

test('the ring keeps the newest items in order', () => {
  const ring = new SampleRing<number>(3);
  assert.equal(ring.last(), undefined);
  for (let i = 1; i <= 5; i++) {
    ring.push(i);
  }
  assert.deepEqual(ring.toArray(), [3, 4, 5]);
  assert.deepEqual(ring.toArray(2), [4, 5]);
  assert.equal(ring.last(), 5);
  assert.equal(ring.size, 3);
  assert.throws(() => new SampleRing(0), RangeError);
});
