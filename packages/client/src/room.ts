import {
  RendezvousError,
  type JoinedRoom,
  type MediaState,
  type PeerInfo,
  type PeerLeftReason,
  type ServerMessage,
} from '@rendezvous/protocol';
import type { ActiveSpeakerOptions } from './active-speaker.js';
import type { LocalMedia, SendKind } from './local-media.js';
import type { PeerConnectionState } from './peer-link.js';
import type { RemotePeer } from './remote-peer.js';
import { RoomPeers } from './room-peers.js';
import { SignalingClient, type SignalingState, type WebSocketConstructor, type Welcome } from './signaling-client.js';
import { SpeakerMonitor } from './speaker-monitor.js';
import { TypedEmitter } from './typed-emitter.js';

export type RoomState = 'joined' | 'reconnecting' | 'left';

export interface RoomOptions {
  displayName: string;
  media?: LocalMedia | null;
  token?: string;
  /** Merged with the server's ICE servers (the welcome's TURN credentials are appended). */
  rtcConfig?: RTCConfiguration;
  /**
   * Append the ICE servers the server handed out (STUN, TURN with fresh credentials). Default true.
   * False uses only `rtcConfig.iceServers`, e.g. to force one TURN transport.
   */
  useServerIceServers?: boolean;
  /** Use this session instead of opening one; the room then leaves it open on `leave()`. */
  signaling?: SignalingClient;
  WebSocketImpl?: WebSocketConstructor;
  /** See PeerLink. Default 10 s. */
  iceRestartTimeoutMs?: number;
  /** See PeerLink. Default 30 s. */
  connectTimeoutMs?: number;
  /** Rebuilds of a peer's connection in a row (none connected) before it is left `failed`. Default 3. */
  maxRebuilds?: number;
  activeSpeaker?: ActiveSpeakerOptions & { intervalMs?: number };
}

export interface RoomEvents {
  'peer-joined': [peer: RemotePeer];
  'peer-left': [peer: RemotePeer, reason: PeerLeftReason];
  'peer-updated': [peer: RemotePeer];
  track: [peer: RemotePeer, track: MediaStreamTrack];
  screen: [peer: RemotePeer, stream: MediaStream | null];
  'peer-state': [peer: RemotePeer, state: PeerConnectionState];
  'active-speaker': [peerId: string | null];
  state: [state: RoomState];
  error: [error: RendezvousError];
}

/** @internal How a Room is made: by `Room.join`, or by CallClient for a call's private room. */
export interface RoomInit {
  signaling: SignalingClient;
  joined: JoinedRoom;
  ownsSignaling: boolean;
  /** Rejoin the same room when the session could not be resumed (false for call rooms). */
  rejoinOnReset: boolean;
  options: Omit<RoomOptions, 'displayName' | 'signaling' | 'token' | 'WebSocketImpl'>;
}


/** A room: one PeerLink per other member, local media forwarded to every link. */
export class Room extends TypedEmitter<RoomEvents> {
  readonly name: string;
  readonly signaling: SignalingClient;
  readonly media: LocalMedia | null;
  readonly #peers: RoomPeers;
  readonly #init: RoomInit;
  #self: PeerInfo;
  #capacity: number;
  #state: RoomState = 'joined';
  #leaving: Promise<void> | null = null;
  readonly #unsubscribe: (() => void)[] = [];
  readonly #speakers: SpeakerMonitor;

  /** Connects (unless a SignalingClient is given), joins `name` and starts one PeerLink per member. */
  static async join(url: string, name: string, options: RoomOptions): Promise<Room> {
    const owns = options.signaling === undefined;
    const signaling =
      options.signaling ??
      (await SignalingClient.connect(url, {
        displayName: options.displayName,
        ...(options.token === undefined ? {} : { token: options.token }),
        ...(options.WebSocketImpl === undefined ? {} : { WebSocketImpl: options.WebSocketImpl }),
      }));
    const seen: ServerMessage[] = [];
    const stopBuffering = signaling.on('message', (message) => seen.push(message));
    try {
      const media = options.media ?? null;
      const joined = await signaling.request({ type: 'join', room: name, ...(media === null ? {} : { media: media.state }) }, 'joined');
      stopBuffering();
      const room = new Room({ signaling, joined, ownsSignaling: owns, rejoinOnReset: true, options });
      for (const message of seen.slice(seen.indexOf(joined) + 1)) room.#onMessage(message);
      return room;
    } catch (error) {
      stopBuffering();
      if (owns) signaling.close();
      throw error;
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
    this.#peers = new RoomPeers({
      signaling: this.signaling,
      media: this.media,
      options: init.options,
      isLeft: () => this.#state === 'left',
      emit: (event, ...args) => void this.emit(event, ...args),
    });
    const s = this.signaling;
    this.#unsubscribe.push(
      s.on('message', (message) => this.#onMessage(message)),
      s.on('state', (state) => this.#onSignalingState(state)),
      s.on('resumed', (welcome) => this.#onResumed(welcome)),
      s.on('reset', (welcome) => void this.#onReset(welcome)),
      s.on('error', (error) => {
        if (error.code !== 'PEER_NOT_IN_ROOM') this.emit('error', error);
      }),
    );
    const media = this.media;
    if (media !== null) {
      this.#unsubscribe.push(
        media.on('send-track', (kind, track) => this.#onSendTrack(kind, track)),
        media.on('state', (state) => this.#onMediaState(state)),
      );
    }
    this.#speakers = new SpeakerMonitor(
      {
        local: () => ({ id: this.selfId, track: media === null || media.state.audioMuted ? null : media.audioTrack }),
        remote: () => new Map([...this.#peers.map.values()].map((peer) => [peer.id, peer.audioLevel()])),
        wanted: () => this.listenerCount('active-speaker') > 0,
        onChange: (speaker) => this.emit('active-speaker', speaker),
      },
      init.options.activeSpeaker,
    );
    for (const info of init.joined.peers) this.#peers.add(info, false);
  }

  get selfId(): string {
    return this.#self.peerId;
  }
  get self(): PeerInfo {
    return { ...this.#self, media: this.media?.state ?? this.#self.media };
  }
  get capacity(): number {
    return this.#capacity;
  }
  get peers(): ReadonlyMap<string, RemotePeer> {
    return this.#peers.map;
  }
  get state(): RoomState {
    return this.#state;
  }
  /** The active speaker's id (a peer's or `selfId`), or null. Updated only while someone listens for it. */
  get activeSpeaker(): string | null {
    return this.#speakers.current;
  }
  /** The local microphone level 0..1, while active-speaker detection runs. */
  localAudioLevel(): number {
    return this.#speakers.localLevel();
  }

  /** Closes every link, stops the local tracks it was given, says `leave`, closes its own signaling. */
  leave(): Promise<void> {
    if (this.#leaving !== null) return this.#leaving;
    const wasIn = this.#state !== 'left';
    this.#teardown();
    const signaling = this.signaling;
    this.#leaving = (async () => {
      if (!wasIn) return;
      if (this.#init.ownsSignaling) {
        if (signaling.state === 'open') {
          try {
            signaling.send({ type: 'leave' });
          } catch {
            // closing anyway
          }
        }
        signaling.close();
      } else if (signaling.state === 'open' || signaling.state === 'reconnecting') {
        await signaling.request({ type: 'leave' }, 'left', 3000).catch(() => undefined);
      }
    })();
    return this.#leaving;
  }

  /** @internal Ends the room without telling the server (it already knows: call ended). */
  _end(): void {
    if (this.#leaving !== null) return;
    this.#teardown();
    this.#leaving = Promise.resolve();
  }

  // ---- peers and links ----

  // ---- server messages ----

  #onMessage(message: ServerMessage): void {
    if (this.#state === 'left') return;
    switch (message.type) {
      case 'peer-joined':
        if (message.room === this.name) this.#peers.add(message.peer, true);
        break;
      case 'peer-left': {
        const peer = this.#peers.get(message.peerId);
        if (message.room === this.name && peer !== undefined) this.#peers.remove(peer, message.reason);
        break;
      }
      case 'peer-updated': {
        const peer = this.#peers.get(message.peerId);
        if (message.room !== this.name || peer === undefined) break;
        if (peer._setInfo(peer.displayName, message.media)) this.emit('peer-updated', peer);
        break;
      }
      case 'signal':
        this.#peers.handleSignal(message.from, message.data);
        break;
      case 'left':
        if (message.room === this.name && message.requestId === undefined) {
          this.#teardown();
          this.#leaving = Promise.resolve();
        }
        break;
      default:
        break;
    }
  }

  #onSendTrack(kind: SendKind, track: MediaStreamTrack | null): void {
    this.#peers.setSendTrack(kind, track);
  }

  #onMediaState(media: MediaState): void {
    this.#self = { ...this.#self, media };
    if (this.#state === 'left' || this.signaling.state === 'closed') return;
    try {
      this.signaling.send({ type: 'media-state', media });
    } catch {
      // closed meanwhile
    }
  }

  // ---- session continuity ----

  #onSignalingState(state: SignalingState): void {
    if (this.#state === 'left') return;
    if (state === 'reconnecting') this.#setState('reconnecting');
    else if (state === 'closed') {
      this.emit('error', new RendezvousError('SIGNALING_CLOSED', 'Lost the signaling connection; the room was left'));
      this.#teardown();
      this.#leaving = Promise.resolve();
    }
  }

  #onResumed(welcome: Welcome): void {
    if (this.#state === 'left') return;
    const snapshot = welcome.room;
    if (snapshot === undefined || snapshot.room !== this.name) {
      void this.#onReset(welcome);
      return;
    }
    this.#peers.refreshIceServers();
    this.#adopt(snapshot, false);
    this.#setState('joined');
  }

  async #onReset(_welcome: Welcome): Promise<void> {
    if (this.#state === 'left') return;
    if (!this.#init.rejoinOnReset) {
      this.emit('error', new RendezvousError('RESUME_FAILED', 'The session was lost; the call ended'));
      this.#teardown();
      this.#leaving = Promise.resolve();
      return;
    }
    this.#setState('reconnecting');
    try {
      const media = this.media;
      const joined = await this.signaling.request(
        { type: 'join', room: this.name, ...(media === null ? {} : { media: media.state }) },
        'joined',
      );
      if (this.#isLeft()) return;
      this.#adopt(joined, true);
      this.#setState('joined');
    } catch (error) {
      if (this.#isLeft()) return;
      this.emit('error', error instanceof RendezvousError ? error : new RendezvousError('RESUME_FAILED', undefined, { cause: error }));
      void this.leave();
    }
  }

  /** Takes a fresh snapshot of the room (after a resume or a rejoin). */
  #adopt(snapshot: JoinedRoom, rebuildAll: boolean): void {
    this.#self = snapshot.self;
    this.#capacity = snapshot.capacity;
    this.#peers.reconcile(snapshot, rebuildAll);
  }

  #isLeft(): boolean {
    return this.#state === 'left';
  }

  #setState(state: RoomState): void {
    if (this.#state === state || this.#state === 'left') return;
    this.#state = state;
    this.emit('state', state);
  }

  /** Closes every link, stops the media, detaches from signaling. Leaves the room state 'left'. */
  #teardown(): void {
    if (this.#state === 'left') return;
    this.#speakers.stop();
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#peers.closeAll();
    this.media?.stop();
    this.#state = 'left';
    this.emit('state', 'left');
  }
}
