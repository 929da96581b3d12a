import { DEFAULT_MEDIA_STATE, type MediaState, type MemberPresence, type PeerInfo } from '@rendezvous/protocol';
import type { CandidatePath } from './candidate-path.js';
import type { PeerConnectionState } from './ice-supervisor.js';
import { summarizeStats, type PeerStats } from './peer-stats.js';
import { TypedEmitter } from './typed-emitter.js';

export interface RemotePeerEvents {
  /** The connection state changed. */
  state: [state: PeerConnectionState];
  /** The media path changed (first connect, ICE restart, rebuild). */
  path: [path: CandidatePath];
  /** A camera or microphone track arrived on `stream`. */
  track: [track: MediaStreamTrack];
  /** The peer started (a stream) or stopped (null) sharing its screen. */
  screen: [stream: MediaStream | null];
  /** Display name, media state, raised hand or recording notice changed. */
  updated: [];
}

/** @internal What a transport lends a RemotePeer to answer `getStats()` and `audioLevel()`. */
export interface PeerMediaPort {
  statsReports(): Promise<RTCStatsReport[]>;
  audioLevel(): number;
}

const NO_PORT: PeerMediaPort = { statsReports: () => Promise.resolve([]), audioLevel: () => 0 };

/**
 * Another member of a room as this client sees it, whatever the topology underneath. `stream` is the
 * same MediaStream for the peer's whole stay, even when the connection underneath is rebuilt.
 */
export class RemotePeer extends TypedEmitter<RemotePeerEvents> {
  readonly peerId: string;
  /** Camera + microphone of the peer. Exists before any track arrives. */
  readonly stream: MediaStream;
  #displayName: string;
  #media: MediaState;
  #screen: MediaStream | null = null;
  #state: PeerConnectionState = 'new';
  #path: CandidatePath = 'unknown';
  #hand: number | null;
  #recording: boolean;
  #port: PeerMediaPort = NO_PORT;

  /** @internal Created by Room. */
  constructor(info: PeerInfo & MemberPresence) {
    super();
    this.#hand = info.hand ?? null;
    this.#recording = info.recording ?? false;
    this.peerId = info.peerId;
    this.#displayName = info.displayName;
    this.#media = { ...DEFAULT_MEDIA_STATE, ...info.media };
    this.stream = new MediaStream();
  }

  get displayName(): string {
    return this.#displayName;
  }
  /** What the peer says it sends (muted flags, screen sharing). */
  get media(): MediaState {
    return { ...this.#media };
  }
  /** The peer's shared screen, or null. */
  get screen(): MediaStream | null {
    return this.#screen;
  }
  get connectionState(): PeerConnectionState {
    return this.#state;
  }
  /** How media flows to this peer once connected (`unknown` before). */
  get path(): CandidatePath {
    return this.#path;
  }
  /** The raised hand's place in the room's order (lower raised earlier), or null when the hand is down. */
  get hand(): number | null {
    return this.#hand;
  }
  /** The peer says it is recording the call. */
  get recording(): boolean {
    return this.#recording;
  }
  get info(): PeerInfo {
    return { peerId: this.peerId, displayName: this.#displayName, media: this.media };
  }

  /** Level 0..1 of the peer's microphone (0 when muted). */
  audioLevel(): number {
    return this.#media.audioMuted ? 0 : this.#port.audioLevel();
  }

  /** A typed summary of the connection's statistics, with the browser's raw reports in `raw`. */
  async getStats(): Promise<PeerStats> {
    return summarizeStats(await this.#port.statsReports().catch(() => []));
  }

  /** @internal */
  _setPort(port: PeerMediaPort | null): void {
    this.#port = port ?? NO_PORT;
  }
  /** @internal Emits `updated` once when anything changed (presence fields left undefined stay as they are). */
  _setInfo(displayName: string, media: MediaState, presence: MemberPresence = {}): boolean {
    const hand = presence.hand === undefined ? this.#hand : presence.hand;
    const recording = presence.recording ?? this.#recording;
    const changed =
      displayName !== this.#displayName ||
      media.audioMuted !== this.#media.audioMuted ||
      media.videoMuted !== this.#media.videoMuted ||
      media.screenSharing !== this.#media.screenSharing ||
      hand !== this.#hand ||
      recording !== this.#recording;
    this.#displayName = displayName;
    this.#media = { ...media };
    this.#hand = hand;
    this.#recording = recording;
    if (changed) {
      this.emit('updated');
    }
    return changed;
  }
  /** @internal Emits `screen` when it changed. */
  _setScreen(screen: MediaStream | null): void {
    if (screen === this.#screen) {
      return;
    }
    this.#screen = screen;
    this.emit('screen', screen);
  }
  /** @internal Emits `state` when it changed. */
  _setState(state: PeerConnectionState): void {
    if (state === this.#state) {
      return;
    }
    this.#state = state;
    this.emit('state', state);
  }
  /** @internal Emits `path` when it changed. */
  _setPath(path: CandidatePath): void {
    if (path === this.#path) {
      return;
    }
    this.#path = path;
    this.emit('path', path);
  }
  /** @internal */
  _track(track: MediaStreamTrack): void {
    this.emit('track', track);
  }
  /** @internal The peer left: stops the tracks of `stream`, says `closed`, drops every listener. */
  _dispose(): void {
    this._setScreen(null);
    this._setState('closed');
    for (const track of this.stream.getTracks()) {
      this.stream.removeTrack(track);
      track.stop();
    }
    this.#port = NO_PORT;
    this.removeAllListeners();
  }
}
