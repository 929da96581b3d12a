import { realClock, type Clock } from '@rendezvous/common';
import { TypedEmitter } from '../typed-emitter.js';
import { DEFAULT_QUALITY_THRESHOLDS, qualityOf, type Quality, type QualityThresholds } from './quality.js';
import { SampleRing } from './sample-ring.js';
import { countersRestarted, sampleBetween, type StatsSample, type TimedSnapshot } from './stats-sample.js';
import { snapshotOf } from './stats-snapshot.js';

/** What the sampler reads of a peer (a `RemotePeer` is one). */
export interface StatsPeer {
  readonly peerId: string;
  readonly displayName?: string;
  /** `connected`, `connecting`, `disconnected`, `reconnecting`, `failed`… (`RemotePeer.connectionState`). */
  readonly connectionState: string;
  /** The browser's reports, one per connection to the peer (`RemotePeer.getStats()` has them in `raw`). */
  getStats(): Promise<{ raw: RTCStatsReport[] }>;
}

export interface StatsSamplerOptions {
  /** How often each peer is sampled. Default 1000 ms. */
  intervalMs?: number;
  /** How much history is kept per peer. Default 60 000 ms (60 samples at 1 s). */
  windowMs?: number;
  /** A connected peer from which nothing arrives for this long is `lost`. Default 5000 ms. */
  lostAfterMs?: number;
  /** Samples over which loss is averaged for the quality badge. Default 5. */
  qualityWindow?: number;
  thresholds?: QualityThresholds;
  clock?: Clock;
}

export interface StatsSamplerEvents {
  /** A new sample of a peer (once per interval per peer). */
  sample: [peerId: string, sample: StatsSample];
  /** A peer's quality badge changed (null: not connected yet, or gone). */
  quality: [peerId: string, quality: Quality | null];
}

/** The JSON export: every peer's history, oldest sample first. */
export interface StatsExport {
  format: 'rendezvous-stats';
  version: 1;
  exportedAt: number;
  intervalMs: number;
  thresholds: QualityThresholds;
  peers: { peerId: string; displayName: string | null; samples: StatsSample[] }[];
}

interface Tracked {
  displayName: string | null;
  ring: SampleRing<StatsSample>;
  previous: TimedSnapshot | null;
  /** Loss per interval, for the quality window: [lost, expected]. */
  loss: SampleRing<[number, number]>;
  /** When something last arrived (or the connection came up), sampler clock. */
  lastArrivalAt: number | null;
  quality: Quality | null;
  everConnected: boolean;
  busy: boolean;
}

const NOT_CONNECTED_LOST: ReadonlySet<string> = new Set(['disconnected', 'reconnecting', 'failed']);

/**
 * Samples every peer's statistics once per interval and keeps a bounded history per peer (the last
 * `windowMs`): bitrates, loss, RTT, jitter, frame rate, resolution, codecs, the candidate pair, and a
 * quality badge. Topology-neutral: it reads only what `peers()` returns. `close()` stops it.
 */
export class StatsSampler extends TypedEmitter<StatsSamplerEvents> {
  readonly intervalMs: number;
  readonly #peers: () => Iterable<StatsPeer>;
  readonly #clock: Clock;
  readonly #capacity: number;
  readonly #lostAfterMs: number;
  readonly #qualityWindow: number;
  readonly #thresholds: QualityThresholds;
  readonly #tracked = new Map<string, Tracked>();
  #timer: unknown = null;
  #closed = false;

  constructor(peers: () => Iterable<StatsPeer>, options: StatsSamplerOptions = {}) {
    super();
    this.#peers = peers;
    this.#clock = options.clock ?? realClock;
    this.intervalMs = Math.max(100, options.intervalMs ?? 1000);
    this.#capacity = Math.max(1, Math.ceil((options.windowMs ?? 60_000) / this.intervalMs));
    this.#lostAfterMs = options.lostAfterMs ?? 5000;
    this.#qualityWindow = Math.max(1, options.qualityWindow ?? 5);
    this.#thresholds = options.thresholds ?? DEFAULT_QUALITY_THRESHOLDS;
    this.#timer = this.#clock.setInterval(() => void this.sampleNow(), this.intervalMs);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Peers with a history. */
  peerIds(): string[] {
    return [...this.#tracked.keys()];
  }

  /** A peer's samples, oldest first (empty for an unknown peer). */
  history(peerId: string): StatsSample[] {
    return this.#tracked.get(peerId)?.ring.toArray() ?? [];
  }

  latest(peerId: string): StatsSample | null {
    return this.#tracked.get(peerId)?.ring.last() ?? null;
  }

  quality(peerId: string): Quality | null {
    return this.#tracked.get(peerId)?.quality ?? null;
  }

  /** Every peer's history, ready for `JSON.stringify`. */
  toJSON(): StatsExport {
    return {
      format: 'rendezvous-stats',
      version: 1,
      exportedAt: this.#clock.now(),
      intervalMs: this.intervalMs,
      thresholds: this.#thresholds,
      peers: [...this.#tracked].map(([peerId, t]) => ({ peerId, displayName: t.displayName, samples: t.ring.toArray() })),
    };
  }

  /** Samples every peer once now (the timer calls this each interval). A peer still being read is skipped. */
  async sampleNow(): Promise<void> {
    if (this.#closed) {
      return;
    }
    const peers = [...this.#peers()];
    const present = new Set(peers.map((p) => p.peerId));
    for (const peerId of [...this.#tracked.keys()]) {
      if (!present.has(peerId)) {
        this.#forget(peerId);
      }
    }
    await Promise.all(peers.map((peer) => this.#sample(peer)));
  }

  /** Stops sampling and drops every history. Idempotent. */
  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    if (this.#timer !== null) {
      this.#clock.clearInterval(this.#timer);
      this.#timer = null;
    }
    for (const t of this.#tracked.values()) {
      t.ring.clear();
    }
    this.#tracked.clear();
    this.removeAllListeners();
  }

  #track(peer: StatsPeer): Tracked {
    let t = this.#tracked.get(peer.peerId);
    if (t === undefined) {
      t = {
        displayName: null,
        ring: new SampleRing(this.#capacity),
        previous: null,
        loss: new SampleRing(this.#qualityWindow),
        lastArrivalAt: null,
        quality: null,
        everConnected: false,
        busy: false,
      };
      this.#tracked.set(peer.peerId, t);
    }
    t.displayName = peer.displayName ?? t.displayName;
    return t;
  }

  #forget(peerId: string): void {
    const t = this.#tracked.get(peerId);
    this.#tracked.delete(peerId);
    if (t !== undefined && t.quality !== null) {
      this.emit('quality', peerId, null);
    }
  }

  async #sample(peer: StatsPeer): Promise<void> {
    const t = this.#track(peer);
    if (t.busy) {
      return;
    }
    t.busy = true;
    let raw: RTCStatsReport[];
    try {
      raw = (await peer.getStats()).raw;
    } catch {
      raw = [];
    } finally {
      t.busy = false;
    }
    if (this.#closed || this.#tracked.get(peer.peerId) !== t) {
      return;
    }
    const current: TimedSnapshot = { at: this.#clock.now(), snapshot: snapshotOf(raw) };
    const state = peer.connectionState;
    const sample = sampleBetween(t.previous, current, state);
    this.#noteArrival(t, current, state);
    if (sample.packetsLost !== null && sample.packetsReceived !== null) {
      t.loss.push([sample.packetsLost, sample.packetsLost + sample.packetsReceived]);
    }
    t.previous = current;
    sample.quality = this.#qualityNow(t, sample, current.at);
    t.ring.push(sample);
    this.emit('sample', peer.peerId, sample);
    if (sample.quality !== t.quality) {
      t.quality = sample.quality;
      this.emit('quality', peer.peerId, sample.quality);
    }
  }

  /** Something arrived since the last sample (media, RTCP, data), or the connection just came up. */
  #noteArrival(t: Tracked, current: TimedSnapshot, state: string): void {
    if (state !== 'connected') {
      t.lastArrivalAt = null;
      return;
    }
    const previous = t.previous?.snapshot;
    const s = current.snapshot;
    const fresh = previous === undefined || countersRestarted(previous, s);
    const arrived = fresh || s.bytesIn > previous.bytesIn || s.transportBytesIn > previous.transportBytesIn;
    if (arrived || t.lastArrivalAt === null) {
      t.lastArrivalAt = current.at;
    }
  }

  #qualityNow(t: Tracked, sample: StatsSample, now: number): Quality | null {
    if (NOT_CONNECTED_LOST.has(sample.state)) {
      return t.everConnected ? 'lost' : null;
    }
    if (sample.state !== 'connected') {
      return null;
    }
    t.everConnected = true;
    if (t.lastArrivalAt !== null && now - t.lastArrivalAt >= this.#lostAfterMs) {
      return 'lost';
    }
    let lost = 0;
    let expected = 0;
    for (const [l, e] of t.loss.toArray()) {
      lost += l;
      expected += e;
    }
    return qualityOf(
      { rttMs: sample.rttMs, jitterMs: sample.jitterMs, lossPercent: expected > 0 ? (lost * 100) / expected : null },
      this.#thresholds,
    );
  }
}
