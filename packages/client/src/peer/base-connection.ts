/**
 * What media and data connections share: the remote peer and connection id, the RTCPeerConnection (through a
 * ConnectionLink), signaling routed by the Peer, ICE restart between two SDK peers, and one `close` per connection
 * whoever ends it. Never throws out of a handler: what goes wrong is an `error` event.
 */
import { TypedEmitter, type EventMap } from '@rendezvous/common';
import type { JsonValue } from '@rendezvous/protocol';
import { ConnectionLink, type SignalKind } from './connection-link.js';
import type { DataConnection } from './data-connection.js';
import type { MediaConnection } from './media-connection.js';
import { ICE_RESTART_TIMEOUT_MS, MAX_HELD_SIGNALS, MAX_ICE_RESTARTS } from './limits.js';
import { PeerError, badPeerMessage } from './peer-errors.js';
import { extension, readExtension, type ConnectionMessage, type OfferMessage } from './wire.js';

/** What a connection needs from its Peer. */
export interface ConnectionHost {
  /** A new RTCPeerConnection with the server's ICE servers (and the Peer's `config`). */
  createPeerConnection(): RTCPeerConnection;
  signal(kind: SignalKind, dst: string, payload: Record<string, unknown>): void;
  /** The connection closed; `notify`: the other side has not been told yet. */
  closed(connection: AnyConnection, notify: boolean): void;
}

export interface ConnectionEvents {
  close: [];
  error: [error: PeerError];
  /** The RTCPeerConnection's `connectionState`, as it changes. */
  state: [state: RTCPeerConnectionState];
}

export interface ConnectionInit {
  host: ConnectionHost;
  peer: string;
  connectionId: string;
  metadata: JsonValue | undefined;
  /** True on the side that called `call()` or `connect()`. */
  originator: boolean;
  /** The callee's OFFER payload (null on the originator's side). */
  offer: OfferMessage['payload'] | null;
}

/** A media or a data connection. */
export type AnyConnection = MediaConnection | DataConnection;

export abstract class BaseConnection<E extends EventMap<E> & ConnectionEvents> extends TypedEmitter<E> {
  abstract readonly type: 'media' | 'data';
  /** The remote peer's id. */
  readonly peer: string;
  readonly connectionId: string;
  readonly metadata: JsonValue | undefined;
  readonly originator: boolean;
  protected readonly host: ConnectionHost;
  protected readonly offerPayload: OfferMessage['payload'] | null;
  protected link: ConnectionLink | null = null;
  /** This emitter, typed with the events every connection has. */
  readonly #base: TypedEmitter<ConnectionEvents>;
  #open = false;
  #closed = false;
  #remoteIsSdk: boolean;
  #held: ConnectionMessage[] = [];
  #restarts = 0;
  #restartTimer: ReturnType<typeof setTimeout> | null = null;

  protected constructor(init: ConnectionInit) {
    super();
    this.#base = this as unknown as TypedEmitter<ConnectionEvents>;
    this.host = init.host;
    this.peer = init.peer;
    this.connectionId = init.connectionId;
    this.metadata = init.metadata;
    this.originator = init.originator;
    this.offerPayload = init.offer;
    this.#remoteIsSdk = init.offer !== null && readExtension(init.offer) !== null;
  }

  /** Whether the connection is up (a call answered, a data channel open). */
  get open(): boolean {
    return this.#open;
  }
  get closed(): boolean {
    return this.#closed;
  }
  /** Whether the other side runs this SDK (and so supports ICE restart and per-connection close). */
  get remoteIsSdk(): boolean {
    return this.#remoteIsSdk;
  }

  /** The RTCPeerConnection's statistics (null before it exists or after close). */
  async getStats(): Promise<RTCStatsReport | null> {
    return this.link === null || this.link.closed ? null : this.link.pc.getStats();
  }

  /** Ends the connection and tells the other side. Idempotent; emits `close` once. */
  close(): void {
    this.finish(true, null);
  }

  /** @internal A signaling message for this connection, from the Peer. */
  _handle(message: ConnectionMessage): void {
    if (this.#closed) {
      return;
    }
    if (message.payload.type !== this.type) {
      this.#base.emit('error', badPeerMessage(this.peer, `a ${message.payload.type} message for a ${this.type} connection`));
      return;
    }
    if (this.link === null) {
      if (this.#held.length < MAX_HELD_SIGNALS) {
        this.#held.push(message);
      }
      return;
    }
    this.#apply(message, this.link);
  }

  /** @internal The other side ended the connection (its LEAVE), or is unreachable (`error`). */
  _closeFromRemote(error: PeerError | null): void {
    this.finish(false, error);
  }

  /** Creates the RTCPeerConnection and applies what waited for it. */
  protected startLink(): ConnectionLink {
    const pc = this.host.createPeerConnection();
    const link = new ConnectionLink(
      pc,
      { type: this.type, connectionId: this.connectionId },
      {
        signal: (kind, payload) => this.host.signal(kind, this.peer, payload),
        track: (event) => this.onTrack(event),
        dataChannel: (channel) => this.onDataChannel(channel),
        state: (state) => this.#onState(state),
        error: (error, fatal) => {
          this.#base.emit('error', error);
          if (fatal) {
            this.finish(true, null);
          }
        },
      },
    );
    this.link = link;
    for (const message of this.#held.splice(0)) {
      this.#apply(message, link);
    }
    return link;
  }

  /** The callee answers the OFFER it was made with (`fields` go on the ANSWER). */
  protected answerOffer(link: ConnectionLink): void {
    const offer = this.offerPayload;
    if (offer === null || offer.sdp.type !== 'offer') {
      this.#base.emit('error', badPeerMessage(this.peer, 'an OFFER without an offer description'));
      this.finish(true, null);
      return;
    }
    link.acceptOffer(offer.sdp, extension());
  }

  /** Emits `error` (subclasses' event maps extend ConnectionEvents). */
  protected emitError(error: PeerError): void {
    this.#base.emit('error', error);
  }

  protected setOpen(): void {
    this.#open = true;
  }

  protected onTrack(event: RTCTrackEvent): void {
    void event;
  }

  protected onDataChannel(channel: RTCDataChannel): void {
    channel.close(); // only a data connection takes channels
  }

  /** Subclasses release their own parts here (called once, before `close` is emitted). */
  protected abstract release(): void;

  /** Closes once: releases, closes the link, tells the Peer, emits `error` (if any) and `close`. */
  protected finish(notify: boolean, error: PeerError | null): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    this.#open = false;
    this.#clearRestartTimer();
    this.#held = [];
    this.release();
    this.link?.close();
    this.host.closed(this as unknown as AnyConnection, notify);
    if (error !== null) {
      this.#base.emit('error', error);
    }
    this.#base.emit('close');
    this.removeAllListeners();
  }

  #apply(message: ConnectionMessage, link: ConnectionLink): void {
    switch (message.type) {
      case 'OFFER':
        return this.#restartOffer(message, link);
      case 'ANSWER':
        return this.#answer(message, link);
      case 'CANDIDATE':
        return link.addCandidate(message.payload.candidate);
    }
  }

  #answer(message: Extract<ConnectionMessage, { type: 'ANSWER' }>, link: ConnectionLink): void {
    if (!this.originator || message.payload.sdp.type !== 'answer') {
      this.#base.emit('error', badPeerMessage(this.peer, 'an ANSWER this side did not ask for'));
      return;
    }
    if (readExtension(message.payload) !== null) {
      this.#remoteIsSdk = true;
    }
    link.acceptAnswer(message.payload.sdp);
    this.onAnswered();
  }

  /** The originator's connection got its answer. */
  protected onAnswered(): void {}

  /** An OFFER for this connection id: an ICE restart from an SDK peer (anything else the Peer handles). */
  #restartOffer(message: Extract<ConnectionMessage, { type: 'OFFER' }>, link: ConnectionLink): void {
    if (this.originator || !this.#remoteIsSdk || message.payload.sdp.type !== 'offer') {
      this.#base.emit('error', badPeerMessage(this.peer, 'an ICE restart this side cannot take'));
      return;
    }
    link.acceptOffer(message.payload.sdp, extension());
  }

  #onState(state: RTCPeerConnectionState): void {
    this.#base.emit('state', state);
    if (state === 'connected') {
      this.#restarts = 0;
      this.#clearRestartTimer();
    } else if (state === 'failed') {
      this.#onFailed();
    }
  }

  /**
   * ICE failed. Between two SDK peers the originator restarts ICE (an OFFER for this connection id marked
   * `restart`) and the other side waits for it; a peerjs client cannot restart, so the connection closes.
   */
  #onFailed(): void {
    const link = this.link;
    if (link === null || !this.#remoteIsSdk || this.#restarts >= MAX_ICE_RESTARTS) {
      this.#fail();
      return;
    }
    if (this.originator) {
      this.#restarts += 1;
      link.offer({ ...this.offerFields(), ...extension({ restart: true }) }, true);
    }
    this.#clearRestartTimer();
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null;
      this.#fail();
    }, ICE_RESTART_TIMEOUT_MS);
  }

  /** The fields of this connection's OFFER besides sdp, type and connectionId (metadata, label, …). */
  protected abstract offerFields(): Record<string, unknown>;

  #fail(): void {
    const error = new PeerError('negotiation-failed', 'CONNECTION_FAILED', `The connection to ${this.peer} failed.`, {
      detail: { peer: this.peer, connectionId: this.connectionId },
    });
    this.finish(true, error);
  }

  #clearRestartTimer(): void {
    if (this.#restartTimer !== null) {
      clearTimeout(this.#restartTimer);
      this.#restartTimer = null;
    }
  }
}
