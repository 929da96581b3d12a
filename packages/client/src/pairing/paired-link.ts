/**
 * The one RTCPeerConnection of a pairing, with no ICE servers unless given. The first exchange is made by hand
 * (the blobs): the offer carries a negotiated message channel (id 0), so the data layer's channels exist before
 * any signaling path does. Once that channel is open it is the signaling path: later exchanges (adding a camera)
 * run the SDK's perfect negotiation over it, the inviter impolite, the joiner polite. Media is never in the first
 * offer (it would make the blob several times longer); each side's camera and microphone go on sendonly
 * transceivers of its own, added when it first shares them and made inactive while it shares nothing.
 */
import { RendezvousError, type SignalData } from '@rendezvous/protocol';
import { listen, type DataChannelLike, type PeerChannels } from '../data/channel-port.js';
import type { LocalMedia } from '../local-media.js';
import { Negotiator } from '../perfect-negotiation.js';
import { candidateCount, gatheringComplete } from './gathering.js';

export const PAIRING_CHANNEL_LABEL = 'rendezvous';

export type LinkState = 'connected' | 'disconnected' | 'failed';

export interface PairedLinkHooks {
  /** The message channel opened (again), the connection dropped, or it ended for good. */
  state(state: LinkState): void;
  /** A description or candidate for the other side (sent over the message channel). */
  signal(data: SignalData): void;
  /** The remote stream gained, lost, muted or unmuted a track. */
  remoteMedia(): void;
  error(error: RendezvousError): void;
}

export interface PairedLinkOptions {
  polite: boolean;
  rtcConfig: RTCConfiguration;
  gatherTimeoutMs: number;
}

type MediaKind = 'audio' | 'video';

export class PairedLink {
  readonly pc: RTCPeerConnection;
  readonly channels: PeerChannels;
  readonly remoteStream = new MediaStream();
  readonly #message: RTCDataChannel;
  readonly #hooks: PairedLinkHooks;
  readonly #options: PairedLinkOptions;
  readonly #senders = new Map<MediaKind, RTCRtpTransceiver>();
  /** Only labels what this side sends (its msid); the tracks are the LocalMedia's. */
  readonly #localStream = new MediaStream();
  readonly #offs: (() => void)[] = [];
  #negotiator: Negotiator | null = null;
  #media: LocalMedia | null = null;
  #offMedia: (() => void) | null = null;
  #closed = false;

  constructor(options: PairedLinkOptions, hooks: PairedLinkHooks) {
    if (typeof RTCPeerConnection === 'undefined') {
      throw new RendezvousError('UNSUPPORTED_BROWSER', 'RTCPeerConnection is missing');
    }
    this.#options = options;
    this.#hooks = hooks;
    this.pc = new RTCPeerConnection(options.rtcConfig);
    this.#message = this.pc.createDataChannel(PAIRING_CHANNEL_LABEL, { negotiated: true, id: 0 });
    const pc = this.pc;
    this.channels = {
      messages: this.#message,
      open: (label) => pc.createDataChannel(label),
      onChannel: (listener: (channel: DataChannelLike) => void) => {
        const handler = (event: RTCDataChannelEvent): void => listener(event.channel);
        pc.addEventListener('datachannel', handler);
        return () => pc.removeEventListener('datachannel', handler);
      },
    };
    this.#watch();
  }

  #watch(): void {
    const onTrack = (event: RTCTrackEvent): void => this.#onTrack(event.track);
    const onConnection = (): void => {
      const state = this.pc.connectionState;
      if (state === 'disconnected') {
        this.#hooks.state('disconnected');
      } else if (state === 'failed') {
        this.#hooks.state('failed');
      } else if (state === 'connected' && this.#message.readyState === 'open') {
        this.#hooks.state('connected');
      }
    };
    this.pc.addEventListener('track', onTrack);
    this.pc.addEventListener('connectionstatechange', onConnection);
    this.#offs.push(
      () => this.pc.removeEventListener('track', onTrack),
      () => this.pc.removeEventListener('connectionstatechange', onConnection),
      listen(this.#message, 'open', () => this.#opened()),
      listen(this.#message, 'close', () => this.#hooks.state('failed')),
    );
  }

  /** Inviter: the offer, once gathering completed. */
  async makeOffer(): Promise<string> {
    await this.pc.setLocalDescription();
    return this.#gathered();
  }

  /** Joiner: applies the offer; the answer, once gathering completed. */
  async answer(offerSdp: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    await this.pc.setLocalDescription();
    return this.#gathered();
  }

  /** Inviter: applies the answer. */
  async applyAnswer(answerSdp: string): Promise<void> {
    if (this.pc.signalingState !== 'have-local-offer') {
      throw new RendezvousError('INVALID_STATE', 'The invitation was already answered.');
    }
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
  }

  async #gathered(): Promise<string> {
    await gatheringComplete(this.pc, this.#options.gatherTimeoutMs);
    const sdp = this.pc.localDescription?.sdp ?? '';
    if (this.#closed) {
      throw new RendezvousError('INVALID_STATE', 'The pairing was closed.');
    }
    if (candidateCount(sdp) === 0) {
      throw new RendezvousError('NEGOTIATION_FAILED', 'No network address was found to offer (no ICE candidate).');
    }
    return sdp;
  }

  /** The message channel opened: from now on it carries the negotiation, and media may be added. */
  #opened(): void {
    if (this.#negotiator === null && !this.#closed) {
      this.#negotiator = new Negotiator(
        this.pc,
        { polite: this.#options.polite, politeWaitsForFirstOffer: false },
        {
          send: (data) => this.#hooks.signal(data),
          beforeAnswer: () => Promise.resolve(),
          onStable: () => undefined,
          onError: (error) => this.#hooks.error(error),
        },
      );
      this.#applyMedia();
    }
    this.#hooks.state('connected');
  }

  /** A description or candidate from the other side, over the message channel. */
  handleSignal(data: SignalData): Promise<void> {
    return this.#negotiator?.handle(data) ?? Promise.resolve();
  }

  /** Shares `media`'s camera and microphone (null: stops sending them). Applied once connected. */
  setMedia(media: LocalMedia | null): void {
    this.#offMedia?.();
    this.#offMedia = null;
    this.#media = media;
    if (media !== null) {
      this.#offMedia = media.on('send-track', (kind) => {
        if (kind === 'audio' || kind === 'video') {
          this.#applyMedia();
        }
      });
    }
    this.#applyMedia();
  }

  #applyMedia(): void {
    if (this.#negotiator === null || this.#closed) {
      return;
    }
    for (const kind of ['audio', 'video'] as const) {
      const track = this.#media?.sendTrack(kind) ?? null;
      const transceiver = this.#senders.get(kind);
      if (transceiver !== undefined) {
        transceiver.sender.replaceTrack(track).catch((error: unknown) => this.#mediaError(error));
        // Sending nothing is said in the description too (renegotiated over the channel): the other side's
        // track then mutes, instead of showing the last frame for ever.
        const direction = track === null ? 'inactive' : 'sendonly';
        if (transceiver.direction !== direction) {
          transceiver.direction = direction;
        }
      } else if (track !== null) {
        this.#senders.set(kind, this.pc.addTransceiver(track, { direction: 'sendonly', streams: [this.#localStream] }));
      }
    }
  }

  #mediaError(error: unknown): void {
    if (!this.#closed) {
      this.#hooks.error(
        new RendezvousError('NEGOTIATION_FAILED', `Could not change what is sent: ${String(error)}`, { cause: error }),
      );
    }
  }

  #onTrack(track: MediaStreamTrack): void {
    if (this.remoteStream.getTracks().includes(track)) {
      // The other side sends again on a transceiver it had made inactive: the same track, already followed.
      return this.#hooks.remoteMedia();
    }
    this.remoteStream.addTrack(track);
    const changed = (): void => this.#hooks.remoteMedia();
    track.addEventListener('mute', changed);
    track.addEventListener('unmute', changed);
    track.addEventListener('ended', () => {
      this.remoteStream.removeTrack(track);
      changed();
    });
    changed();
  }

  /** Closes the connection and stops the received tracks (the shared LocalMedia is the caller's). Idempotent. */
  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    this.#offMedia?.();
    this.#negotiator?.close();
    for (const off of this.#offs.splice(0)) {
      off();
    }
    for (const track of this.remoteStream.getTracks()) {
      this.remoteStream.removeTrack(track);
      track.stop();
    }
    this.#message.close();
    this.pc.close();
  }
}
