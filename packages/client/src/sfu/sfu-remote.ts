import { RendezvousError, type SfuGroup, type SfuSource } from '@rendezvous/protocol';
import { receiverAudioLevel } from '../audio-level.js';
import { selectedPath } from '../candidate-path.js';
import type { PeerConnectionState } from '../ice-supervisor.js';
import type { RemotePeer } from '../remote-peer.js';
import type { RoomTransportHost } from '../room-transport.js';
import { SfuRetry } from './sfu-retry.js';
import { SfuSubscriber } from './sfu-subscriber.js';

const GROUP_SOURCES: Record<SfuGroup, readonly SfuSource[]> = { camera: ['audio', 'video'], screen: ['screen', 'screenAudio'] };

/**
 * Another member of an SFU room: what it publishes (from `sfu-sources`) and this client's subscriptions to it, one per
 * source group. It puts the camera group's tracks on the peer's `stream` while the member publishes them, and the
 * screen group as the peer's `screen`.
 */
export class SfuRemote {
  readonly view: RemotePeer;
  readonly #host: RoomTransportHost;
  readonly #retry: SfuRetry;
  readonly #subscribers = new Map<SfuGroup, SfuSubscriber>();
  #sources = new Set<SfuSource>();
  #screen: MediaStream | null = null;
  #closed = false;

  constructor(view: RemotePeer, host: RoomTransportHost, maxAttempts: number) {
    this.view = view;
    this.#host = host;
    this.#retry = new SfuRetry(maxAttempts);
    view._setPort({
      statsReports: () => Promise.all([...this.#subscribers.values()].map((subscriber) => subscriber.connection.getStats())),
      audioLevel: () => {
        const camera = this.#subscribers.get('camera');
        return camera === undefined || !this.#sources.has('audio') ? 0 : receiverAudioLevel(camera.audioReceiver);
      },
    });
    this.#updateState();
  }

  /** What the member publishes now. */
  setSources(sources: readonly SfuSource[]): void {
    if (this.#closed) {
      return;
    }
    this.#sources = new Set(sources);
    for (const group of ['camera', 'screen'] as const) {
      const wanted = GROUP_SOURCES[group].some((source) => this.#sources.has(source));
      if (wanted && !this.#subscribers.has(group)) {
        this.#subscribe(group);
      } else if (!wanted && this.#subscribers.has(group)) {
        this.#retry.cancel(group);
        this.#drop(group, true);
      }
    }
    this.#showTracks();
  }

  /** Fresh subscriptions (after a resume that lost them, or when the server closed one: `group`). */
  restart(group?: SfuGroup): void {
    for (const each of group === undefined ? ([...this.#subscribers.keys()] as SfuGroup[]) : [group]) {
      this.#drop(each, false);
      this.#subscribe(each);
    }
    this.#showTracks();
  }

  /** Idempotent. */
  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    this.#retry.close();
    for (const group of [...this.#subscribers.keys()]) {
      this.#drop(group, true);
    }
    this.view._setScreen(null);
    this.view._setPort(null);
  }

  #subscribe(group: SfuGroup): void {
    const subscriber = new SfuSubscriber(this.view.peerId, group, this.#host, (state) => this.#onState(subscriber, state));
    this.#subscribers.set(group, subscriber);
    subscriber.start().catch((error: unknown) => this.#onFailed(subscriber, error));
    this.#updateState();
  }

  #drop(group: SfuGroup, unsubscribe: boolean): void {
    const subscriber = this.#subscribers.get(group);
    if (subscriber === undefined) {
      return;
    }
    this.#subscribers.delete(group);
    for (const track of [subscriber.audio, subscriber.video]) {
      this.view.stream.removeTrack(track);
    }
    subscriber.close(unsubscribe);
    this.#updateState();
  }

  /** The camera group's tracks on `view.stream` while published; the screen group as `view.screen`. */
  #showTracks(): void {
    const camera = this.#subscribers.get('camera');
    if (camera !== undefined) {
      this.#show(camera.audio, this.#sources.has('audio'));
      this.#show(camera.video, this.#sources.has('video'));
    }
    const screen = this.#subscribers.get('screen');
    const video = screen !== undefined && this.#sources.has('screen') ? screen.video : null;
    const audio = video !== null && this.#sources.has('screenAudio') ? (screen?.audio ?? null) : null;
    if (
      this.#screen?.getVideoTracks()[0] !== (video ?? undefined) ||
      this.#screen?.getAudioTracks()[0] !== (audio ?? undefined)
    ) {
      this.#screen = video === null ? null : new MediaStream(audio === null ? [video] : [video, audio]);
      this.view._setScreen(this.#screen);
    }
  }

  #show(track: MediaStreamTrack, shown: boolean): void {
    const has = this.view.stream.getTracks().includes(track);
    if (shown && !has) {
      this.view.stream.addTrack(track);
      this.view._track(track);
    } else if (!shown && has) {
      this.view.stream.removeTrack(track);
    }
  }

  #onState(subscriber: SfuSubscriber, state: PeerConnectionState): void {
    if (this.#subscribers.get(subscriber.group) !== subscriber) {
      return;
    }
    if (state === 'failed') {
      this.#onFailed(subscriber, new RendezvousError('CONNECTION_FAILED', 'The connection to the server failed'));
      return;
    }
    if (state === 'connected') {
      this.#retry.succeeded(subscriber.group);
      void selectedPath(subscriber.connection).then((path) => {
        if (!this.#closed) {
          this.view._setPath(path);
        }
      });
    }
    this.#updateState();
  }

  #onFailed(subscriber: SfuSubscriber, error: unknown): void {
    const group = subscriber.group;
    if (this.#closed || this.#subscribers.get(group) !== subscriber) {
      return;
    }
    this.#drop(group, false);
    const attempt = this.#retry.failed(group, error, () => this.restart(group));
    const peerId = this.view.peerId;
    if (attempt === null) {
      this.view._setState('failed');
      this.#host.reportError(
        error instanceof RendezvousError && error.code !== 'CONNECTION_FAILED'
          ? error
          : new RendezvousError('CONNECTION_FAILED', `Receiving ${peerId}'s ${group} through the server failed`, {
              cause: error,
              detail: { peerId },
            }),
      );
      return;
    }
    this.view._setState('reconnecting');
    this.#host.reportError(
      new RendezvousError('CONNECTION_RETRYING', `Receiving ${peerId}'s ${group} failed; trying again`, {
        cause: error,
        detail: { peerId, attempt },
      }),
    );
  }

  /** The peer's state: its camera subscription's (else its screen's), or `connected` with nothing to receive. */
  #updateState(): void {
    const subscriber = this.#subscribers.get('camera') ?? this.#subscribers.get('screen');
    if (subscriber === undefined) {
      this.view._setState('connected');
      return;
    }
    const state = subscriber.connection.connectionState;
    this.view._setState(state === 'new' ? 'connecting' : state === 'disconnected' ? 'reconnecting' : state);
  }
}
