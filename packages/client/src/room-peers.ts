import { RendezvousError, type JoinedRoom, type PeerLeftReason, type RoomPeer, type SignalData } from '@rendezvous/protocol';
import type { LocalMedia, SendKind } from './local-media.js';
import { PeerLink, type PeerConnectionState } from './peer-link.js';
import { RemotePeer } from './remote-peer.js';
import type { RoomEvents, RoomOptions } from './room.js';
import type { SignalingClient } from './signaling-client.js';

/** What the peer set needs from its Room. */
export interface RoomPeersContext {
  readonly signaling: SignalingClient;
  readonly media: LocalMedia | null;
  readonly options: Omit<RoomOptions, 'displayName' | 'signaling' | 'token' | 'WebSocketImpl'>;
  isLeft(): boolean;
  emit<K extends keyof RoomEvents>(event: K, ...args: RoomEvents[K]): void;
}

const UNKNOWN_PEER_SIGNAL_TTL_MS = 10_000;
const SELF_RESET_IGNORE_MS = 5_000;
/** Default of `RoomOptions.maxRebuilds`. */
export const DEFAULT_MAX_REBUILDS = 3;

/**
 * The other members of a room and one PeerLink each: creating, rebuilding and closing links, routing
 * signals (holding those of peers not known yet), and reconciling with a server snapshot.
 */
export class RoomPeers {
  readonly #ctx: RoomPeersContext;
  readonly #peers = new Map<string, RemotePeer>();
  readonly #linkUnsubscribe = new Map<PeerLink, () => void>();
  readonly #unknownSignals = new Map<string, { at: number; data: SignalData[] }>();
  readonly #selfResetAt = new Map<string, number>();
  readonly #everConnected = new Set<string>();
  /** Rebuilds of each peer's connection since it last connected. */
  readonly #rebuilds = new Map<string, number>();

  constructor(ctx: RoomPeersContext) {
    this.#ctx = ctx;
  }

  get map(): ReadonlyMap<string, RemotePeer> {
    return this.#peers;
  }

  get(id: string): RemotePeer | undefined {
    return this.#peers.get(id);
  }

  /** Routes a relayed signal to the peer's link. */
  handleSignal(from: string, data: SignalData): void {
    const peer = this.#peers.get(from);
    if (peer !== undefined) void peer.link.handleSignal(data);
    else this.#holdUnknownSignal(from, data);
  }

  setSendTrack(kind: SendKind, track: MediaStreamTrack | null): void {
    for (const peer of this.#peers.values()) peer.link.setSendTrack(kind, track);
  }

  /** Gives every link the latest ICE servers (fresh TURN credentials after a resume). */
  refreshIceServers(): void {
    for (const peer of this.#peers.values()) {
      try {
        peer.link.pc.setConfiguration({ ...peer.link.pc.getConfiguration(), iceServers: this.#rtcConfig().iceServers ?? [] });
      } catch {
        // keep the old configuration
      }
    }
  }

  /** Closes every link and forgets every peer, without peer-left events. */
  closeAll(): void {
    for (const peer of [...this.#peers.values()]) this.remove(peer, null);
    this.#unknownSignals.clear();
  }

  add(info: RoomPeer, announce: boolean): RemotePeer {
    const existing = this.#peers.get(info.peerId);
    if (existing !== undefined) this.remove(existing, 'disconnected');
    const peer = new RemotePeer(info);
    this.#peers.set(peer.id, peer);
    this.#createLink(peer, info.polite, []);
    if (announce) this.#ctx.emit('peer-joined', peer);
    const pending = this.#unknownSignals.get(peer.id);
    this.#unknownSignals.delete(peer.id);
    for (const data of pending?.data ?? []) void peer.link.handleSignal(data);
    return peer;
  }

  remove(peer: RemotePeer, reason: PeerLeftReason | null): void {
    if (this.#peers.get(peer.id) !== peer) return;
    this.#peers.delete(peer.id);
    this.#selfResetAt.delete(peer.id);
    this.#everConnected.delete(peer.id);
    this.#rebuilds.delete(peer.id);
    this.#closeLink(peer.link);
    peer._setState('closed');
    peer._setScreen(null);
    peer._dispose();
    if (reason !== null) this.#ctx.emit('peer-left', peer, reason);
  }

  #createLink(peer: RemotePeer, polite: boolean, ignoreFingerprints: string[]): PeerLink {
    const media = this.#ctx.media;
    const link = new PeerLink({
      peerId: peer.id,
      polite,
      rtcConfig: this.#rtcConfig(),
      tracks: {
        audio: media?.sendTrack('audio') ?? null,
        video: media?.sendTrack('video') ?? null,
        screen: media?.sendTrack('screen') ?? null,
      },
      remoteStream: peer.stream,
      ignoreFingerprints,
      canRebuild: (reason) => this.#canRebuild(peer, reason),
      ...(this.#ctx.options.iceRestartTimeoutMs === undefined ? {} : { iceRestartTimeoutMs: this.#ctx.options.iceRestartTimeoutMs }),
      ...(this.#ctx.options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: this.#ctx.options.connectTimeoutMs }),
    });
    peer._setLink(link);
    const current = (): boolean => this.#peers.get(peer.id) === peer && peer.link === link;
    const offs = [
      link.on('signal', (data) => {
        if (current()) this.#sendSignal(peer.id, data);
      }),
      link.on('track', (track) => {
        if (current()) this.#ctx.emit('track', peer, track);
      }),
      link.on('screen', (stream) => {
        if (!current() || peer.screen === stream) return;
        peer._setScreen(stream);
        this.#ctx.emit('screen', peer, stream);
      }),
      link.on('state', (state) => {
        if (current()) this.#onLinkState(peer, link, state);
      }),
      link.on('error', (error) => {
        if (current()) this.#ctx.emit('error', error);
      }),
      link.on('reset', (origin) => {
        if (current()) this.#onReset(peer, origin);
      }),
    ];
    this.#linkUnsubscribe.set(link, () => offs.forEach((off) => off()));
    return link;
  }

  #closeLink(link: PeerLink): void {
    this.#linkUnsubscribe.get(link)?.();
    this.#linkUnsubscribe.delete(link);
    link.close();
  }

  /** A link must be rebuilt (`local`: it gave up; `remote`: the peer asked), unless the peer used up its rebuilds. */
  #onReset(peer: RemotePeer, origin: 'local' | 'remote'): void {
    if (origin === 'remote' && this.#resetCrossed(peer)) return;
    // A link that gave up asked #canRebuild first, so only the peer's request can find the budget spent here.
    if (!this.#hasRebuildsLeft(peer)) {
      this.#stop(peer, 'the peer asked for another rebuild');
      return;
    }
    this.#rebuilds.set(peer.id, (this.#rebuilds.get(peer.id) ?? 0) + 1);
    this.rebuild(peer, origin);
  }

  /** Asked by a link that gave up: true to rebuild, false (after stopping) when the peer used up its rebuilds. */
  #canRebuild(peer: RemotePeer, reason: string): boolean {
    if (this.#peers.get(peer.id) !== peer || this.#hasRebuildsLeft(peer)) return true;
    this.#stop(peer, reason);
    return false;
  }

  #hasRebuildsLeft(peer: RemotePeer): boolean {
    return (this.#rebuilds.get(peer.id) ?? 0) < (this.#ctx.options.maxRebuilds ?? DEFAULT_MAX_REBUILDS);
  }

  /** Gives up on a peer: its link is closed and it stays `failed` (until it rejoins or every link is rebuilt). */
  #stop(peer: RemotePeer, reason: string): void {
    this.#closeLink(peer.link);
    if (peer.screen !== null) {
      peer._setScreen(null);
      this.#ctx.emit('screen', peer, null);
    }
    if (peer._setState('failed')) this.#ctx.emit('peer-state', peer, 'failed');
    const count = this.#rebuilds.get(peer.id) ?? 0;
    const message = `Connection to ${peer.id} failed: ${reason}; gave up after ${count} rebuild${count === 1 ? '' : 's'}`;
    this.#ctx.emit('error', new RendezvousError('CONNECTION_FAILED', message));
  }

  /** Both sides gave up at the same moment: the peer's reset crossed ours. Our fresh link already is the answer. */
  #resetCrossed(peer: RemotePeer): boolean {
    const at = this.#selfResetAt.get(peer.id);
    return at !== undefined && Date.now() - at < SELF_RESET_IGNORE_MS && peer.link.pc.remoteDescription === null;
  }

  /** Replaces a peer's RTCPeerConnection (after `reset`), keeping the RemotePeer and its stream. */
  rebuild(peer: RemotePeer, origin: 'local' | 'remote', polite = peer.link.polite): void {
    const old = peer.link;
    if (origin === 'remote' && this.#resetCrossed(peer)) return;
    const ignore = old.remoteFingerprints();
    this.#closeLink(old);
    if (origin === 'local') this.#selfResetAt.set(peer.id, Date.now());
    else this.#selfResetAt.delete(peer.id);
    if (peer.screen !== null) {
      peer._setScreen(null);
      this.#ctx.emit('screen', peer, null);
    }
    this.#createLink(peer, polite, ignore);
    const state: PeerConnectionState = this.#everConnected.has(peer.id) ? 'reconnecting' : 'connecting';
    if (peer._setState(state)) this.#ctx.emit('peer-state', peer, state);
  }

  #onLinkState(peer: RemotePeer, link: PeerLink, state: PeerConnectionState): void {
    if (state === 'connected') {
      this.#everConnected.add(peer.id);
      this.#rebuilds.delete(peer.id);
      void link.selectedPath().then((path) => {
        if (this.#peers.get(peer.id) !== peer || peer.link !== link || link.state !== 'connected') return;
        if (peer._setState('connected', path)) this.#ctx.emit('peer-state', peer, 'connected');
      });
      return;
    }
    const mapped: PeerConnectionState =
      (state === 'new' || state === 'connecting') && this.#everConnected.has(peer.id) ? 'reconnecting' : state;
    if (peer._setState(mapped)) this.#ctx.emit('peer-state', peer, mapped);
  }

  #sendSignal(to: string, data: SignalData): void {
    if (this.#ctx.isLeft() || this.#ctx.signaling.state === 'closed') return;
    try {
      this.#ctx.signaling.send({ type: 'signal', to, data });
    } catch {
      // closed meanwhile
    }
  }

  #rtcConfig(): RTCConfiguration {
    const base = this.#ctx.options.rtcConfig ?? {};
    let serverIce: RTCIceServer[] = [];
    try {
      if (this.#ctx.options.useServerIceServers !== false) serverIce = this.#ctx.signaling.iceServers;
    } catch {
      // no welcome (cannot happen once joined)
    }
    return { ...base, iceServers: [...(base.iceServers ?? []), ...serverIce] };
  }

  /** A signal from a peer we do not know (yet): keep it briefly in case its peer-joined is late. */
  #holdUnknownSignal(from: string, data: SignalData): void {
    const now = Date.now();
    for (const [id, entry] of this.#unknownSignals) {
      if (now - entry.at > UNKNOWN_PEER_SIGNAL_TTL_MS) this.#unknownSignals.delete(id);
    }
    if (data.kind === 'reset') return;
    const entry = this.#unknownSignals.get(from) ?? { at: now, data: [] };
    if (entry.data.length < 100) entry.data.push(data);
    this.#unknownSignals.set(from, entry);
    if (this.#unknownSignals.size > 50) this.#unknownSignals.delete(this.#unknownSignals.keys().next().value as string);
  }

  /** Brings the peer list in line with a fresh snapshot; `rebuildAll` replaces every connection. */
  reconcile(snapshot: JoinedRoom, rebuildAll: boolean): void {
    const ids = new Set(snapshot.peers.map((p) => p.peerId));
    for (const peer of [...this.#peers.values()]) if (!ids.has(peer.id)) this.remove(peer, 'disconnected');
    for (const info of snapshot.peers) {
      const peer = this.#peers.get(info.peerId);
      if (peer === undefined) {
        this.add(info, true);
        continue;
      }
      if (peer._setInfo(info.displayName, info.media)) this.#ctx.emit('peer-updated', peer);
      if (rebuildAll || peer.link.polite !== info.polite) {
        this.#selfResetAt.delete(peer.id);
        this.#rebuilds.delete(peer.id); // a fresh start, also for a peer that was given up on
        this.rebuild(peer, 'remote', info.polite);
      }
    }
  }
}
