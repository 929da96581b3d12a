import {
  candidatePathFromStats,
  selectedCandidatePair,
  type CandidatePairDetail,
  type CandidatePath,
  type StatsEntry,
} from './candidate-path.js';
import { snapshotOf, type CodecsInUse } from './stats/stats-snapshot.js';

/** What arrives from a peer for one kind of media, summed over its streams (camera + screen for video). */
export interface InboundSummary {
  bytes: number;
  packets: number;
  packetsLost: number;
  /** Video only (0 for audio). */
  framesDecoded: number;
  /** Audio only: samples received (0 for video). */
  samplesReceived: number;
  /** Largest frame size received, video only. */
  frameWidth: number;
  frameHeight: number;
  /** Highest frame rate among the video streams. */
  framesPerSecond: number;
  /** Mean jitter in ms over the streams that report it, or null. */
  jitterMs: number | null;
}

/** What goes out to a peer for one kind of media. */
export interface OutboundSummary {
  bytes: number;
  packets: number;
  /** Video only. */
  framesEncoded: number;
}

/** A typed summary of one peer's connection statistics (see `RemotePeer.getStats()`). */
export interface PeerStats {
  /** `performance.now()`-based time of the report, ms. */
  timestamp: number;
  path: CandidatePath;
  /** Round-trip time of the selected candidate pair, ms, or null before one is selected. */
  roundTripTimeMs: number | null;
  /** The sender-side bandwidth estimate of the selected pair, bits/s, or null. */
  availableOutgoingBitrate: number | null;
  inbound: { audio: InboundSummary; video: InboundSummary };
  outbound: { audio: OutboundSummary; video: OutboundSummary };
  /** The codec in use per direction and kind (`VP9`, `H264`, `opus`…), from the reports' `codec` entries. */
  codecs: CodecsInUse;
  /** The selected candidate pair in detail: each end's type, UDP or TCP, and how TURN is reached. */
  candidatePair: CandidatePairDetail | null;
  /** The browser's own reports behind the summary, for experts (one per connection to this peer). */
  raw: RTCStatsReport[];
}

function emptyInbound(): InboundSummary {
  return {
    bytes: 0,
    packets: 0,
    packetsLost: 0,
    framesDecoded: 0,
    samplesReceived: 0,
    frameWidth: 0,
    frameHeight: 0,
    framesPerSecond: 0,
    jitterMs: null,
  };
}

function num(entry: StatsEntry, key: string): number {
  const value = entry[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function kindOf(entry: StatsEntry): 'audio' | 'video' | null {
  const kind = entry['kind'] ?? entry['mediaType'];
  return kind === 'audio' || kind === 'video' ? kind : null;
}

function addInbound(into: InboundSummary, entry: StatsEntry, jitters: number[]): void {
  into.bytes += num(entry, 'bytesReceived');
  into.packets += num(entry, 'packetsReceived');
  into.packetsLost += Math.max(0, num(entry, 'packetsLost'));
  into.framesDecoded += num(entry, 'framesDecoded');
  into.samplesReceived += num(entry, 'totalSamplesReceived');
  into.frameWidth = Math.max(into.frameWidth, num(entry, 'frameWidth'));
  into.frameHeight = Math.max(into.frameHeight, num(entry, 'frameHeight'));
  into.framesPerSecond = Math.max(into.framesPerSecond, num(entry, 'framesPerSecond'));
  if (typeof entry['jitter'] === 'number') {
    jitters.push(entry['jitter'] * 1000);
  }
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Sums the RTP entries of one or more reports into a `PeerStats`. */
export function summarizeStats(reports: RTCStatsReport[]): PeerStats {
  const stats: PeerStats = {
    timestamp: 0,
    path: 'unknown',
    roundTripTimeMs: null,
    availableOutgoingBitrate: null,
    inbound: { audio: emptyInbound(), video: emptyInbound() },
    outbound: { audio: { bytes: 0, packets: 0, framesEncoded: 0 }, video: { bytes: 0, packets: 0, framesEncoded: 0 } },
    codecs: { audioIn: null, videoIn: null, audioOut: null, videoOut: null },
    candidatePair: null,
    raw: reports,
  };
  const snapshot = snapshotOf(reports);
  stats.codecs = snapshot.codecs;
  stats.candidatePair = snapshot.pair;
  const jitters = { audio: [] as number[], video: [] as number[] };
  for (const report of reports) {
    const entries: StatsEntry[] = [];
    report.forEach((entry: StatsEntry) => entries.push(entry));
    for (const entry of entries) {
      stats.timestamp = Math.max(stats.timestamp, num(entry, 'timestamp'));
      const kind = kindOf(entry);
      if (kind === null) {
        continue;
      }
      if (entry.type === 'inbound-rtp') {
        addInbound(stats.inbound[kind], entry, jitters[kind]);
      }
      if (entry.type === 'outbound-rtp') {
        stats.outbound[kind].bytes += num(entry, 'bytesSent');
        stats.outbound[kind].packets += num(entry, 'packetsSent');
        stats.outbound[kind].framesEncoded += num(entry, 'framesEncoded');
      }
    }
    const path = candidatePathFromStats(entries);
    if (path !== 'unknown') {
      stats.path = path;
    }
    const pair = selectedCandidatePair(entries);
    if (pair !== undefined) {
      if (typeof pair['currentRoundTripTime'] === 'number') {
        stats.roundTripTimeMs = pair['currentRoundTripTime'] * 1000;
      }
      if (typeof pair['availableOutgoingBitrate'] === 'number') {
        stats.availableOutgoingBitrate = pair['availableOutgoingBitrate'];
      }
    }
  }
  stats.inbound.audio.jitterMs = mean(jitters.audio);
  stats.inbound.video.jitterMs = mean(jitters.video);
  return stats;
}
