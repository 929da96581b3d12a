import { candidatePairDetail, selectedCandidatePair, type CandidatePairDetail, type StatsEntry } from '../candidate-path.js';
import { codecName, entriesOf, kindOf, num, numOrNull } from './stats-entries.js';

/** Frame rate and size of the largest video stream in one direction. */
export interface VideoFlow {
  framesPerSecond: number;
  width: number;
  height: number;
}

/** The codec in use per direction and kind (`VP9`, `H264`, `opus`…), null while the browser names none. */
export interface CodecsInUse {
  audioIn: string | null;
  videoIn: string | null;
  audioOut: string | null;
  videoOut: string | null;
}

/** Cumulative counters and current values of a peer's connection(s) at one instant. */
export interface StatsSnapshot {
  /** The reports' own clock (ms), or null when they carry none. */
  timestamp: number | null;
  /** RTP payload and header bytes received / sent, summed over every stream. */
  bytesIn: number;
  bytesOut: number;
  packetsIn: number;
  packetsLost: number;
  /** Bytes received on the selected candidate pair(s): media, RTCP, data and consent checks. */
  transportBytesIn: number;
  rttMs: number | null;
  jitterMs: number | null;
  videoIn: VideoFlow | null;
  videoOut: VideoFlow | null;
  codecs: CodecsInUse;
  pair: CandidatePairDetail | null;
}

interface Accumulator {
  snapshot: StatsSnapshot;
  audioJitters: number[];
  videoJitters: number[];
  rtts: number[];
  /** Bytes of the stream whose codec is currently named, per codec slot. */
  codecBytes: Record<keyof CodecsInUse, number>;
}

function emptySnapshot(): StatsSnapshot {
  return {
    timestamp: null,
    bytesIn: 0,
    bytesOut: 0,
    packetsIn: 0,
    packetsLost: 0,
    transportBytesIn: 0,
    rttMs: null,
    jitterMs: null,
    videoIn: null,
    videoOut: null,
    codecs: { audioIn: null, videoIn: null, audioOut: null, videoOut: null },
    pair: null,
  };
}

function largerFlow(current: VideoFlow | null, entry: StatsEntry): VideoFlow | null {
  const flow = {
    framesPerSecond: num(entry, 'framesPerSecond'),
    width: num(entry, 'frameWidth'),
    height: num(entry, 'frameHeight'),
  };
  if (flow.width === 0 && flow.framesPerSecond === 0) {
    return current;
  }
  return current === null || flow.width * flow.height > current.width * current.height ? flow : current;
}

/** The codec of the stream carrying the most bytes wins its slot (camera over a still screen, say). */
function nameCodec(acc: Accumulator, slot: keyof CodecsInUse, name: string | null, bytes: number): void {
  if (name !== null && (acc.snapshot.codecs[slot] === null || bytes > acc.codecBytes[slot])) {
    acc.snapshot.codecs[slot] = name;
    acc.codecBytes[slot] = bytes;
  }
}

function addRtp(acc: Accumulator, entries: ReadonlyMap<string, StatsEntry>, entry: StatsEntry): void {
  const kind = kindOf(entry);
  const s = acc.snapshot;
  if (kind === null) {
    return;
  }
  if (entry.type === 'inbound-rtp') {
    const bytes = num(entry, 'bytesReceived');
    s.bytesIn += bytes;
    s.packetsIn += num(entry, 'packetsReceived');
    s.packetsLost += Math.max(0, num(entry, 'packetsLost'));
    const jitter = numOrNull(entry, 'jitter');
    if (jitter !== null) {
      (kind === 'audio' ? acc.audioJitters : acc.videoJitters).push(jitter * 1000);
    }
    if (kind === 'video') {
      s.videoIn = largerFlow(s.videoIn, entry);
    }
    nameCodec(acc, kind === 'audio' ? 'audioIn' : 'videoIn', codecName(entries, entry), bytes);
  } else if (entry.type === 'outbound-rtp') {
    const bytes = num(entry, 'bytesSent');
    s.bytesOut += bytes;
    if (kind === 'video') {
      s.videoOut = largerFlow(s.videoOut, entry);
    }
    nameCodec(acc, kind === 'audio' ? 'audioOut' : 'videoOut', codecName(entries, entry), bytes);
  } else if (entry.type === 'remote-inbound-rtp') {
    const rtt = numOrNull(entry, 'roundTripTime');
    if (rtt !== null) {
      acc.rtts.push(rtt * 1000);
    }
  }
}

function addReport(acc: Accumulator, report: RTCStatsReport): void {
  const entries = entriesOf(report);
  const s = acc.snapshot;
  for (const entry of entries.values()) {
    const timestamp = numOrNull(entry, 'timestamp');
    if (timestamp !== null) {
      s.timestamp = Math.max(s.timestamp ?? 0, timestamp);
    }
    addRtp(acc, entries, entry);
  }
  const pair = selectedCandidatePair(entries.values());
  if (pair !== undefined) {
    s.transportBytesIn += num(pair, 'bytesReceived');
    const rtt = numOrNull(pair, 'currentRoundTripTime');
    if (rtt !== null) {
      // The pair's STUN round trip is the most direct measure; it replaces the RTCP estimates.
      s.rttMs = Math.max(s.rttMs ?? 0, rtt * 1000);
    }
  }
  s.pair ??= candidatePairDetail(entries.values());
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Reads one peer's reports (one per connection) into a snapshot. Jitter is the mean over the audio
 * streams (video jitter spans whole frames), or over the video streams when no audio arrives. RTT is the
 * selected pair's, else the mean RTCP round trip of what we send.
 */
export function snapshotOf(reports: readonly RTCStatsReport[]): StatsSnapshot {
  const acc: Accumulator = {
    snapshot: emptySnapshot(),
    audioJitters: [],
    videoJitters: [],
    rtts: [],
    codecBytes: { audioIn: 0, videoIn: 0, audioOut: 0, videoOut: 0 },
  };
  for (const report of reports) {
    addReport(acc, report);
  }
  const s = acc.snapshot;
  s.jitterMs = mean(acc.audioJitters) ?? mean(acc.videoJitters);
  s.rttMs ??= mean(acc.rtts);
  return s;
}
