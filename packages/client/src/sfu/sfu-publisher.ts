import { RendezvousError, SFU_SOURCES, type SfuSource } from '@rendezvous/protocol';
import { applyVideoCodec, type VideoCodecName } from '../codecs.js';
import type { RoomTransportHost } from '../room-transport.js';
import { CandidateTrickle } from './candidate-trickle.js';

export interface SfuPublisherEvents {
  connected(publisher: SfuPublisher): void;
  /** Once at most, and never after `close()`. */
  failed(publisher: SfuPublisher, reason: string): void;
}

/**
 * One published source in an SFU room: its own RTCPeerConnection with one sending transceiver, offered to the server
 * (`sfu-publish`). A new track of the same source is swapped in without negotiation. It reports a failed connection
 * once; the transport decides whether to publish again.
 */
export class SfuPublisher {
  readonly source: SfuSource;
  readonly #host: RoomTransportHost;
  readonly #pc: RTCPeerConnection;
  readonly #transceiver: RTCRtpTransceiver;
  readonly #events: SfuPublisherEvents;
  readonly #trickle: CandidateTrickle;
  #published = false;
  #closed = false;

  constructor(
    source: SfuSource,
    track: MediaStreamTrack,
    host: RoomTransportHost,
    codec: VideoCodecName | null,
    events: SfuPublisherEvents,
  ) {
    this.source = source;
    this.#host = host;
    this.#events = events;
    this.#pc = new RTCPeerConnection(host.rtcConfig());
    this.#transceiver = this.#pc.addTransceiver(track, { direction: 'sendonly', streams: [new MediaStream([track])] });
    if (SFU_SOURCES[source].kind === 'video' && codec !== null) {
      applyVideoCodec(this.#transceiver, codec);
    }
    this.#pc.addEventListener('connectionstatechange', this.#onState);
    this.#trickle = new CandidateTrickle(this.#pc, { source }, (message) => host.send(message));
  }

  get connection(): RTCPeerConnection {
    return this.#pc;
  }

  /** Offers, and applies the server's answer. Rejects with the server's error (SFU_LIMIT, …). */
  async start(): Promise<void> {
    const offer = await this.#pc.createOffer();
    await this.#pc.setLocalDescription(offer);
    const reply = await this.#host.request({ type: 'sfu-publish', source: this.source, sdp: offer.sdp ?? '' }, 'sfu-published');
    if (this.#closed) {
      return;
    }
    this.#published = true;
    await this.#pc.setRemoteDescription({ type: 'answer', sdp: reply.sdp });
    this.#trickle.ready();
  }

  /** Sends `track` from now on (same kind), without a new offer. */
  replaceTrack(track: MediaStreamTrack): void {
    if (!this.#closed) {
      this.#transceiver.sender.replaceTrack(track).catch((error: unknown) => {
        this.#host.reportError(
          new RendezvousError('NEGOTIATION_FAILED', `Could not switch the ${this.source} track`, { cause: error }),
        );
      });
    }
  }

  /** Closes the connection; `unpublish` also tells the server (not needed when it closed it). Idempotent. */
  close(unpublish: boolean): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    this.#pc.removeEventListener('connectionstatechange', this.#onState);
    this.#trickle.close();
    this.#pc.close();
    if (unpublish && this.#published) {
      this.#host.send({ type: 'sfu-unpublish', source: this.source });
    }
  }

  readonly #onState = (): void => {
    if (this.#closed) {
      return;
    }
    if (this.#pc.connectionState === 'failed') {
      this.#events.failed(this, 'the connection to the server failed');
    } else if (this.#pc.connectionState === 'connected') {
      this.#events.connected(this);
    }
  };
}
