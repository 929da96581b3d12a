import { DEFAULT_MEDIA_STATE, type MediaState, type PeerInfo } from '@rendezvous/protocol';
import type { CandidatePath } from './candidate-path.js';
import type { PeerConnectionState, PeerLink } from './peer-link.js';

/**
 * Another member of a room as this client sees it. The Room keeps it up to date; `stream` is the same
 * MediaStream for the peer's whole stay, even when the connection underneath is rebuilt.
 */
export class RemotePeer {
  readonly id: string;
  /** Camera + microphone of the peer. Exists before any track arrives. */
  readonly stream: MediaStream;
  #displayName: string;
  #media: MediaState;
  #screen: MediaStream | null = null;
  #state: PeerConnectionState = 'new';
  #path: CandidatePath = 'unknown';
  #link: PeerLink | null = null;

  /** @internal Created by Room. */
  constructor(info: PeerInfo) {
    this.id = info.peerId;
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
  /** The current connection (replaced when the connection is rebuilt). */
  get link(): PeerLink {
    if (this.#link === null) throw new Error('RemotePeer has no link yet');
    return this.#link;
  }
  get info(): PeerInfo {
    return { peerId: this.id, displayName: this.#displayName, media: this.media };
  }

  /** Level 0..1 of the peer's microphone (0 when muted). */
  audioLevel(): number {
    if (this.#media.audioMuted || this.#link === null) return 0;
    return this.#link.audioLevel();
  }

  /** @internal */
  _setLink(link: PeerLink): void {
    this.#link = link;
  }
  /** @internal Returns whether anything changed. */
  _setInfo(displayName: string, media: MediaState): boolean {
    const changed =
      displayName !== this.#displayName ||
      media.audioMuted !== this.#media.audioMuted ||
      media.videoMuted !== this.#media.videoMuted ||
      media.screenSharing !== this.#media.screenSharing;
    this.#displayName = displayName;
    this.#media = { ...media };
    return changed;
  }
  /** @internal */
  _setScreen(screen: MediaStream | null): void {
    this.#screen = screen;
  }
  /** @internal Returns whether the state changed. */
  _setState(state: PeerConnectionState, path?: CandidatePath): boolean {
    if (path !== undefined) this.#path = path;
    if (state === this.#state) return false;
    this.#state = state;
    return true;
  }
  /** @internal Stops the tracks of `stream` (the peer left). */
  _dispose(): void {
    for (const track of this.stream.getTracks()) {
      this.stream.removeTrack(track);
      track.stop();
    }
  }
}
