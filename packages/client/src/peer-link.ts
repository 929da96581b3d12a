import { RendezvousError, type SignalData } from '@rendezvous/protocol';
import { receiverAudioLevel } from './audio-level.js';
import { TransceiverRoles } from './transceiver-roles.js';
import { selectedPath, type CandidatePath } from './candidate-path.js';
import { applyVideoCodec, type VideoCodecName } from './codecs.js';
import type { LinkSendKind } from './local-media.js';
import { IceSupervisor, type PeerConnectionState } from './ice-supervisor.js';
import { Negotiator } from './perfect-negotiation.js';
import { ScreenSender } from './screen-sender.js';
import { fingerprints } from './sdp.js';
import { TypedEmitter } from './typed-emitter.js';

export type { PeerConnectionState };

export interface PeerLinkOptions {
  peerId: string;
  /** Perfect-negotiation role toward this peer, as the server assigned it. */
  polite: boolean;
  rtcConfig?: RTCConfiguration;
  /** What to send from the start (`screenAudio`: the screen capture's system or tab audio). */
  tracks?: Partial<Record<LinkSendKind, MediaStreamTrack | null>>;
  /** Preferred video codec for the camera and screen (where both sides have it). Default: the browser's order. */
  videoCodec?: VideoCodecName | null;
  /** Where received camera and microphone tracks go (default: a new MediaStream). */
  remoteStream?: MediaStream;
  /** After `restartIce()`, how long to wait for a connection before asking for a rebuild. Default 10 s. */
  iceRestartTimeoutMs?: number;
  /** How long `disconnected` may last before ICE is restarted. Default 4 s. */
  disconnectedTimeoutMs?: number;
  /** A fresh link that has not connected within this long asks for a rebuild. Default 30 s; 0 disables. */
  connectTimeoutMs?: number;
  /** Descriptions with these DTLS fingerprints come from a replaced connection and are ignored. */
  ignoreFingerprints?: readonly string[];
  /** Open the room's message channel (the impolite side does; the polite side receives it). Default false. */
  messageChannel?: boolean;
}

/** Label of the data channel that carries a room's messages on a mesh link. */
export const MESSAGE_CHANNEL_LABEL = 'rendezvous';

export interface PeerLinkEvents {
  signal: [data: SignalData];
  track: [track: MediaStreamTrack, stream: MediaStream];
  screen: [stream: MediaStream | null];
  state: [state: PeerConnectionState];
  /** This side gave up on the connection (an ICE restart did not help, or it never connected). Reported once. */
  failed: [reason: string];
  /** The selected candidate pair may have changed (read the path again). */
  route: [];
  /** A data channel: the message channel once it exists on this side, or one the remote opened. */
  channel: [channel: RTCDataChannel];
  error: [error: RendezvousError];
  closed: [];
}

/**
 * One RTCPeerConnection to one remote peer: perfect negotiation, ICE restarts, media and data channels.
 * It reports what happened (`state`, `failed`); whether to rebuild is its owner's decision.
 */
export class PeerLink extends TypedEmitter<PeerLinkEvents> {
  readonly peerId: string;
  readonly polite: boolean;
  readonly pc: RTCPeerConnection;
  readonly remoteStream: MediaStream;
  readonly #negotiator: Negotiator;
  readonly #send: Record<LinkSendKind, MediaStreamTrack | null>;
  readonly #roles: TransceiverRoles;
  readonly #screen: ScreenSender;
  #videoCodec: VideoCodecName | null;
  /** A codec change waits for the current exchange to end before it renegotiates. */
  #codecOfferPending = false;
  #remoteScreen: MediaStream | null = null;
  readonly #ice: IceSupervisor;
  #closed = false;
  #iceTransport: RTCIceTransport | null = null;
  readonly #receivedTracks = new Set<MediaStreamTrack>();
  #messageChannel: RTCDataChannel | null = null;

  constructor(options: PeerLinkOptions) {
    super();
    this.peerId = options.peerId;
    this.polite = options.polite;
    this.remoteStream = options.remoteStream ?? new MediaStream();
    this.#send = {
      audio: options.tracks?.audio ?? null,
      video: options.tracks?.video ?? null,
      screen: options.tracks?.screen ?? null,
      screenAudio: options.tracks?.screenAudio ?? null,
    };
    this.#videoCodec = options.videoCodec ?? null;
    if (typeof RTCPeerConnection === 'undefined') {
      throw new RendezvousError('UNSUPPORTED_BROWSER', 'RTCPeerConnection is missing');
    }
    this.pc = new RTCPeerConnection(options.rtcConfig);
    this.#roles = new TransceiverRoles(this.pc);
    this.#negotiator = new Negotiator(
      this.pc,
      { polite: this.polite, ignoreFingerprints: options.ignoreFingerprints ?? [] },
      {
        send: (data) => this.#emitSignal(data),
        beforeAnswer: () => this.#beforeAnswer(),
        onStable: () => this.#onStable(),
        onError: (error) => this.emit('error', error),
      },
    );
    this.#screen = new ScreenSender(
      this.pc,
      (error) => this.#emitError(error),
      (transceiver) => this.#applyCodec(transceiver),
    );
    this.pc.addEventListener('track', this.#onTrack);
    this.pc.addEventListener('datachannel', this.#onDataChannel);
    this.#ice = new IceSupervisor(this.pc, options, {
      onState: (state) => this.emit('state', state),
      onGiveUp: (reason) => this.emit('failed', reason),
    });
    if (options.messageChannel === true) {
      this.#messageChannel = this.pc.createDataChannel(MESSAGE_CHANNEL_LABEL);
    }
    if (!this.polite) {
      // The impolite side creates the camera/mic transceivers; its negotiationneeded makes the first offer.
      this.#applyCodec(this.#roles.createPrimary(this.#send.audio, this.#send.video));
    }
    if (this.#send.screen !== null) {
      this.#screen.set('screen', this.#send.screen);
      this.#screen.set('screenAudio', this.#send.screenAudio);
    }
  }

  get state(): PeerConnectionState {
    return this.#closed ? 'closed' : this.#ice.state;
  }
  get remoteScreen(): MediaStream | null {
    return this.#remoteScreen;
  }
  get closed(): boolean {
    return this.#closed;
  }
  /** Whether a remote description was ever applied (the peer has answered or offered on this link). */
  get negotiated(): boolean {
    return this.pc.remoteDescription !== null;
  }
  /** The room's message channel, when this side opened it (else it arrives as a `channel` event). */
  get messageChannel(): RTCDataChannel | null {
    return this.#messageChannel;
  }

  /** Handles a description or candidate from the remote peer (a `reset` is its owner's business). */
  handleSignal(data: SignalData): Promise<void> {
    if (this.#closed || data.kind === 'reset') {
      return Promise.resolve();
    }
    return this.#negotiator.handle(data);
  }

  /** Opens a data channel to the peer. */
  createChannel(label: string): RTCDataChannel {
    if (this.#closed) {
      throw new RendezvousError('DATA_CHANNEL_CLOSED', `The connection to ${this.peerId} is closed`);
    }
    return this.pc.createDataChannel(label);
  }

  /** Applies new ICE servers (fresh TURN credentials); keeps the old ones if the browser refuses. */
  setIceServers(iceServers: RTCIceServer[]): void {
    if (this.#closed) {
      return;
    }
    try {
      this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers });
    } catch {
      // keep the old configuration
    }
  }

  /**
   * Changes what is sent for `kind`. Camera and mic use replaceTrack; the screen and its audio add or pause
   * a sendonly transceiver each (labelled with one stream, so the receiver gets them together).
   */
  setSendTrack(kind: LinkSendKind, track: MediaStreamTrack | null): void {
    if (this.#closed) {
      return;
    }
    this.#send[kind] = track;
    if (kind === 'screen' || kind === 'screenAudio') {
      this.#screen.set(kind, track);
      return;
    }
    const transceiver = kind === 'audio' ? this.#roles.mic : this.#roles.camera;
    if (transceiver === null) {
      return;
    } // polite side before the first offer: attached when it arrives
    this.#replace(transceiver, track);
  }

  /** The preferred video codec (null: the browser's order). */
  get videoCodec(): VideoCodecName | null {
    return this.#videoCodec;
  }

  /**
   * Prefers `codec` for the camera and screen (null: the browser's default order) and renegotiates, so the
   * codec in use changes within a round trip. A sender uses the first codec its receiver listed, so this
   * side receives `codec` (where the peer can encode it); a peer with no preference of its own follows it
   * for what it receives too.
   */
  setVideoCodec(codec: VideoCodecName | null): void {
    if (this.#closed || codec === this.#videoCodec) {
      return;
    }
    this.#videoCodec = codec;
    for (const transceiver of this.pc.getTransceivers()) {
      this.#applyCodec(transceiver, true);
    }
    if (this.pc.signalingState === 'stable') {
      this.#negotiator.requestOffer();
    } else {
      this.#codecOfferPending = true;
    }
  }

  getStats(): Promise<RTCStatsReport> {
    return this.pc.getStats();
  }

  selectedPath(): Promise<CandidatePath> {
    return selectedPath(this.pc);
  }

  /** Level 0..1 (-60..0 dBov) of the remote microphone, from the receiver's synchronization sources. */
  audioLevel(): number {
    const transceiver = this.#roles.mic ?? this.pc.getTransceivers().find((t) => this.#roles.roleOf(t) === 'mic');
    return transceiver === undefined || this.#closed ? 0 : receiverAudioLevel(transceiver.receiver);
  }

  /** DTLS fingerprints of the remote end (so a replacement link can ignore late messages of this one). */
  remoteFingerprints(): string[] {
    const sdp = this.pc.remoteDescription?.sdp;
    return sdp === undefined ? [] : fingerprints(sdp);
  }

  /** Closes the connection and stops the received tracks. Idempotent. */
  close(): void {
    if (this.#closed) {
      return;
    }
    this.#ice.close();
    this.#closed = true;
    this.#negotiator.close();
    this.pc.removeEventListener('track', this.#onTrack);
    this.pc.removeEventListener('datachannel', this.#onDataChannel);
    this.#iceTransport?.removeEventListener('selectedcandidatepairchange', this.#onRoute);
    this.#iceTransport = null;
    for (const track of this.#receivedTracks) {
      this.remoteStream.removeTrack(track);
      track.stop();
    }
    this.#receivedTracks.clear();
    try {
      for (const transceiver of this.pc.getTransceivers()) {
        transceiver.receiver.track.stop();
      }
    } catch {
      // already closed
    }
    this.pc.close();
    if (this.#remoteScreen !== null) {
      this.#remoteScreen = null;
      this.emit('screen', null);
    }
    this.emit('closed');
  }

  // ---- negotiation helpers ----

  #emitSignal(data: SignalData): void {
    if (!this.#closed) {
      this.emit('signal', data);
    }
  }

  /** Applies the codec preference to a video transceiver (`reset`: also when there is none, to undo one). */
  #applyCodec(transceiver: RTCRtpTransceiver, reset = false): void {
    if ((this.#videoCodec !== null || reset) && transceiver.receiver.track.kind === 'video') {
      applyVideoCodec(transceiver, this.#videoCodec);
    }
  }

  /** Before answering an offer: bind camera and mic (first offer), and prefer our codec in the answer. */
  async #beforeAnswer(): Promise<void> {
    await this.#roles.bindPrimary(this.#send.audio, this.#send.video);
    for (const transceiver of this.pc.getTransceivers()) {
      this.#applyCodec(transceiver);
    }
  }

  #replace(transceiver: RTCRtpTransceiver, track: MediaStreamTrack | null): void {
    transceiver.sender.replaceTrack(track).catch((error: unknown) => {
      this.#emitError(new RendezvousError('NEGOTIATION_FAILED', `replaceTrack failed: ${String(error)}`, { cause: error }));
    });
  }

  #emitError(error: RendezvousError): void {
    if (!this.#closed) {
      this.emit('error', error);
    }
  }

  // ---- remote media and data ----

  readonly #onDataChannel = (event: RTCDataChannelEvent): void => {
    if (!this.#closed) {
      this.emit('channel', event.channel);
    }
  };

  readonly #onRoute = (): void => {
    if (!this.#closed) {
      this.emit('route');
    }
  };

  #onStable(): void {
    this.#updateRemoteScreen();
    if (this.#codecOfferPending && !this.#closed) {
      this.#codecOfferPending = false;
      this.#negotiator.requestOffer();
    }
    if (this.#iceTransport !== null || this.#closed) {
      return;
    }
    // The selected pair can change without a state change (an ICE restart on a live connection).
    const transport =
      this.pc.getSenders().find((s) => s.transport !== null)?.transport?.iceTransport ?? this.pc.sctp?.transport.iceTransport;
    if (transport === undefined || typeof transport.addEventListener !== 'function') {
      return;
    }
    this.#iceTransport = transport;
    transport.addEventListener('selectedcandidatepairchange', this.#onRoute);
  }

  readonly #onTrack = (event: RTCTrackEvent): void => {
    if (this.#closed) {
      return;
    }
    const role = this.#roles.roleOf(event.transceiver);
    const track = event.track;
    if (role === 'mic' || role === 'camera') {
      this.#receivedTracks.add(track);
      if (!this.remoteStream.getTracks().includes(track)) {
        for (const old of this.remoteStream.getTracks()) {
          if (old.kind === track.kind) {
            this.remoteStream.removeTrack(old);
          }
        }
        this.remoteStream.addTrack(track);
      }
      this.emit('track', track, this.remoteStream);
    } else {
      this.#receivedTracks.add(track);
    }
    this.#updateRemoteScreen();
  };

  /** The remote screen stream: its video and, where the remote shares system or tab audio, that audio. */
  #updateRemoteScreen(): void {
    if (this.#closed) {
      return;
    }
    const { video, audio } = this.#roles.activeRemoteScreen((t) => this.#screen.owns(t));
    const current = this.#remoteScreen;
    const audioNow = video === null ? null : audio;
    if ((current?.getVideoTracks()[0] ?? null) === video && (current?.getAudioTracks()[0] ?? null) === audioNow) {
      return;
    }
    this.#remoteScreen = video === null ? null : new MediaStream(audioNow === null ? [video] : [video, audioNow]);
    this.emit('screen', this.#remoteScreen);
  }
}
