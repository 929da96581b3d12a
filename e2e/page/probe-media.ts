/**
 * Runs inside the browser page (part of `window.probe`, see probe.ts): what a person would see or hear, from
 * getStats() through the SDK's public API: decoded frames, received audio, what is sent, the candidate pair.
 */
import type { RemotePeer, Room } from '@rendezvous/client';

export interface InboundCounts {
  framesDecoded: number;
  audioSamples: number;
  audioBytes: number;
}

/**
 * Every stats entry of a peer's connection(s), read through the SDK's public `RemotePeer.getStats()`, or
 * of a bare RTCPeerConnection (the benchmarks' baseline).
 */
async function statsOf(source: RemotePeer | RTCPeerConnection): Promise<Map<string, Record<string, unknown>>> {
  const entries = new Map<string, Record<string, unknown>>();
  const reports = source instanceof RTCPeerConnection ? [await source.getStats()] : (await source.getStats()).raw;
  for (const report of reports) {
    report.forEach((stat: Record<string, unknown>) => entries.set(String(stat['id']), stat));
  }
  return entries;
}

export async function inboundCounts(peer: RemotePeer | RTCPeerConnection): Promise<InboundCounts> {
  const counts: InboundCounts = { framesDecoded: 0, audioSamples: 0, audioBytes: 0 };
  (await statsOf(peer)).forEach((stat) => {
    if (stat['type'] !== 'inbound-rtp') {
      return;
    }
    if (stat['kind'] === 'video') {
      counts.framesDecoded += Number(stat['framesDecoded'] ?? 0);
    }
    if (stat['kind'] === 'audio') {
      counts.audioSamples += Number(stat['totalSamplesReceived'] ?? 0);
      counts.audioBytes += Number(stat['bytesReceived'] ?? 0);
    }
  });
  return counts;
}

interface Sample {
  at: number;
  counts: InboundCounts;
}
const history = new Map<string, Sample[]>();

/**
 * True once, for `expectedPeers` remote peers of `room`, decoded video frames and received audio both
 * rose over at least `windowMs`. Call repeatedly (waitForFunction with polling).
 */
export async function mediaFlowing(room: Room, expectedPeers: number, windowMs = 1000, needAudio = true): Promise<boolean> {
  if (room.peers.size < expectedPeers) {
    return false;
  }
  let flowing = 0;
  const now = performance.now();
  for (const peer of room.peers.values()) {
    const counts = await inboundCounts(peer);
    const key = `${room.name}/${peer.peerId}`;
    let samples = history.get(key) ?? [];
    // A rebuilt connection starts its counters again: forget the old connection's samples.
    const last = samples[samples.length - 1];
    if (last !== undefined && (counts.framesDecoded < last.counts.framesDecoded || counts.audioBytes < last.counts.audioBytes)) {
      samples = [];
    }
    samples.push({ at: now, counts });
    while (samples.length > 0 && now - samples[0]!.at > windowMs * 4) {
      samples.shift();
    }
    history.set(key, samples);
    const old = samples.find((s) => now - s.at >= windowMs);
    if (old === undefined) {
      continue;
    }
    const videoRose = counts.framesDecoded > old.counts.framesDecoded && old.counts.framesDecoded > 0;
    const audioRose = counts.audioBytes > old.counts.audioBytes && old.counts.audioBytes > 0;
    if (videoRose && (audioRose || !needAudio)) {
      flowing += 1;
    }
  }
  return flowing >= expectedPeers;
}

/** Decoded frames of the inbound video whose receiver track is `trackId`. */
export async function framesForTrack(peer: RemotePeer, trackId: string): Promise<number> {
  let frames = 0;
  (await statsOf(peer)).forEach((stat) => {
    if (stat['type'] === 'inbound-rtp' && stat['kind'] === 'video' && stat['trackIdentifier'] === trackId) {
      frames += Number(stat['framesDecoded'] ?? 0);
    }
  });
  return frames;
}

/** A moving test pattern as a video track (stands in for a screen capture). Drawn on a timer, not rAF. */
export function patternTrack(width = 320, height = 240, fps = 15): MediaStreamTrack {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (ctx === null) {
    throw new Error('no 2d context');
  }
  let frame = 0;
  const timer = setInterval(() => {
    frame += 1;
    ctx.fillStyle = `hsl(${(frame * 7) % 360} 70% 50%)`;
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = '#fff';
    ctx.fillText(String(frame), 10, 20);
  }, 1000 / fps);
  const track = canvas.captureStream(fps).getVideoTracks()[0];
  if (track === undefined) {
    throw new Error('captureStream gave no track');
  }
  track.addEventListener('ended', () => clearInterval(timer));
  const stop = track.stop.bind(track);
  track.stop = () => {
    clearInterval(timer);
    stop();
  };
  return track;
}

export interface OutboundCounts {
  audioBytes: number;
  videoBytes: number;
  framesEncoded: number;
  /** trackIdentifier of the media sources feeding outbound video / audio RTP, as the stats report them. */
  videoSources: string[];
  audioSources: string[];
}

/** What goes to this peer, from getStats() outbound-rtp (and the media-source each one reads). */
export async function outboundCounts(peer: RemotePeer): Promise<OutboundCounts> {
  const counts: OutboundCounts = { audioBytes: 0, videoBytes: 0, framesEncoded: 0, videoSources: [], audioSources: [] };
  const report = await statsOf(peer);
  report.forEach((stat) => {
    if (stat['type'] !== 'outbound-rtp') {
      return;
    }
    const source = typeof stat['mediaSourceId'] === 'string' ? report.get(stat['mediaSourceId']) : undefined;
    const trackId = source?.['trackIdentifier'];
    if (stat['kind'] === 'video') {
      counts.videoBytes += Number(stat['bytesSent'] ?? 0);
      counts.framesEncoded += Number(stat['framesEncoded'] ?? 0);
      if (typeof trackId === 'string') {
        counts.videoSources.push(trackId);
      }
    } else if (stat['kind'] === 'audio') {
      counts.audioBytes += Number(stat['bytesSent'] ?? 0);
      if (typeof trackId === 'string') {
        counts.audioSources.push(trackId);
      }
    }
  });
  return counts;
}

/** Sleeps `settleMs`, then reads `read()` at the start and end of a `windowMs` window: a measurement. */
export async function sampleWindow<T>(read: () => Promise<T>, windowMs: number, settleMs = 0): Promise<{ start: T; end: T }> {
  if (settleMs > 0) {
    await new Promise((resolve) => setTimeout(resolve, settleMs));
  }
  const start = await read();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const end = await read();
  return { start, end };
}

/** The selected candidate pair: local candidate type and, for relay candidates, how it reached TURN. */
export async function selectedPair(
  peer: RemotePeer,
): Promise<{ localType: string; relayProtocol: string | null; remoteType: string } | null> {
  const stats = await statsOf(peer);
  let pair: Record<string, unknown> | undefined;
  for (const stat of stats.values()) {
    if (stat['type'] === 'transport' && typeof stat['selectedCandidatePairId'] === 'string') {
      pair = stats.get(stat['selectedCandidatePairId']);
    }
  }
  if (pair === undefined) {
    for (const stat of stats.values()) {
      if (
        stat['type'] === 'candidate-pair' &&
        (stat['selected'] === true || (stat['nominated'] === true && stat['state'] === 'succeeded'))
      ) {
        pair = stat;
      }
    }
  }
  if (pair === undefined) {
    return null;
  }
  const local = stats.get(String(pair['localCandidateId']));
  const remote = stats.get(String(pair['remoteCandidateId']));
  if (local === undefined || remote === undefined) {
    return null;
  }
  return {
    localType: String(local['candidateType']),
    relayProtocol: typeof local['relayProtocol'] === 'string' ? local['relayProtocol'] : null,
    remoteType: String(remote['candidateType']),
  };
}

// ---- data layer (messages and streams) ----
