/**
 * Runs inside the browser page (bundled with the SDK by e2e/harness/sdk-bundle.ts as `window.probe`).
 * Reads what a person would see or hear: decoded frames and received audio, from getStats().
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

/**
 * Every RTCPeerConnection the SDK ever created in this page (tracked by patching the constructor). This
 * is the tests' own hook: the SDK hands out no connection, so this is how a test reaches the browser's.
 */
export const createdConnections: RTCPeerConnection[] = [];
/** Every local track ever captured in this page. */
export const capturedTracks: MediaStreamTrack[] = [];

/** Signaling frames this page's WebSockets sent and received, by message type (errors as `error:CODE`). */
export const socketFrames = { sent: {} as Record<string, number>, received: {} as Record<string, number> };

function countFrame(into: Record<string, number>, data: unknown): void {
  if (typeof data !== 'string') {
    return;
  }
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
    openConnections: openConnections().length,
    liveTracks: capturedTracks.filter((t) => t.readyState === 'live').length,
  };
}

/** The connections of this page that are not closed. */
export function openConnections(): RTCPeerConnection[] {
  return createdConnections.filter((pc) => pc.connectionState !== 'closed' && pc.signalingState !== 'closed');
}

/** The one open connection of a two-person call page (throws when there is not exactly one). */
export function onlyConnection(): RTCPeerConnection {
  const open = openConnections();
  if (open.length !== 1) {
    throw new Error(`expected one open connection, found ${open.length}`);
  }
  return open[0]!;
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
  if (negotiationPatched) {
    return;
  }
  negotiationPatched = true;
  const proto = window.RTCPeerConnection.prototype;
  // The originals are wrapped below, and called with the connection as `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const setLocal = proto.setLocalDescription;
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const setRemote = proto.setRemoteDescription;
  proto.setLocalDescription = function (this: RTCPeerConnection, ...args: unknown[]) {
    negotiation.localDescriptions += 1;
    return Reflect.apply(setLocal, this, args) as Promise<void>;
  };
  proto.setRemoteDescription = function (this: RTCPeerConnection, ...args: unknown[]) {
    negotiation.remoteDescriptions += 1;
    return Reflect.apply(setRemote, this, args) as Promise<void>;
  };
}

/** The counters; also starts counting `negotiationneeded` on connections not yet watched. */
export function negotiationCounts(): NegotiationCounts {
  for (const pc of createdConnections) {
    if (negotiationWatched.has(pc)) {
      continue;
    }
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

/** The sender of the camera (`video`) or microphone (`audio`) transceiver: the first one receiving `kind`. */
export function primarySender(pc: RTCPeerConnection, kind: 'audio' | 'video'): RTCRtpSender | null {
  return pc.getTransceivers().find((t) => t.receiver.track.kind === kind)?.sender ?? null;
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

/** A data message in a form JSON carries: strings and JSON values as they came, bytes as a list of numbers. */
export interface MessageRecord {
  from: string;
  kind: 'string' | 'bytes' | 'json';
  value: unknown;
}

/** Records every `message` of `room` as `message` (see `record`). Call it right after join. */
export function recordMessages(room: Room): void {
  room.on('message', (from, data) => {
    if (typeof data === 'string') {
      record('message', { from, kind: 'string', value: data });
    } else if (data instanceof ArrayBuffer) {
      record('message', { from, kind: 'bytes', value: [...new Uint8Array(data)] });
    } else {
      record('message', { from, kind: 'json', value: data });
    }
  });
}

/** Hex SHA-256 of `bytes` (crypto.subtle). */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** `size` random bytes (getRandomValues fills at most 64 KiB a call). */
export function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65_536) {
    crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65_536)));
  }
  return bytes;
}

/** What a receiver recorded for one incoming stream (`error` when it failed). */
export interface StreamRecord {
  from: string;
  meta: unknown;
  bytes: number;
  bytesReceived: number;
  sha256: string | null;
  error: string | null;
}

/** Reads every incoming stream of `room` to its end (async iteration), hashes it, records it as `stream`. */
export function receiveStreams(room: Room): void {
  room.on('stream', (incoming) => {
    // Iteration starts in the listener (an async function runs up to its first await at once).
    void (async () => {
      const chunks: Uint8Array[] = [];
      let total = 0;
      try {
        for await (const chunk of incoming) {
          chunks.push(new Uint8Array(chunk));
          total += chunk.byteLength;
        }
        const all = new Uint8Array(total);
        let at = 0;
        for (const chunk of chunks) {
          all.set(chunk, at);
          at += chunk.byteLength;
        }
        const entry: StreamRecord = {
          from: incoming.from,
          meta: incoming.meta,
          bytes: total,
          bytesReceived: incoming.bytesReceived,
          sha256: await sha256Hex(all),
          error: null,
        };
        record('stream', entry);
      } catch (error) {
        const entry: StreamRecord = {
          from: incoming.from,
          meta: incoming.meta,
          bytes: total,
          bytesReceived: incoming.bytesReceived,
          sha256: null,
          error: String(error),
        };
        record('stream', entry);
      }
    })();
  });
}

/** What the sender of `sendRandomStream` saw. */
export interface SentStreamReport {
  bytes: number;
  sha256: string;
  /** Every `progress` event: [bytesSent, bytesAcknowledged]. */
  progress: Array<[number, number]>;
  finished: boolean;
  state: string;
  bytesAcknowledged: number;
}

/** Streams `size` random bytes to `to` in writes of `writeBytes` (awaiting each), then `end()`. */
export async function sendRandomStream(
  room: Room,
  to: string,
  size: number,
  meta: Record<string, string>,
  writeBytes = 100_000,
): Promise<SentStreamReport> {
  const data = randomBytes(size);
  const sha256 = await sha256Hex(data);
  const stream = room.openStream(to, { ...meta, size });
  const progress: Array<[number, number]> = [];
  let finished = false;
  stream.on('progress', (sent, acked) => progress.push([sent, acked]));
  stream.on('finish', () => (finished = true));
  for (let at = 0; at < size; at += writeBytes) {
    await stream.write(data.subarray(at, Math.min(size, at + writeBytes)));
  }
  await stream.end();
  return { bytes: size, sha256, progress, finished, state: stream.state, bytesAcknowledged: stream.bytesAcknowledged };
}
