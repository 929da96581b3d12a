import ndc from 'node-datachannel';
import { RendezvousError } from '@rendezvous/protocol';
import { audioLevelId, AUDIO_LEVEL_URI } from './codecs.js';
import type { OfferCodec, OfferMedia } from './offer.js';

/** Where every SFU connection listens: one UDP port, shared (ICE UDP mux), and the addresses it announces. */
export interface EndpointNetwork {
  port: number;
  bindAddress: string;
  /** Addresses written into answers instead of the gathered ones (a public address in front of a NAT). */
  announcedAddresses: readonly string[];
  /** Every endpoint whose native connection has not reported `closed` yet (the SFU waits for them on close). */
  live: Set<Endpoint>;
}

/** A media line the SFU adds before it answers, so that the answer carries its codec, SSRC and stream ids. */
export interface LocalMedia {
  offer: OfferMedia;
  direction: 'SendOnly' | 'RecvOnly';
  /** The codecs of the line, each in the offer's payload numbering (a receiving line takes exactly one). */
  codecs: readonly OfferCodec[];
  /** Declared for what the SFU sends (SendOnly), so the browser routes RTCP and groups streams by msid. */
  ssrc?: { ssrc: number; cname: string; streamId: string; trackId: string };
  /**
   * Header extensions the answer accepts, as `a=extmap` lines. Default: on an audio line, the audio-level extension
   * (RFC 6464) when the offer has it (the SFU reads it from publishers and forwards it to subscribers); else none.
   */
  extmaps?: { id: number; uri: string }[];
}

export type EndpointState = 'connected' | 'failed' | 'closed';

/**
 * One server-side RTCPeerConnection (libdatachannel), answering a client's offer. It owns the connection and its
 * tracks; `close()` is idempotent and releases them. The listener hears `connected` once, then `failed` or `closed`
 * at most once (not after the owner's own `close()`).
 */
export class Endpoint {
  readonly #pc: ndc.PeerConnection;
  readonly #network: EndpointNetwork;
  readonly tracks: ndc.Track[] = [];
  #connected = false;
  #closed = false;
  #onState: (state: EndpointState) => void;

  constructor(name: string, network: EndpointNetwork, onState: (state: EndpointState) => void) {
    this.#network = network;
    this.#onState = onState;
    this.#pc = new ndc.PeerConnection(name, {
      iceServers: [],
      enableIceUdpMux: true,
      portRangeBegin: network.port,
      portRangeEnd: network.port,
      bindAddress: network.bindAddress,
    });
    network.live.add(this);
    this.#pc.onStateChange((state) => this.#stateChanged(state));
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** Adds the SFU's side of a media line; call before `answer`. */
  addMedia(media: LocalMedia): ndc.Track {
    const { offer } = media;
    const description =
      offer.kind === 'audio' ? new ndc.Audio(offer.mid, media.direction) : new ndc.Video(offer.mid, media.direction);
    for (const codec of media.codecs) {
      const name = codec.name === 'OPUS' ? 'opus' : codec.name;
      // The binding takes no `undefined` for the fmtp: leave the argument out instead.
      if (description instanceof ndc.Audio && codec.fmtp === '') {
        description.addAudioCodec(codec.pt, name);
      } else if (description instanceof ndc.Audio) {
        description.addAudioCodec(codec.pt, name, codec.fmtp);
      } else if (codec.fmtp === '') {
        description.addVideoCodec(codec.pt, name);
      } else {
        description.addVideoCodec(codec.pt, name, codec.fmtp);
      }
    }
    for (const extmap of media.extmaps ?? defaultExtmaps(offer)) {
      description.parseSdpLine(`a=extmap:${extmap.id} ${extmap.uri}`);
    }
    if (media.ssrc !== undefined) {
      const { ssrc, cname, streamId, trackId } = media.ssrc;
      description.addSSRC(ssrc, cname, streamId, trackId);
    }
    const track = this.#pc.addTrack(description);
    this.tracks.push(track);
    return track;
  }

  /** Takes the client's offer and resolves with the answer, candidates included (it gathers at once on the mux port). */
  answer(offer: string, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new RendezvousError('SFU_BAD_OFFER', 'Gathering did not complete')), timeoutMs);
      this.#pc.onGatheringStateChange((state) => {
        const local = state === 'complete' ? this.#pc.localDescription() : null;
        if (local !== null) {
          clearTimeout(timer);
          resolve(this.#announce(local.sdp));
        }
      });
      try {
        this.#pc.setRemoteDescription(asDtlsServer(offer), 'offer');
      } catch (error) {
        clearTimeout(timer);
        reject(new RendezvousError('SFU_BAD_OFFER', String(error)));
      }
    });
  }

  /** A remote ICE candidate (trickled by the client). A malformed one is ignored, as a lost one would be. */
  addCandidate(candidate: string, mid: string): void {
    if (this.#closed) {
      return;
    }
    try {
      this.#pc.addRemoteCandidate(candidate, mid);
    } catch {
      // not a candidate libdatachannel can use (an mDNS name, another transport): nothing to do
    }
  }

  /** Idempotent. */
  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    this.#onState = () => {};
    for (const track of this.tracks) {
      try {
        track.close();
      } catch {
        // already closed with the connection
      }
    }
    this.#pc.close();
  }

  /**
   * No grace period is needed for blips: libjuice keeps a connected agent connected until consent checks have failed
   * for 30 s (then `failed`), so `disconnected` after `connected` only comes from the DTLS layer, i.e. the client
   * closed its side.
   */
  #stateChanged(state: string): void {
    if (state === 'closed') {
      this.#network.live.delete(this);
    }
    if (this.#closed) {
      return;
    }
    if (state === 'connected' && !this.#connected) {
      this.#connected = true;
      this.#onState('connected');
    } else if (state === 'failed' || state === 'closed' || (state === 'disconnected' && this.#connected)) {
      const onState = this.#onState;
      this.close();
      onState(state === 'closed' ? 'closed' : 'failed');
    }
  }

  /** The answer with the announced addresses in place of the gathered host candidates. */
  #announce(sdp: string): string {
    const addresses = this.#network.announcedAddresses;
    if (addresses.length === 0) {
      return sdp;
    }
    const lines = sdp.split('\r\n').filter((line) => !line.startsWith('a=candidate:'));
    const candidates = addresses.map(
      (address, i) => `a=candidate:${i + 1} 1 UDP ${2_122_260_223 - i} ${address} ${this.#network.port} typ host`,
    );
    const at = lines.findIndex((line) => line.startsWith('a=end-of-candidates'));
    lines.splice(at < 0 ? lines.length - 1 : at, 0, ...candidates);
    return lines.join('\r\n');
  }
}

/**
 * The offer as libdatachannel must read it for the SFU to answer `a=setup:passive` (the DTLS server) rather than
 * `active`. As the DTLS client the SFU would send its ClientHello as soon as its own ICE checks succeed, which on a
 * fast path is before the client has even applied the answer: a client that drops DTLS it cannot place yet (as
 * libdatachannel does) waits for the retransmission a second later. As the server, the SFU speaks only after the
 * client, whose hello follows its own ICE and the answer. An `actpass` offer allows either answer (RFC 5763 §5); what the client wrote is kept otherwise.
 */
function asDtlsServer(offer: string): string {
  return offer.replaceAll('a=setup:actpass', 'a=setup:active');
}

/** The extensions an answer accepts unless told otherwise: the audio level on an audio line that offers it. */
function defaultExtmaps(offer: OfferMedia): { id: number; uri: string }[] {
  const id = offer.kind === 'audio' ? audioLevelId(offer) : 0;
  return id === 0 ? [] : [{ id, uri: AUDIO_LEVEL_URI }];
}
