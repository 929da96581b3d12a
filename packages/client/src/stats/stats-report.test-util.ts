import type { StatsEntry } from '../candidate-path.js';

/** A stats report made of `entries` (RTCStatsReport is a read-only Map of id → entry). */
export function report(entries: StatsEntry[]): RTCStatsReport {
  return new Map(entries.map((e) => [e.id, e]));
}

export interface Counters {
  timestamp: number;
  bytesIn: number;
  bytesOut: number;
  packetsIn: number;
  packetsLost: number;
  pairBytesIn: number;
  rttSeconds: number;
  jitterSeconds: number;
  localType?: string;
  remoteType?: string;
  protocol?: string;
  relayProtocol?: string;
  videoCodec?: string;
}

/** A Chromium-shaped report of a call: audio + video in and out, a selected host pair, codecs. */
export function callReport(c: Counters): RTCStatsReport {
  const ts = c.timestamp;
  const codec = c.videoCodec ?? 'VP8';
  return report([
    { id: 'CIT01', type: 'codec', timestamp: ts, mimeType: 'audio/opus' },
    { id: 'CIT02', type: 'codec', timestamp: ts, mimeType: `video/${codec}` },
    { id: 'COT02', type: 'codec', timestamp: ts, mimeType: `video/${codec}` },
    {
      id: 'IA',
      type: 'inbound-rtp',
      kind: 'audio',
      timestamp: ts,
      codecId: 'CIT01',
      bytesReceived: c.bytesIn / 4,
      packetsReceived: c.packetsIn / 2,
      packetsLost: c.packetsLost,
      jitter: c.jitterSeconds,
    },
    {
      id: 'IV',
      type: 'inbound-rtp',
      kind: 'video',
      timestamp: ts,
      codecId: 'CIT02',
      bytesReceived: (c.bytesIn * 3) / 4,
      packetsReceived: c.packetsIn / 2,
      packetsLost: 0,
      jitter: c.jitterSeconds * 2,
      framesPerSecond: 15,
      frameWidth: 320,
      frameHeight: 240,
    },
    {
      id: 'OV',
      type: 'outbound-rtp',
      kind: 'video',
      timestamp: ts,
      codecId: 'COT02',
      bytesSent: c.bytesOut,
      frameWidth: 640,
      frameHeight: 480,
      framesPerSecond: 30,
    },
    {
      id: 'L1',
      type: 'local-candidate',
      candidateType: c.localType ?? 'host',
      protocol: c.protocol ?? 'udp',
      relayProtocol: c.relayProtocol,
    },
    { id: 'R1', type: 'remote-candidate', candidateType: c.remoteType ?? 'host', protocol: c.protocol ?? 'udp' },
    {
      id: 'P1',
      type: 'candidate-pair',
      localCandidateId: 'L1',
      remoteCandidateId: 'R1',
      bytesReceived: c.pairBytesIn,
      currentRoundTripTime: c.rttSeconds,
    },
    { id: 'T1', type: 'transport', selectedCandidatePairId: 'P1' },
  ]);
}
