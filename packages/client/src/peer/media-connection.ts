/**
 * A call, as peerjs's MediaConnection: `peer.call(id, stream)` on one side, `call.answer(stream)` on the other,
 * `stream` when the remote media arrives. As peerjs 1.5 does, the caller also opens a data channel that carries
 * nothing: when it closes, the other side hangs up too. With LEAVE (see PeerDirectory), `close` fires on both
 * sides when either hangs up.
 */
import { listen } from '../data/channel-port.js';
import { BaseConnection, type ConnectionEvents, type ConnectionInit } from './base-connection.js';
import { PeerError } from './peer-errors.js';
import { extension } from './wire.js';

export interface MediaConnectionEvents extends ConnectionEvents {
  /** The remote media (once per remote stream). */
  stream: [stream: MediaStream];
}

export interface CallOptions {
  /** Any JSON value; the callee reads it as `call.metadata`. */
  metadata?: unknown;
}

export class MediaConnection extends BaseConnection<MediaConnectionEvents> {
  readonly type = 'media' as const;
  #localStream: MediaStream | null;
  #remoteStream: MediaStream | null = null;
  readonly #seenStreams = new Set<string>();
  /** The data channel whose closing means the other side hung up. */
  #hangupChannel: RTCDataChannel | null = null;
  #offHangup: (() => void) | null = null;

  /** @internal Made by `Peer.call` (with the local stream) or by the Peer for an incoming OFFER. */
  constructor(init: ConnectionInit, localStream: MediaStream | null) {
    super(init);
    this.#localStream = localStream;
  }

  get localStream(): MediaStream | null {
    return this.#localStream;
  }
  get remoteStream(): MediaStream | null {
    return this.#remoteStream;
  }

  /** @internal The caller's side: makes the connection and sends the OFFER. */
  _start(): void {
    if (this.closed) {
      return;
    }
    const link = this.startLink();
    this.#addTracks(link.pc);
    this.#watchHangup(link.pc.createDataChannel(this.connectionId, { ordered: false }));
    link.offer({ ...this.offerFields(), ...extension() });
  }

  /** Accepts an incoming call, sending `stream` (or nothing, to only receive). A second call is ignored. */
  answer(stream?: MediaStream): void {
    if (this.closed || this.originator || this.link !== null) {
      if (!this.closed && this.link !== null) {
        this.emitError(new PeerError('webrtc', 'INVALID_STATE', 'This call was answered already.'));
      }
      return;
    }
    this.#localStream = stream ?? null;
    const link = this.startLink();
    this.#addTracks(link.pc);
    this.answerOffer(link);
    this.setOpen();
  }

  protected override offerFields(): Record<string, unknown> {
    return this.metadata === undefined ? {} : { metadata: this.metadata };
  }

  protected override onAnswered(): void {
    this.setOpen();
  }

  protected override onTrack(event: RTCTrackEvent): void {
    const stream = event.streams[0] ?? new MediaStream([event.track]);
    if (this.#seenStreams.has(stream.id)) {
      return;
    }
    this.#seenStreams.add(stream.id);
    this.#remoteStream = stream;
    this.emit('stream', stream);
  }

  protected override onDataChannel(channel: RTCDataChannel): void {
    if (this.originator || this.#hangupChannel !== null) {
      channel.close();
      return;
    }
    this.#watchHangup(channel);
  }

  protected override release(): void {
    this.#offHangup?.();
    this.#offHangup = null;
    this.#hangupChannel?.close();
    this.#hangupChannel = null;
    // The local stream is the application's: its tracks stay live. The remote tracks end with the connection.
    this.#localStream = null;
    this.#remoteStream = null;
  }

  #watchHangup(channel: RTCDataChannel): void {
    this.#hangupChannel = channel;
    this.#offHangup = listen(channel, 'close', () => this.close());
  }

  #addTracks(pc: RTCPeerConnection): void {
    const stream = this.#localStream;
    if (stream === null) {
      return;
    }
    for (const track of stream.getTracks()) {
      pc.addTrack(track, stream);
    }
  }
}
