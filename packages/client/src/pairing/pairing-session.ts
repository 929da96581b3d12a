/**
 * Pairing with no server: two people exchange an offer blob and an answer blob by copy and paste or QR code,
 * then chat, send files and, optionally, see each other over one RTCPeerConnection that uses no ICE servers.
 *
 *   inviter: const session = new PairingSession();  const invitation = await session.createInvitation();
 *   joiner:  const session = new PairingSession();  const answer = await session.answerInvitation(invitation);
 *   inviter: await session.acceptAnswer(answer);    // both: session.on('state', …) reaches 'connected'
 *
 * Chat and files are the SDK's own `Chat` and `FileTransfers`, on the SDK's data layer (RoomData) over the
 * pairing's data channels. A blob that cannot be used is refused with a PairingError (pairing-errors.ts).
 */
import { RendezvousError, SignalDataSchema, type SignalData } from '@rendezvous/protocol';
import { Chat } from '../chat/index.js';
import { RoomData, type JsonValue } from '../data/index.js';
import { FileTransfers } from '../files/index.js';
import type { LocalMedia } from '../local-media.js';
import { TypedEmitter } from '../typed-emitter.js';
import { decodePairingBlob, encodePairingBlob, PAIRING_MAX_AGE_MS } from './blob-codec.js';
import { PairedLink, type LinkState } from './paired-link.js';
import { pairingFeaturePort } from './pairing-port.js';

/** `waiting`: the inviter's invitation is out (or the joiner's answer is), nothing has connected yet. */
export type PairingState = 'new' | 'gathering' | 'waiting' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';
export type PairingRole = 'inviter' | 'joiner';

export interface PairingOptions {
  /** ICE servers; default none (host candidates only: the two devices must reach each other directly). */
  iceServers?: RTCIceServer[];
  /** A blob older than this is refused (PAIRING_STALE). Default PAIRING_MAX_AGE_MS (15 min). */
  maxAgeMs?: number;
  /** Longest wait for ICE gathering before the blob is made with what was found. Default 10 s. */
  gatherTimeoutMs?: number;
  /** The inviter gives up this long after applying an answer that did not connect (`failed`). Default 30 s. */
  connectTimeoutMs?: number;
  /** The clock for blob times (default Date.now). */
  now?: () => number;
}

export interface PairingEvents {
  state: [state: PairingState];
  /** The other side's camera or microphone started, stopped, muted or unmuted (see `remoteStream`). */
  'remote-media': [stream: MediaStream];
  /** Something failed after the exchange (negotiation, or the connection: CONNECTION_FAILED). */
  error: [error: RendezvousError];
}

/** The peer ids of the two sides in `chat` messages and `files` transfers. */
export const PAIRING_PEER_IDS: Readonly<Record<PairingRole, string>> = { inviter: 'inviter', joiner: 'joiner' };
const SIGNAL_TOPIC = 'pairing-signal';

export class PairingSession extends TypedEmitter<PairingEvents> {
  readonly chat: Chat;
  readonly files: FileTransfers;
  readonly #data = new RoomData();
  readonly #options: PairingOptions;
  readonly #membership = new TypedEmitter<{ joined: [string]; left: [string]; close: [] }>();
  #role: PairingRole | null = null;
  #link: PairedLink | null = null;
  #state: PairingState = 'new';
  #tag = 0;
  #everConnected = false;
  #connectTimer: ReturnType<typeof setTimeout> | undefined;
  #media: LocalMedia | null = null;

  constructor(options: PairingOptions = {}) {
    super();
    this.#options = options;
    const port = pairingFeaturePort({
      peerId: () => this.peerId,
      data: this.#data,
      onJoined: (listener) => this.#membership.on('joined', listener),
      onLeft: (listener) => this.#membership.on('left', listener),
      onClose: (listener) => this.#membership.on('close', listener),
    });
    this.chat = new Chat(port);
    this.files = new FileTransfers(port);
    this.#data.on('internal', (_from, topic, message) => {
      if (topic === SIGNAL_TOPIC) {
        this.#onSignal(message);
      }
    });
  }

  get state(): PairingState {
    return this.#state;
  }
  /** Which side this is (null before `createInvitation` or `answerInvitation`). */
  get role(): PairingRole | null {
    return this.#role;
  }
  /** This side's id in chat and files: 'inviter' or 'joiner' (empty before a role is taken). */
  get peerId(): string {
    return this.#role === null ? '' : PAIRING_PEER_IDS[this.#role];
  }
  /** The other side's id. */
  get remotePeerId(): string {
    return this.#role === null ? '' : PAIRING_PEER_IDS[this.#role === 'inviter' ? 'joiner' : 'inviter'];
  }
  /** The other side's camera and microphone (tracks come and go; see `remote-media`). */
  get remoteStream(): MediaStream | null {
    return this.#link?.remoteStream ?? null;
  }

  /** Inviter: the invitation blob, made once ICE gathering completed. */
  async createInvitation(): Promise<string> {
    const link = this.#begin('inviter');
    this.#tag = crypto.getRandomValues(new Uint32Array(1))[0]!;
    const sdp = await this.#step(link.makeOffer());
    const blob = await encodePairingBlob({ kind: 'offer', sdp, createdAt: this.#now(), tag: this.#tag });
    this.#setState('waiting');
    return blob;
  }

  /**
   * Inviter: applies the other side's answer. Throws a PairingError for a blob that cannot be used (the session
   * stays waiting: paste another), INVALID_STATE when not waiting for an answer.
   */
  async acceptAnswer(answer: string): Promise<void> {
    const link = this.#link;
    if (this.#role !== 'inviter' || link === null || this.#state !== 'waiting') {
      throw new RendezvousError('INVALID_STATE', 'This pairing is not waiting for an answer.');
    }
    const blob = await decodePairingBlob(answer, this.#decodeOptions('answer', this.#tag));
    try {
      await link.applyAnswer(blob.sdp);
    } catch (error) {
      throw new RendezvousError('NEGOTIATION_FAILED', `The answer could not be applied: ${String(error)}`, { cause: error });
    }
    this.#setState('connecting');
    this.#connectTimer = setTimeout(() => this.#onLink('failed'), this.#options.connectTimeoutMs ?? 30_000);
  }

  /** Joiner: the answer blob for `invitation`. Throws a PairingError for a blob that cannot be used (nothing changes). */
  async answerInvitation(invitation: string): Promise<string> {
    if (this.#role !== null) {
      throw new RendezvousError('INVALID_STATE', 'This pairing has already started.');
    }
    const offer = await decodePairingBlob(invitation, this.#decodeOptions('offer'));
    const link = this.#begin('joiner');
    this.#tag = offer.tag;
    const sdp = await this.#step(link.answer(offer.sdp));
    const blob = await encodePairingBlob({ kind: 'answer', sdp, createdAt: this.#now(), tag: this.#tag });
    this.#setState('waiting');
    return blob;
  }

  /** Shares `media`'s camera and microphone with the other side (null: stop). Takes effect once connected. */
  setMedia(media: LocalMedia | null): void {
    this.#media = media;
    this.#link?.setMedia(media);
  }

  /** Ends the pairing: chat and files close, the connection closes. The LocalMedia stays the caller's. Idempotent. */
  close(): void {
    if (this.#state === 'closed') {
      return;
    }
    clearTimeout(this.#connectTimer);
    this.#link?.close();
    this.#membership.emit('close');
    this.#data.close();
    this.#setState('closed');
    this.#membership.removeAllListeners();
  }

  #begin(role: PairingRole): PairedLink {
    if (this.#role !== null || this.#state === 'closed') {
      throw new RendezvousError('INVALID_STATE', 'This pairing has already started.');
    }
    this.#role = role;
    const link = new PairedLink(
      {
        polite: role === 'joiner',
        rtcConfig: { iceServers: this.#options.iceServers ?? [] },
        gatherTimeoutMs: this.#options.gatherTimeoutMs ?? 10_000,
      },
      {
        state: (state) => this.#onLink(state),
        signal: (data) => this.#sendSignal(data),
        remoteMedia: () => this.emit('remote-media', link.remoteStream),
        error: (error) => this.emit('error', error),
      },
    );
    this.#link = link;
    this.#data.addPeer(this.remotePeerId);
    this.#data.attach(this.remotePeerId, link.channels);
    this.#membership.emit('joined', this.remotePeerId);
    link.setMedia(this.#media);
    this.#setState('gathering');
    return link;
  }

  /** Runs a step of the exchange; a failure fails the pairing (and is rethrown). */
  async #step<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      const failure =
        error instanceof RendezvousError
          ? error
          : new RendezvousError('NEGOTIATION_FAILED', `Setting up the connection failed: ${String(error)}`, { cause: error });
      if (this.#state !== 'closed') {
        this.#setState('failed');
      }
      throw failure;
    }
  }

  #onLink(state: LinkState): void {
    if (this.#state === 'closed' || this.#state === 'failed') {
      return;
    }
    if (state === 'connected') {
      clearTimeout(this.#connectTimer);
      this.#everConnected = true;
      this.#setState('connected');
    } else if (state === 'disconnected') {
      this.#setState('disconnected');
    } else {
      clearTimeout(this.#connectTimer);
      const message = this.#everConnected
        ? 'The other side left, or the connection was lost.'
        : 'The two devices could not reach each other directly.';
      this.#setState('failed');
      this.#membership.emit('left', this.remotePeerId);
      this.emit('error', new RendezvousError('CONNECTION_FAILED', message, { detail: { connected: this.#everConnected } }));
    }
  }

  #sendSignal(data: SignalData): void {
    try {
      this.#data.sendInternal(SIGNAL_TOPIC, JSON.parse(JSON.stringify(data)) as JsonValue, { to: this.remotePeerId });
    } catch (error) {
      this.emit('error', error instanceof RendezvousError ? error : new RendezvousError('NEGOTIATION_FAILED', String(error)));
    }
  }

  #onSignal(message: unknown): void {
    const parsed = SignalDataSchema.safeParse(message);
    if (!parsed.success) {
      this.emit('error', new RendezvousError('BAD_MESSAGE', 'The other side sent a negotiation message that does not fit.'));
      return;
    }
    void this.#link?.handleSignal(parsed.data);
  }

  #decodeOptions(expect: 'offer' | 'answer', tag?: number): Parameters<typeof decodePairingBlob>[1] {
    return {
      expect,
      now: () => this.#now(),
      maxAgeMs: this.#options.maxAgeMs ?? PAIRING_MAX_AGE_MS,
      ...(tag === undefined ? {} : { tag }),
    };
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  #setState(state: PairingState): void {
    if (state !== this.#state) {
      this.#state = state;
      this.emit('state', state);
    }
  }
}
