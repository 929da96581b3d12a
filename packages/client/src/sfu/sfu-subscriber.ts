import type { SfuGroup } from '@rendezvous/protocol';
import type { PeerConnectionState } from '../ice-supervisor.js';
import type { RoomTransportHost } from '../room-transport.js';
import { CandidateTrickle } from './candidate-trickle.js';

/**
 * What this client receives of one member's source group in an SFU room: one RTCPeerConnection with a receive-only
 * audio and video transceiver, offered to the server (`sfu-subscribe`). Its tracks exist from the start and carry
 * media whenever the member publishes that source; the server switches sources on it without a new offer.
 */
export class SfuSubscriber {
  readonly peerId: string;
  readonly group: SfuGroup;
  readonly audio: MediaStreamTrack;
  readonly video: MediaStreamTrack;
  readonly #host: RoomTransportHost;
  readonly #pc: RTCPeerConnection;
  readonly #audioReceiver: RTCRtpReceiver;
  readonly #onState: (state: PeerConnectionState) => void;
  readonly #trickle: CandidateTrickle;
  #closed = false;

  constructor(peerId: string, group: SfuGroup, host: RoomTransportHost, onState: (state: PeerConnectionState) => void) {
    this.peerId = peerId;
    this.group = group;
    this.#host = host;
    this.#onState = onState;
    this.#pc = new RTCPeerConnection(host.rtcConfig());
    const audio = this.#pc.addTransceiver('audio', { direction: 'recvonly' });
    const video = this.#pc.addTransceiver('video', { direction: 'recvonly' });
    this.#audioReceiver = audio.receiver;
    this.audio = audio.receiver.track;
    this.video = video.receiver.track;
    this.#pc.addEventListener('connectionstatechange', this.#stateChanged);
    this.#trickle = new CandidateTrickle(this.#pc, { peerId, group }, (message) => host.send(message));
  }

  get connection(): RTCPeerConnection {
    return this.#pc;
  }

  get audioReceiver(): RTCRtpReceiver {
    return this.#audioReceiver;
  }

  /** Offers, and applies the server's answer. Rejects with the server's error. */
  async start(): Promise<void> {
    const offer = await this.#pc.createOffer();
    await this.#pc.setLocalDescription(offer);
    const reply = await this.#host.request(
      { type: 'sfu-subscribe', peerId: this.peerId, group: this.group, sdp: offer.sdp ?? '' },
      'sfu-subscribed',
    );
    if (!this.#closed) {
      await this.#pc.setRemoteDescription({ type: 'answer', sdp: reply.sdp });
      this.#trickle.ready();
    }
  }

  /** Closes the connection and stops its tracks; `unsubscribe` also tells the server. Idempotent. */
  close(unsubscribe: boolean): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    this.#pc.removeEventListener('connectionstatechange', this.#stateChanged);
    this.#trickle.close();
    this.#pc.close();
    this.audio.stop();
    this.video.stop();
    if (unsubscribe) {
      this.#host.send({ type: 'sfu-unsubscribe', peerId: this.peerId, group: this.group });
    }
  }

  readonly #stateChanged = (): void => {
    if (this.#closed) {
      return;
    }
    const state = this.#pc.connectionState;
    this.#onState(state === 'disconnected' ? 'reconnecting' : state);
  };
}
