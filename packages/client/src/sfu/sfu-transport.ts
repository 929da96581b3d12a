import { RendezvousError, type ServerMessage, type SfuSource, type SignalData } from '@rendezvous/protocol';
import type { VideoCodecName } from '../codecs.js';
import type { LinkSendKind } from '../local-media.js';
import type { RemotePeer } from '../remote-peer.js';
import type { RoomTransport, RoomTransportHost } from '../room-transport.js';
import { RelayHub } from './relay-hub.js';
import { SfuPublisher } from './sfu-publisher.js';
import { SfuRemote } from './sfu-remote.js';
import { SfuRetry } from './sfu-retry.js';

/** Sources announced for members not added yet (their `sfu-sources` can come before `peer-joined`), at most this many. */
const MAX_EARLY_SOURCES = 200;

/**
 * A room in SFU mode: each local source goes to the server over a connection of its own (SfuPublisher), and each
 * other member's media comes from the server (SfuRemote: one connection per source group). Members never connect to
 * each other; the server only relays.
 */
export class SfuTransport implements RoomTransport {
  readonly #host: RoomTransportHost;
  readonly #maxAttempts: number;
  readonly #publishers = new Map<SfuSource, SfuPublisher>();
  readonly #remotes = new Map<string, SfuRemote>();
  readonly #early = new Map<string, SfuSource[]>();
  readonly #retry: SfuRetry;
  /** Data (messages, streams, chat, files) goes through the server too. */
  readonly #relay: RelayHub;
  #codec: VideoCodecName | null;
  #closed = false;

  constructor(host: RoomTransportHost, options: { maxRebuilds: number }) {
    this.#host = host;
    this.#maxAttempts = options.maxRebuilds;
    this.#retry = new SfuRetry(options.maxRebuilds);
    this.#relay = new RelayHub({
      send: (message) => host.send(message),
      queuedFrames: () => host.outbox.queuedFrames(),
      onSent: (listener) => host.outbox.onSent(listener),
      relayBytesPerSecond: () => host.outbox.relayBytesPerSecond(),
    });
    this.#codec = host.videoCodec();
    for (const [kind, track] of Object.entries(host.sendTracks()) as [LinkSendKind, MediaStreamTrack | null][]) {
      this.setSendTrack(kind, track);
    }
  }

  addPeer(peer: RemotePeer): void {
    if (this.#closed) {
      return;
    }
    this.#remotes.get(peer.peerId)?.close();
    const remote = new SfuRemote(peer, this.#host, this.#maxAttempts);
    this.#remotes.set(peer.peerId, remote);
    const early = this.#early.get(peer.peerId);
    this.#early.delete(peer.peerId);
    if (early !== undefined) {
      remote.setSources(early);
    }
    this.#host.data.attach(peer.peerId, this.#relay.addPeer(peer.peerId));
  }

  removePeer(peerId: string): void {
    if (this.#remotes.has(peerId)) {
      this.#host.data.detach(peerId);
    }
    this.#relay.removePeer(peerId);
    this.#remotes.get(peerId)?.close();
    this.#remotes.delete(peerId);
    this.#early.delete(peerId);
  }

  resync(peerId: string, _polite: boolean, restart: boolean): void {
    if (restart) {
      this.#remotes.get(peerId)?.restart();
    }
  }

  async uploadReports(): Promise<RTCStatsReport[]> {
    const publishers = [...this.#publishers.values()];
    return Promise.all(publishers.map((publisher) => publisher.connection.getStats()));
  }

  /** Members of an SFU room exchange no signals. */
  handleSignal(_from: string, _data: SignalData): void {}

  handleMessage(message: ServerMessage): void {
    if (this.#closed) {
      return;
    }
    if (message.type === 'relay') {
      this.#relay.receive(message);
    } else if (message.type === 'sfu-sources') {
      const remote = this.#remotes.get(message.peerId);
      if (remote !== undefined) {
        remote.setSources(message.sources);
      } else if (this.#early.size < MAX_EARLY_SOURCES || this.#early.has(message.peerId)) {
        this.#early.set(message.peerId, message.sources);
      }
    } else if (message.type === 'sfu-closed') {
      if (message.source !== undefined) {
        const publisher = this.#publishers.get(message.source);
        if (publisher !== undefined) {
          this.#publicationFailed(publisher, new RendezvousError('CONNECTION_FAILED', 'The server closed the connection'));
        }
      } else if (message.peerId !== undefined && message.group !== undefined) {
        this.#remotes.get(message.peerId)?.restart(message.group);
      }
    }
  }

  setSendTrack(kind: LinkSendKind, track: MediaStreamTrack | null): void {
    if (this.#closed) {
      return;
    }
    const publisher = this.#publishers.get(kind);
    if (track === null) {
      this.#retry.cancel(kind);
      publisher?.close(true);
      this.#publishers.delete(kind);
    } else if (publisher !== undefined) {
      publisher.replaceTrack(track);
    } else {
      this.#publish(kind, track);
    }
  }

  /** Takes effect with a new publication of the camera (the server forwards whatever codec it is sent). */
  setVideoCodec(codec: VideoCodecName | null): void {
    this.#codec = codec;
    const track = this.#host.sendTracks().video;
    if (track !== null && this.#publishers.has('video')) {
      this.#publishers.get('video')?.close(true);
      this.#publishers.delete('video');
      this.#publish('video', track);
    }
  }

  /** The server dropped this client's publications with its old session: publish every source again. */
  rejoined(): void {
    if (this.#closed) {
      return;
    }
    for (const publisher of this.#publishers.values()) {
      publisher.close(false);
    }
    this.#publishers.clear();
    for (const [kind, track] of Object.entries(this.#host.sendTracks()) as [LinkSendKind, MediaStreamTrack | null][]) {
      this.setSendTrack(kind, track);
    }
  }

  refreshIceServers(): void {
    const iceServers = this.#host.rtcConfig().iceServers ?? [];
    for (const publisher of this.#publishers.values()) {
      publisher.connection.setConfiguration({ ...publisher.connection.getConfiguration(), iceServers });
    }
  }

  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    this.#retry.close();
    this.#relay.close();
    for (const publisher of this.#publishers.values()) {
      publisher.close(true);
    }
    this.#publishers.clear();
    for (const remote of this.#remotes.values()) {
      remote.close();
    }
    this.#remotes.clear();
    this.#early.clear();
  }

  #publish(source: SfuSource, track: MediaStreamTrack): void {
    const publisher = new SfuPublisher(source, track, this.#host, this.#codec, {
      connected: () => this.#retry.succeeded(source),
      failed: (p, reason) => this.#publicationFailed(p, new RendezvousError('CONNECTION_FAILED', reason)),
    });
    this.#publishers.set(source, publisher);
    publisher.start().catch((error: unknown) => this.#publicationFailed(publisher, error));
  }

  /** A publication failed: publish the source's current track again after a backoff, while attempts last. */
  #publicationFailed(publisher: SfuPublisher, error: unknown): void {
    const source = publisher.source;
    if (this.#closed || this.#publishers.get(source) !== publisher) {
      return;
    }
    publisher.close(false);
    this.#publishers.delete(source);
    const attempt = this.#retry.failed(source, error, () => {
      const track = this.#host.sendTracks()[source];
      if (track !== null && !this.#publishers.has(source)) {
        this.#publish(source, track);
      }
    });
    this.#host.reportError(
      attempt === null
        ? error instanceof RendezvousError && error.code !== 'CONNECTION_FAILED'
          ? error
          : new RendezvousError('CONNECTION_FAILED', `Sending ${source} to the server failed`, { cause: error })
        : new RendezvousError('CONNECTION_RETRYING', `Sending ${source} to the server failed; trying again`, {
            cause: error,
            detail: { attempt },
          }),
    );
  }
}
