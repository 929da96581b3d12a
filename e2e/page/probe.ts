/**
 * Runs inside the browser page (bundled with the SDK by e2e/harness/sdk-bundle.ts as `window.probe`).
 * Reads what a person would see or hear: decoded frames and received audio, from getStats().
 */
import type { Room } from '@rendezvous/client';

export interface InboundCounts {
  framesDecoded: number;
  audioSamples: number;
  audioBytes: number;
}

export async function inboundCounts(pc: RTCPeerConnection): Promise<InboundCounts> {
  const counts: InboundCounts = { framesDecoded: 0, audioSamples: 0, audioBytes: 0 };
  const report = await pc.getStats();
  report.forEach((stat: Record<string, unknown>) => {
    if (stat['type'] !== 'inbound-rtp') return;
    if (stat['kind'] === 'video') counts.framesDecoded += Number(stat['framesDecoded'] ?? 0);
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
  if (room.peers.size < expectedPeers) return false;
  let flowing = 0;
  const now = performance.now();
  for (const peer of room.peers.values()) {
    const counts = await inboundCounts(peer.link.pc);
    const key = `${room.name}/${peer.id}/${peer.link.pc.localDescription?.sdp.length ?? 0}`;
    const samples = history.get(key) ?? [];
    samples.push({ at: now, counts });
    while (samples.length > 0 && now - samples[0]!.at > windowMs * 4) samples.shift();
    history.set(key, samples);
    const old = samples.find((s) => now - s.at >= windowMs);
    if (old === undefined) continue;
    const videoRose = counts.framesDecoded > old.counts.framesDecoded && old.counts.framesDecoded > 0;
    const audioRose = counts.audioBytes > old.counts.audioBytes && old.counts.audioBytes > 0;
    if (videoRose && (audioRose || !needAudio)) flowing += 1;
  }
  return flowing >= expectedPeers;
}

/** Every RTCPeerConnection the SDK ever created in this page (tracked by patching the constructor). */
export const createdConnections: RTCPeerConnection[] = [];
/** Every local track ever captured in this page. */
export const capturedTracks: MediaStreamTrack[] = [];

/** Signaling frames this page's WebSockets sent and received, by message type (errors as `error:CODE`). */
export const socketFrames = { sent: {} as Record<string, number>, received: {} as Record<string, number> };

function countFrame(into: Record<string, number>, data: unknown): void {
  if (typeof data !== 'string') return;
  try {
    const message = JSON.parse(data) as { type?: unknown; code?: unknown };
    const key = message.type === 'error' ? `error:${String(message.code)}` : String(message.type);
    into[key] = (into[key] ?? 0) + 1;
  } catch {
    // not JSON: not ours to count
  }
}

/** Counts every frame through `socketFrames` (the SDK opens its sockets with the global WebSocket). */
function instrumentSockets(): void {
  const NativeSocket = window.WebSocket;
  class CountedSocket extends NativeSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (event: MessageEvent) => countFrame(socketFrames.received, event.data));
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      countFrame(socketFrames.sent, data);
      super.send(data);
    }
  }
  window.WebSocket = CountedSocket;
}

export function instrument(): void {
  instrumentSockets();
  const Native = window.RTCPeerConnection;
  class Tracked extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      createdConnections.push(this);
    }
  }
  window.RTCPeerConnection = Tracked;
  const md = navigator.mediaDevices;
  if (md !== undefined) {
    const gum = md.getUserMedia.bind(md);
    md.getUserMedia = async (constraints?: MediaStreamConstraints) => {
      const stream = await gum(constraints);
      capturedTracks.push(...stream.getTracks());
      return stream;
    };
  }
}

/** What is still running: connections not closed, local tracks not ended. */
export function leftovers(): { openConnections: number; liveTracks: number } {
  return {
    openConnections: createdConnections.filter((pc) => pc.connectionState !== 'closed' && pc.signalingState !== 'closed').length,
    liveTracks: capturedTracks.filter((t) => t.readyState === 'live').length,
  };
}

/** Decoded frames of the inbound video whose receiver track is `trackId`. */
export async function framesForTrack(pc: RTCPeerConnection, trackId: string): Promise<number> {
  let frames = 0;
  const report = await pc.getStats();
  report.forEach((stat: Record<string, unknown>) => {
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
  if (ctx === null) throw new Error('no 2d context');
  let frame = 0;
  const timer = setInterval(() => {
    frame += 1;
    ctx.fillStyle = `hsl(${(frame * 7) % 360} 70% 50%)`;
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = '#fff';
    ctx.fillText(String(frame), 10, 20);
  }, 1000 / fps);
  const track = canvas.captureStream(fps).getVideoTracks()[0];
  if (track === undefined) throw new Error('captureStream gave no track');
  track.addEventListener('ended', () => clearInterval(timer));
  const stop = track.stop.bind(track);
  track.stop = () => {
    clearInterval(timer);
    stop();
  };
  return track;
}

/** Records events into window.t.events[name] so a test can read what happened and when. */
export function record(name: string, entry: unknown): void {
  const store = (window.t['events'] ??= {}) as Record<string, Array<{ at: number; entry: unknown }>>;
  (store[name] ??= []).push({ at: Date.now(), entry });
}

/** Offer/answer steps and `negotiationneeded` events seen since `watchNegotiations()`. */
export interface NegotiationCounts {
  /** RTCPeerConnection objects created in the page (a rebuilt connection shows up here). */
  connections: number;
  localDescriptions: number;
  remoteDescriptions: number;
  negotiationNeeded: number;
}

const negotiation = { localDescriptions: 0, remoteDescriptions: 0, negotiationNeeded: 0 };
const negotiationWatched = new WeakSet<RTCPeerConnection>();
let negotiationPatched = false;

/**
 * Counts every setLocalDescription/setRemoteDescription call on any connection of the page (call it
 * before joining). A renegotiation, an ICE restart or a rebuild all move these counters.
 */
export function watchNegotiations(): void {
  if (negotiationPatched) return;
  negotiationPatched = true;
  const proto = window.RTCPeerConnection.prototype;
  const setLocal = proto.setLocalDescription;
  const setRemote = proto.setRemoteDescription;
  proto.setLocalDescription = function (this: RTCPeerConnection, ...args: unknown[]) {
    negotiation.localDescriptions += 1;
    return Reflect.apply(setLocal, this, args) as Promise<void>;
  } as typeof setLocal;
  proto.setRemoteDescription = function (this: RTCPeerConnection, ...args: unknown[]) {
    negotiation.remoteDescriptions += 1;
    return Reflect.apply(setRemote, this, args) as Promise<void>;
  } as typeof setRemote;
}

/** The counters; also starts counting `negotiationneeded` on connections not yet watched. */
export function negotiationCounts(): NegotiationCounts {
  for (const pc of createdConnections) {
    if (negotiationWatched.has(pc)) continue;
    negotiationWatched.add(pc);
    pc.addEventListener('negotiationneeded', () => {
      negotiation.negotiationNeeded += 1;
    });
  }
  return { connections: createdConnections.length, ...negotiation };
}

export interface OutboundCounts {
  audioBytes: number;
  videoBytes: number;
  framesEncoded: number;
  /** trackIdentifier of the media sources feeding outbound video / audio RTP, as the stats report them. */
  videoSources: string[];
  audioSources: string[];
}

/** What this connection sends, from getStats() outbound-rtp (and the media-source each one reads). */
export async function outboundCounts(pc: RTCPeerConnection): Promise<OutboundCounts> {
  const counts: OutboundCounts = { audioBytes: 0, videoBytes: 0, framesEncoded: 0, videoSources: [], audioSources: [] };
  const report = await pc.getStats();
  report.forEach((stat: Record<string, unknown>) => {
    if (stat['type'] !== 'outbound-rtp') return;
    const source = typeof stat['mediaSourceId'] === 'string' ? (report.get(stat['mediaSourceId']) as Record<string, unknown> | undefined) : undefined;
    const trackId = source?.['trackIdentifier'];
    if (stat['kind'] === 'video') {
      counts.videoBytes += Number(stat['bytesSent'] ?? 0);
      counts.framesEncoded += Number(stat['framesEncoded'] ?? 0);
      if (typeof trackId === 'string') counts.videoSources.push(trackId);
    } else if (stat['kind'] === 'audio') {
      counts.audioBytes += Number(stat['bytesSent'] ?? 0);
      if (typeof trackId === 'string') counts.audioSources.push(trackId);
    }
  });
  return counts;
}

/** Sleeps `settleMs`, then reads `read()` at the start and end of a `windowMs` window: a measurement. */
export async function sampleWindow<T>(read: () => Promise<T>, windowMs: number, settleMs = 0): Promise<{ start: T; end: T }> {
  if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
  const start = await read();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const end = await read();
  return { start, end };
}

/** The sender of the camera (`video`) or microphone (`audio`) transceiver: the first one receiving `kind`. */
export function primarySender(pc: RTCPeerConnection, kind: 'audio' | 'video'): RTCRtpSender | null {
  return pc.getTransceivers().find((t) => t.receiver.track.kind === kind)?.sender ?? null;
}

/** The selected candidate pair: local candidate type and, for relay candidates, how it reached TURN. */
export async function selectedPair(pc: RTCPeerConnection): Promise<{ localType: string; relayProtocol: string | null; remoteType: string } | null> {
  const report = await pc.getStats();
  const stats = new Map<string, Record<string, unknown>>();
  report.forEach((stat: Record<string, unknown>) => stats.set(String(stat['id']), stat));
  let pair: Record<string, unknown> | undefined;
  for (const stat of stats.values()) {
    if (stat['type'] === 'transport' && typeof stat['selectedCandidatePairId'] === 'string') {
      pair = stats.get(stat['selectedCandidatePairId']);
    }
  }
  if (pair === undefined) {
    for (const stat of stats.values()) {
      if (stat['type'] === 'candidate-pair' && (stat['selected'] === true || (stat['nominated'] === true && stat['state'] === 'succeeded'))) pair = stat;
    }
  }
  if (pair === undefined) return null;
  const local = stats.get(String(pair['localCandidateId']));
  const remote = stats.get(String(pair['remoteCandidateId']));
  if (local === undefined || remote === undefined) return null;
  return {
    localType: String(local['candidateType']),
    relayProtocol: typeof local['relayProtocol'] === 'string' ? local['relayProtocol'] : null,
    remoteType: String(remote['candidateType']),
  };
}
