import {
  RendezvousError,
  type ClientMessageInput,
  type JoinedRoom,
  type MediaState,
  type RoomMember,
  type RoomMode,
  type ServerMessage,
} from '@rendezvous/protocol';
import { RoomData, type JsonValue, type OutgoingStream, type SendData, type SendOptions, type StreamMeta } from './data/index.js';
import type { VideoCodecName } from './codecs.js';
import type { LocalMedia } from './local-media.js';
import type { RemotePeer } from './remote-peer.js';
import { PresenceFeed } from './presence-feed.js';
import type { Chat } from './chat/index.js';
import type { FileTransfers } from './files/index.js';
import type { Hands, Reactions, RecordingNotices } from './presence/index.js';
import { RoomFeatures } from './room-features.js';
import { RoomMembers } from './room-members.js';
import { meshTransport, sfuTransport, type RoomEvents, type RoomInit, type RoomOptions, type RoomState } from './room-options.js';
import type { RoomTransport } from './room-transport.js';
import { roomTransportHost } from './room-transport-host.js';
import { joinRequest, joinRoom, leaveRoom, roomEventMessage } from './room-join.js';
import type { SignalingClient, SignalingState, Welcome } from './signaling-client.js';
import { SpeakerMonitor } from './speaker-monitor.js';
import { UploadMeter, type UploadStats } from './stats/upload-stats.js';
import { TypedEmitter } from './typed-emitter.js';

export { DEFAULT_MAX_REBUILDS, type RoomEvents, type RoomInit, type RoomOptions, type RoomState } from './room-options.js';

/** A room: its members, the local media sent to each, and the session that keeps it. */
export class Room extends TypedEmitter<RoomEvents> {
  readonly name: string;
  readonly signaling: SignalingClient;
  readonly media: LocalMedia | null;
  /**
   * How the room moves media, fixed when it was created: `mesh` (each member connects to each other one) or `sfu`
   * (each member sends its media once, to the server). The API is the same either way.
   */
  readonly mode: RoomMode;
  readonly #transport: RoomTransport;
  readonly #data = new RoomData();
  readonly #members: RoomMembers;
  readonly #init: RoomInit;
  #self: RoomMember;
  #capacity: number;
  #state: RoomState = 'joined';
  #leaving: Promise<void> | null = null;
  readonly #unsubscribe: (() => void)[] = [];
  readonly #speakers: SpeakerMonitor;
  readonly #upload = new UploadMeter();
  readonly #presence: PresenceFeed;
  #videoCodec: VideoCodecName | null;
  readonly #features: RoomFeatures;
  /** Chat: room-wide and private messages with delivery acknowledgements and history (see docs/sdk.md). */
  readonly chat: Chat;
  /** File transfer to one member or the whole room. */
  readonly files: FileTransfers;
  /** Raised hands, in the order the server saw them. */
  readonly hands: Hands;
  /** Short-lived emoji reactions. */
  readonly reactions: Reactions;
  /** Who says they are recording the call. */
  readonly recordings: RecordingNotices;

  /** Connects (unless a SignalingClient is given) and joins `name`. A failure stops `options.media`. */
  static join(url: string, name: string, options: RoomOptions): Promise<Room> {
    return joinRoom(url, name, options, (init) => new Room(init));
  }

  /** @internal Messages that arrived between the `joined` reply and the Room's creation. */
  _deliver(messages: readonly ServerMessage[]): void {
    for (const message of messages) {
      this.#onMessage(message);
    }
  }

  /** @internal Use `Room.join`. */
  constructor(init: RoomInit) {
    super();
    this.#init = init;
    this.signaling = init.signaling;
    this.media = init.options.media ?? null;
    this.name = init.joined.room;
    this.#self = init.joined.self;
    this.#capacity = init.joined.capacity;
    this.#videoCodec = init.options.videoCodec ?? null;
    this.mode = init.joined.mode ?? 'mesh';
    const transport =
      init.transport ?? ((host) => (this.mode === 'sfu' ? sfuTransport(init.options, host) : meshTransport(init.options, host)));
    this.#transport = transport(
      roomTransportHost({
        options: init.options,
        signaling: this.signaling,
        media: this.media,
        data: this.#data,
        videoCodec: () => this.#videoCodec,
        send: (message) => this.#send(message),
        reportError: (error) => {
          if (!this.#isLeft()) {
            this.emit('error', error);
          }
        },
      }),
    );
    this.#members = new RoomMembers(this.#transport, this.#data, (event, ...args) => void this.emit(event, ...args));
    this.#listen();
    this.#speakers = new SpeakerMonitor(
      {
        local: () => ({
          id: this.peerId,
          track: this.media === null || this.media.state.audioMuted ? null : this.media.audioTrack,
        }),
        remote: () => new Map([...this.#members.map.values()].map((peer) => [peer.peerId, peer.audioLevel()])),
        wanted: () => this.listenerCount('active-speaker') > 0,
        onChange: (speaker) => this.emit('active-speaker', speaker),
      },
      init.options.activeSpeaker,
    );
    this.#presence = new PresenceFeed(init.joined);
    this.#features = new RoomFeatures({
      peerId: () => this.peerId,
      peers: this.#members.map,
      data: this.#data,
      events: this,
      presence: this.#presence,
      request: (message) => this.signaling.request(message, 'peer-updated'),
      sendEvent: (event, data) => this.sendEvent(event, data),
    });
    ({
      chat: this.chat,
      files: this.files,
      hands: this.hands,
      reactions: this.reactions,
      recordings: this.recordings,
    } = this.#features);
    for (const info of init.joined.peers) {
      this.#members.add(info, false);
    }
  }

  /** This client's own peer id in the room. */
  get peerId(): string {
    return this.#self.peerId;
  }
  /** This client as the room sees it: name, media state, raised hand, recording notice. */
  get self(): RoomMember {
    return { ...this.#self, media: this.media?.state ?? this.#self.media };
  }
  get capacity(): number {
    return this.#capacity;
  }
  get peers(): ReadonlyMap<string, RemotePeer> {
    return this.#members.map;
  }
  get state(): RoomState {
    return this.#state;
  }
  /** The active speaker's id (a peer's or this client's `peerId`), or null. Updated only while someone listens for it. */
  get activeSpeaker(): string | null {
    return this.#speakers.current;
  }
  /** The preferred video codec (null: the browser's default order). */
  get videoCodec(): VideoCodecName | null {
    return this.#videoCodec;
  }

  /**
   * Prefers `codec` for video sent and received from now on (renegotiates each connection; where the other
   * side lacks it, the next codec both have is used). `supportedVideoCodecs()` says what this browser has.
   */
  setVideoCodec(codec: VideoCodecName | null): void {
    this.#videoCodec = codec;
    this.#transport.setVideoCodec(codec);
  }

  /**
   * How this client's upload is doing, summed over what it sends (to each member in a mesh, to the server in an SFU
   * room): bitrate since the previous call, loss and round trip as receivers report them, the camera's encoded size and
   * rate, and what limits it. Null while nothing is sent. Call it at an interval (once a second, say).
   */
  async uploadStats(): Promise<UploadStats | null> {
    const reports = await this.#transport.uploadReports().catch(() => []);
    return this.#upload.sample(reports);
  }

  /** The local microphone level 0..1, while active-speaker detection runs. */
  localAudioLevel(): number {
    return this.#speakers.localLevel();
  }

  /**
   * Sends a message to every member, or to `options.to` (one id or several), over data channels. Up to
   * 64 KiB; queued while a member's channel opens. Throws DATA_TOO_LARGE (detail: size, limit).
   */
  send(data: SendData, options?: SendOptions): void {
    this.#data.send(data, options);
  }

  /**
   * Tells every other member something small through the server (a raised hand, a reaction): `event` is
   * a name like `hand` or `reaction:clap` (lower case, up to 64 characters), `data` a JSON value of up to
   * `signaling.config.maxRoomEventBytes` (4096 by default). Throws DATA_TOO_LARGE past that.
   */
  sendEvent(event: string, data?: JsonValue): void {
    if (this.#isLeft()) {
      throw new RendezvousError('INVALID_STATE', 'The room was left');
    }
    this.signaling.send(roomEventMessage(this.signaling, event, data));
  }

  /** Opens a stream to one member (for a file: write chunks, then `end()`; progress events). */
  openStream(to: string, meta?: StreamMeta): OutgoingStream {
    return this.#data.openStream(to, meta);
  }

  /** Closes every connection, stops the local media it was given, says `leave`, closes its own signaling. */
  leave(): Promise<void> {
    if (this.#leaving !== null) {
      return this.#leaving;
    }
    const wasIn = this.#state !== 'closed';
    this.#teardown();
    const signaling = this.signaling;
    this.#leaving = wasIn ? leaveRoom(signaling, this.#init.ownsSignaling) : Promise.resolve();
    return this.#leaving;
  }

  /** @internal Ends the room without telling the server (it already knows: call ended). */
  _end(): void {
    if (this.#leaving !== null) {
      return;
    }
    this.#teardown();
    this.#leaving = Promise.resolve();
  }

  // ---- wiring ----

  #listen(): void {
    const s = this.signaling;
    this.#unsubscribe.push(
      this.#data.on('message', (from, message) => this.emit('message', from, message)),
      this.#data.on('stream', (stream) => this.emit('stream', stream)),
      this.#data.on('error', (error) => this.emit('error', error)),
      s.on('message', (message) => this.#onMessage(message)),
      s.on('state', (state) => this.#onSignalingState(state)),
      s.on('resumed', (welcome) => this.#onResumed(welcome)),
      s.on('reset', (welcome) => void this.#onReset(welcome)),
      s.on('error', (error) => {
        if (error.code !== 'PEER_NOT_IN_ROOM') {
          this.emit('error', error);
        }
      }),
    );
    const media = this.media;
    if (media !== null) {
      this.#unsubscribe.push(
        media.on('send-track', (kind, track) => this.#transport.setSendTrack(kind, track)),
        media.on('screen-audio', (track) => this.#transport.setSendTrack('screenAudio', track)),
        media.on('state', (state) => this.#onMediaState(state)),
      );
    }
  }

  /** Sends to the server unless the room or the session is gone. */
  #send(message: ClientMessageInput): void {
    if (this.#isLeft() || this.signaling.state === 'closed') {
      return;
    }
    try {
      this.signaling.send(message);
    } catch {
      // closed meanwhile
    }
  }

  // ---- server messages ----

  #onMessage(message: ServerMessage): void {
    if (this.#isLeft()) {
      return;
    }
    this.#route(message);
    const presence = message.type === 'peer-joined' || message.type === 'peer-left' || message.type === 'peer-updated';
    if ((presence || message.type === 'room-event') && message.room === this.name) {
      this.#presence.message(message);
    }
  }

  /** Membership, signals and room events to whom they concern. */
  #route(message: ServerMessage): void {
    switch (message.type) {
      case 'peer-joined':
        if (message.room === this.name) {
          this.#members.add(message.peer, true);
        }
        break;
      case 'peer-left':
        if (message.room === this.name) {
          this.#members.remove(message.peerId, message.reason);
        }
        break;
      case 'peer-updated':
        if (message.room === this.name && message.peerId === this.peerId) {
          this.#self = { ...this.#self, media: message.media, hand: message.hand ?? null, recording: message.recording ?? false };
        } else if (message.room === this.name) {
          this.#members.update(message.peerId, message.media, message);
        }
        break;
      case 'signal':
        this.#transport.handleSignal(message.from, message.data);
        break;
      case 'sfu-sources':
      case 'sfu-closed':
      case 'relay':
        this.#transport.handleMessage(message);
        break;
      case 'room-event':
        if (message.room === this.name) {
          this.emit('room-event', message.from, message.event, message.data);
        }
        break;
      case 'left':
        if (message.room === this.name && message.requestId === undefined) {
          this._end();
        }
        break;
      default:
        break;
    }
  }

  #onMediaState(media: MediaState): void {
    this.#self = { ...this.#self, media };
    this.#send({ type: 'media-state', media });
  }

  // ---- session continuity ----

  #onSignalingState(state: SignalingState): void {
    if (this.#isLeft()) {
      return;
    }
    if (state === 'reconnecting') {
      this.#setState('reconnecting');
    } else if (state === 'closed') {
      this.emit('error', new RendezvousError('SIGNALING_CLOSED', 'Lost the signaling connection; the room was left'));
      this._end();
    }
  }

  #onResumed(welcome: Welcome): void {
    if (this.#isLeft()) {
      return;
    }
    const snapshot = welcome.room;
    if (snapshot === undefined || snapshot.room !== this.name) {
      void this.#onReset(welcome);
      return;
    }
    this.#transport.refreshIceServers();
    this.#adopt(snapshot, false);
    this.#setState('joined');
  }

  async #onReset(_welcome: Welcome): Promise<void> {
    if (this.#isLeft()) {
      return;
    }
    if (!this.#init.rejoinOnReset) {
      this.emit('error', new RendezvousError('RESUME_FAILED', 'The session was lost; the call ended'));
      this._end();
      return;
    }
    this.#setState('reconnecting');
    try {
      const joined = await this.signaling.request(
        joinRequest(this.name, { media: this.media, mode: this.mode, capacity: this.#init.options.capacity }),
        'joined',
      );
      if (this.#isLeft()) {
        return;
      }
      this.#adopt(joined, true);
      this.#transport.rejoined();
      this.#setState('joined');
    } catch (error) {
      if (this.#isLeft()) {
        return;
      }
      this.emit(
        'error',
        error instanceof RendezvousError ? error : new RendezvousError('RESUME_FAILED', undefined, { cause: error }),
      );
      void this.leave();
    }
  }

  /** Takes a fresh snapshot of the room (after a resume or a rejoin). */
  #adopt(snapshot: JoinedRoom, restartAll: boolean): void {
    this.#self = snapshot.self;
    this.#capacity = snapshot.capacity;
    this.#members.reconcile(snapshot, restartAll);
    this.#presence.snapshot(snapshot);
  }

  #isLeft(): boolean {
    return this.#state === 'closed';
  }

  #setState(state: RoomState): void {
    if (this.#state === state || this.#state === 'closed') {
      return;
    }
    this.#state = state;
    this.emit('state', state);
  }

  /** Closes every connection, stops the media, detaches from signaling. Leaves the room state 'closed'. */
  #teardown(): void {
    if (this.#isLeft()) {
      return;
    }
    this.#speakers.stop();
    for (const off of this.#unsubscribe.splice(0)) {
      off();
    }
    this.#members.clear();
    this.#transport.close();
    this.#features.close();
    this.#presence.close();
    this.#data.close();
    this.media?.stop();
    this.#state = 'closed';
    this.emit('state', 'closed');
  }
}
