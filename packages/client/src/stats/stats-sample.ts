import type { CandidatePairDetail } from '../candidate-path.js';
import type { Quality } from './quality.js';
import type { CodecsInUse, StatsSnapshot, VideoFlow } from './stats-snapshot.js';

/** One second (one sampling interval) of a peer's connection, as the stats panel charts it. */
export interface StatsSample {
  /** When it was taken, ms on the sampler's clock (wall-clock time by default). */
  at: number;
  /** The peer's connection state at that moment. */
  state: string;
  /** Bits per second received / sent over RTP in the interval (null on the first sample of a connection). */
  bitrateIn: number | null;
  bitrateOut: number | null;
  /** Inbound packets received / lost in the interval (null on the first sample of a connection). */
  packetsReceived: number | null;
  packetsLost: number | null;
  /** Those lost as a percentage of those expected in the interval, or null when nothing was expected. */
  lossPercent: number | null;
  rttMs: number | null;
  jitterMs: number | null;
  /** The largest video stream received / sent: frame rate and size. */
  videoIn: VideoFlow | null;
  videoOut: VideoFlow | null;
  codecs: CodecsInUse;
  /** The selected candidate pair (host, srflx, prflx or relay; UDP or TCP). */
  pair: CandidatePairDetail | null;
  /** The quality badge at that moment (null before the connection first connects). */
  quality: Quality | null;
}

/** A snapshot with the sampler-clock time it was read at. */
export interface TimedSnapshot {
  at: number;
  snapshot: StatsSnapshot;
}

/** Whether `current` comes from a new connection (its counters started again). */
export function countersRestarted(previous: StatsSnapshot, current: StatsSnapshot): boolean {
  return current.bytesIn < previous.bytesIn || current.bytesOut < previous.bytesOut || current.packetsIn < previous.packetsIn;
}

/** Seconds between two snapshots: the reports' own timestamps when both have them, else the sampler's clock. */
function elapsedSeconds(previous: TimedSnapshot, current: TimedSnapshot): number {
  const a = previous.snapshot.timestamp;
  const b = current.snapshot.timestamp;
  const ms = a !== null && b !== null && b > a ? b - a : current.at - previous.at;
  return ms / 1000;
}

/** The sample of the interval from `previous` (null: none, or another connection) to `current`. */
export function sampleBetween(previous: TimedSnapshot | null, current: TimedSnapshot, state: string): StatsSample {
  const s = current.snapshot;
  const sample: StatsSample = {
    at: current.at,
    state,
    bitrateIn: null,
    bitrateOut: null,
    packetsReceived: null,
    packetsLost: null,
    lossPercent: null,
    rttMs: s.rttMs,
    jitterMs: s.jitterMs,
    videoIn: s.videoIn,
    videoOut: s.videoOut,
    codecs: { ...s.codecs },
    pair: s.pair,
    quality: null,
  };
  const seconds = previous === null ? 0 : elapsedSeconds(previous, current);
  if (previous === null || seconds <= 0 || countersRestarted(previous.snapshot, s)) {
    return sample;
  }
  const p = previous.snapshot;
  sample.bitrateIn = Math.round(((s.bytesIn - p.bytesIn) * 8) / seconds);
  sample.bitrateOut = Math.round(((s.bytesOut - p.bytesOut) * 8) / seconds);
  sample.packetsLost = Math.max(0, s.packetsLost - p.packetsLost);
  sample.packetsReceived = s.packetsIn - p.packetsIn;
  const expected = sample.packetsReceived + sample.packetsLost;
  sample.lossPercent = expected > 0 ? (sample.packetsLost * 100) / expected : null;
  return sample;
}
