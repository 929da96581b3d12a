import type { ServerMessage, SignalData } from '@rendezvous/protocol';
import type { VideoCodecName } from './codecs.js';
import type { LinkSendKind } from './local-media.js';
import { MeshPeer, type MeshPeerOptions } from './mesh-peer.js';
import type { RemotePeer } from './remote-peer.js';
import type { RoomTransport, RoomTransportHost } from './room-transport.js';

/** How long signals of a peer not known yet are kept (its peer-joined may come after its first offer). */
const UNKNOWN_PEER_SIGNAL_TTL_MS = 10_000;
const MAX_UNKNOWN_PEERS = 50;
const MAX_SIGNALS_PER_UNKNOWN_PEER = 100;

/** A mesh: one MeshPeer (one RTCPeerConnection at a time) per other member. */
export class MeshTransport implements RoomTransport {
  readonly #host: RoomTransportHost;
  readonly #options: MeshPeerOptions;
  readonly #peers = new Map<string, MeshPeer>();
  readonly #unknown = new Map<string, { at: number; data: SignalData[] }>();
  #closed = false;

  constructor(host: RoomTransportHost, options: MeshPeerOptions) {
    this.#host = host;
    this.#options = options;
  }

  addPeer(peer: RemotePeer, polite: boolean): void {
    if (this.#closed) {
      return;
    }
    this.#peers.get(peer.peerId)?.close();
    const entry = new MeshPeer(peer, polite, this.#host, this.#options);
    this.#peers.set(peer.peerId, entry);
    const held = this.#unknown.get(peer.peerId);
    this.#unknown.delete(peer.peerId);
    for (const data of held?.data ?? []) {
      entry.handleSignal(data);
    }
  }

  removePeer(peerId: string): void {
    this.#peers.get(peerId)?.close();
    this.#peers.delete(peerId);
  }

  resync(peerId: string, polite: boolean, restart: boolean): void {
    const entry = this.#peers.get(peerId);
    if (entry !== undefined && (restart || entry.polite !== polite)) {
      entry.restart(polite);
    }
  }

  handleSignal(from: string, data: SignalData): void {
    const entry = this.#peers.get(from);
    if (entry !== undefined) {
      entry.handleSignal(data);
    } else if (!this.#closed) {
      this.#hold(from, data);
    }
  }

  /** Every peer connection restarts with the snapshot (`resync`). */
  rejoined(): void {}

  async uploadReports(): Promise<RTCStatsReport[]> {
    return (await Promise.all([...this.#peers.values()].map((entry) => entry.statsReports().catch(() => [])))).flat();
  }

  /** A mesh has no messages of its own. */
  handleMessage(_message: ServerMessage): void {}

  setVideoCodec(codec: VideoCodecName | null): void {
    for (const entry of this.#peers.values()) {
      entry.setVideoCodec(codec);
    }
  }

  setSendTrack(kind: LinkSendKind, track: MediaStreamTrack | null): void {
    for (const entry of this.#peers.values()) {
      entry.setSendTrack(kind, track);
    }
  }

  refreshIceServers(): void {
    const iceServers = this.#host.rtcConfig().iceServers ?? [];
    for (const entry of this.#peers.values()) {
      entry.setIceServers(iceServers);
    }
  }

  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    for (const entry of this.#peers.values()) {
      entry.close();
    }
    this.#peers.clear();
    this.#unknown.clear();
  }

  /** A signal from a peer we do not know (yet): keep it briefly in case its peer-joined is late. */
  #hold(from: string, data: SignalData): void {
    const now = this.#options.now();
    for (const [id, entry] of this.#unknown) {
      if (now - entry.at > UNKNOWN_PEER_SIGNAL_TTL_MS) {
        this.#unknown.delete(id);
      }
    }
    if (data.kind === 'reset') {
      return;
    }
    const entry = this.#unknown.get(from) ?? { at: now, data: [] };
    if (entry.data.length < MAX_SIGNALS_PER_UNKNOWN_PEER) {
      entry.data.push(data);
    }
    this.#unknown.set(from, entry);
    if (this.#unknown.size > MAX_UNKNOWN_PEERS) {
      this.#unknown.delete(this.#unknown.keys().next().value as string);
    }
  }
}
