import { RendezvousError, type SignalData } from '@rendezvous/protocol';
import type { PeerChannels } from './data/channel-port.js';
import { MESSAGE_CHANNEL_LABEL, PeerLink, type PeerConnectionState } from './peer-link.js';
import type { RemotePeer } from './remote-peer.js';
import type { RoomTransportHost } from './room-transport.js';
import type { VideoCodecName } from './codecs.js';
import type { LinkSendKind } from './local-media.js';

/** The policy knobs of a mesh peer (RoomOptions). */
export interface MeshPeerOptions {
  iceRestartTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Rebuilds in a row (none connected) before the peer is left `failed`. */
  maxRebuilds: number;
  /** Clock for the crossed-reset window (ms). */
  now(): number;
}

/** A peer's reset that arrives this soon after ours, before it answered us, crossed ours. */
const CROSSED_RESET_MS = 5_000;
/** Channels a peer may open before its message channel arrives (held until then). */
const MAX_EARLY_CHANNELS = 16;

/**
 * Everything about one remote member on a mesh: its current PeerLink, the rebuild budget, whether it
 * ever connected, and the rebuild policy. The link only reports what happened; this decides.
 */
export class MeshPeer {
  readonly view: RemotePeer;
  readonly #host: RoomTransportHost;
  readonly #options: MeshPeerOptions;
  #polite: boolean;
  #link: PeerLink | null = null;
  #unsubscribe: (() => void)[] = [];
  #everConnected = false;
  /** Rebuilds since the connection last connected. */
  #rebuilds = 0;
  /** When this side last asked the peer for a rebuild. */
  #resetAt: number | null = null;
  #channels: PeerChannels | null = null;
  /** Listeners of the data layer for channels the peer opens on the current link. */
  #channelListeners = new Set<(channel: RTCDataChannel) => void>();
  #earlyChannels: RTCDataChannel[] = [];
  #closed = false;

  constructor(view: RemotePeer, polite: boolean, host: RoomTransportHost, options: MeshPeerOptions) {
    this.view = view;
    this.#polite = polite;
    this.#host = host;
    this.#options = options;
    view._setPort({
      statsReports: () => this.statsReports(),
      audioLevel: () => this.#link?.audioLevel() ?? 0,
    });
    this.#connect([]);
  }

  /** The stats of the current connection (none between connections). */
  async statsReports(): Promise<RTCStatsReport[]> {
    return this.#link === null ? [] : [await this.#link.getStats()];
  }

  get polite(): boolean {
    return this.#polite;
  }

  handleSignal(data: SignalData): void {
    if (this.#closed || this.#link === null) {
      return;
    }
    if (data.kind === 'reset') {
      this.#onRemoteReset();
    } else {
      void this.#link.handleSignal(data);
    }
  }

  setVideoCodec(codec: VideoCodecName | null): void {
    this.#link?.setVideoCodec(codec);
  }

  setSendTrack(kind: LinkSendKind, track: MediaStreamTrack | null): void {
    this.#link?.setSendTrack(kind, track);
  }

  setIceServers(iceServers: RTCIceServer[]): void {
    this.#link?.setIceServers(iceServers);
  }

  /** A fresh start after a snapshot: new connection, full rebuild budget (also for a peer given up on). */
  restart(polite: boolean): void {
    if (this.#closed) {
      return;
    }
    this.#polite = polite;
    this.#rebuilds = 0;
    this.#resetAt = null;
    this.#replace(false);
  }

  /** Closes the connection for good. Idempotent. */
  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    this.#dropLink();
    this.view._setPort(null);
  }

  // ---- policy ----

  /** This side gave up on the link: rebuild (telling the peer) while the budget lasts, else stop. */
  #onFailed(reason: string): void {
    if (this.#rebuilds >= this.#options.maxRebuilds) {
      this.#stop(reason);
      return;
    }
    this.#rebuilds += 1;
    this.#host.reportError(
      new RendezvousError('CONNECTION_RETRYING', `Connection to ${this.view.peerId} failed: ${reason}; rebuilding`, {
        detail: { peerId: this.view.peerId, attempt: this.#rebuilds },
      }),
    );
    this.#host.sendSignal(this.view.peerId, { kind: 'reset' });
    this.#replace(true);
  }

  /** The peer asks for a rebuild. Ignored when it crossed ours (our fresh link already is the answer). */
  #onRemoteReset(): void {
    const crossed =
      this.#resetAt !== null && this.#options.now() - this.#resetAt < CROSSED_RESET_MS && this.#link?.negotiated === false;
    if (crossed) {
      return;
    }
    if (this.#rebuilds >= this.#options.maxRebuilds) {
      this.#stop('the peer asked for another rebuild');
      return;
    }
    this.#rebuilds += 1;
    this.#replace(false);
  }

  /** Gives up: no connection, state `failed` until the peer rejoins or the room resyncs. */
  #stop(reason: string): void {
    this.#dropLink();
    this.view._setScreen(null);
    this.view._setState('failed');
    const count = this.#rebuilds;
    this.#host.reportError(
      new RendezvousError(
        'CONNECTION_FAILED',
        `Connection to ${this.view.peerId} failed: ${reason}; gave up after ${count} rebuild${count === 1 ? '' : 's'}`,
        { detail: { peerId: this.view.peerId, rebuilds: count } },
      ),
    );
  }

  // ---- the link ----

  /** Replaces the link (keeping the view and its stream). `local`: this side asked for it. */
  #replace(local: boolean): void {
    const ignore = this.#link?.remoteFingerprints() ?? [];
    this.#dropLink();
    this.#resetAt = local ? this.#options.now() : null;
    this.view._setScreen(null);
    this.#connect(ignore);
    this.view._setState(this.#everConnected ? 'reconnecting' : 'connecting');
  }

  #connect(ignoreFingerprints: string[]): void {
    const link = new PeerLink({
      peerId: this.view.peerId,
      polite: this.#polite,
      rtcConfig: this.#host.rtcConfig(),
      tracks: this.#host.sendTracks(),
      remoteStream: this.view.stream,
      ignoreFingerprints,
      messageChannel: !this.#polite,
      videoCodec: this.#host.videoCodec(),
      ...(this.#options.iceRestartTimeoutMs === undefined ? {} : { iceRestartTimeoutMs: this.#options.iceRestartTimeoutMs }),
      ...(this.#options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: this.#options.connectTimeoutMs }),
    });
    this.#link = link;
    this.#unsubscribe = [
      link.on('signal', (data) => this.#host.sendSignal(this.view.peerId, data)),
      link.on('track', (track) => this.view._track(track)),
      link.on('screen', (stream) => this.view._setScreen(stream)),
      link.on('state', (state) => this.#onLinkState(link, state)),
      link.on('route', () => void this.#readPath(link)),
      link.on('failed', (reason) => this.#onFailed(reason)),
      link.on('error', (error) => this.#host.reportError(error)),
      link.on('channel', (channel) => this.#onChannel(link, channel)),
    ];
    if (link.messageChannel !== null) {
      this.#attachChannels(link, link.messageChannel);
    }
  }

  #dropLink(): void {
    for (const off of this.#unsubscribe.splice(0)) {
      off();
    }
    if (this.#channels !== null) {
      this.#host.data.detach(this.view.peerId);
    }
    this.#channels = null;
    this.#channelListeners = new Set();
    for (const early of this.#earlyChannels.splice(0)) {
      early.close();
    }
    this.#link?.close();
    this.#link = null;
  }

  #onLinkState(link: PeerLink, state: PeerConnectionState): void {
    if (state === 'connected') {
      this.#everConnected = true;
      this.#rebuilds = 0;
      void this.#readPath(link);
      return;
    }
    // `failed` comes with the link's `failed` event, which decides; `closed` is ours.
    if (state === 'failed' || state === 'closed') {
      return;
    }
    this.view._setState((state === 'new' || state === 'connecting') && this.#everConnected ? 'reconnecting' : state);
  }

  /** Reads the selected path, then reports it (before `connected`, so a state listener sees the path). */
  async #readPath(link: PeerLink): Promise<void> {
    const path = await link.selectedPath();
    if (this.#link !== link || link.state !== 'connected') {
      return;
    }
    if (path !== 'unknown') {
      this.view._setPath(path);
    }
    this.view._setState('connected');
  }

  // ---- data channels ----

  #onChannel(link: PeerLink, channel: RTCDataChannel): void {
    if (this.#channels === null && channel.label === MESSAGE_CHANNEL_LABEL) {
      this.#attachChannels(link, channel);
      for (const early of this.#earlyChannels.splice(0)) {
        this.#emitChannel(early);
      }
    } else if (this.#channels === null) {
      if (this.#earlyChannels.length < MAX_EARLY_CHANNELS) {
        this.#earlyChannels.push(channel);
      } else {
        channel.close();
      }
    } else {
      this.#emitChannel(channel);
    }
  }

  #emitChannel(channel: RTCDataChannel): void {
    for (const listener of this.#channelListeners) {
      listener(channel);
    }
  }

  #attachChannels(link: PeerLink, messages: RTCDataChannel): void {
    const listeners = this.#channelListeners;
    this.#channels = {
      messages,
      open: (label) => link.createChannel(label),
      onChannel: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    this.#host.data.attach(this.view.peerId, this.#channels);
  }
}
