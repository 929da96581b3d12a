import { RendezvousError } from '@rendezvous/protocol';

/** Bits/s a shared screen may use: enough for sharp text at 1080p when little moves. */
export const SCREEN_MAX_BITRATE = 2_500_000;

/**
 * Encoding parameters that keep a shared screen's text sharp: under congestion the frame rate drops, not
 * the resolution (`maintain-resolution`), within `maxBitrate`. False when the browser refuses (Firefox
 * ignores degradationPreference; it still takes the bitrate).
 */
export async function applyScreenParameters(sender: RTCRtpSender, maxBitrate = SCREEN_MAX_BITRATE): Promise<boolean> {
  try {
    const params = sender.getParameters();
    params.degradationPreference = 'maintain-resolution';
    for (const encoding of params.encodings) {
      encoding.maxBitrate ??= maxBitrate;
    }
    await sender.setParameters(params);
    return true;
  } catch {
    return false;
  }
}

type ScreenKind = 'screen' | 'screenAudio';

/**
 * The sending half of screen sharing on one connection: a sendonly video transceiver and, when the
 * capture has system or tab audio, a sendonly audio transceiver, both labelled with one stream id so the
 * receiver puts them in one MediaStream. Stopping sets them `inactive` (kept for the next share: no new
 * m-sections).
 */
export class ScreenSender {
  /** The stream id that labels what this side shares. */
  readonly stream = new MediaStream();
  readonly #pc: RTCPeerConnection;
  readonly #onError: (error: RendezvousError) => void;
  readonly #onVideoTransceiver: (transceiver: RTCRtpTransceiver) => void;
  #video: RTCRtpTransceiver | null = null;
  #audio: RTCRtpTransceiver | null = null;

  /** `onVideoTransceiver`: a new screen video transceiver (apply codec preferences there). */
  constructor(
    pc: RTCPeerConnection,
    onError: (error: RendezvousError) => void,
    onVideoTransceiver: (transceiver: RTCRtpTransceiver) => void,
  ) {
    this.#pc = pc;
    this.#onError = onError;
    this.#onVideoTransceiver = onVideoTransceiver;
  }

  get video(): RTCRtpTransceiver | null {
    return this.#video;
  }
  get audio(): RTCRtpTransceiver | null {
    return this.#audio;
  }

  /** Whether `transceiver` is one of ours (so not the remote's screen). */
  owns(transceiver: RTCRtpTransceiver): boolean {
    return transceiver === this.#video || transceiver === this.#audio;
  }

  /** Sends `track` as the screen (`screen`) or its audio (`screenAudio`); null pauses that transceiver. */
  set(kind: ScreenKind, track: MediaStreamTrack | null): void {
    const transceiver = kind === 'screen' ? this.#video : this.#audio;
    if (track === null) {
      if (transceiver !== null) {
        this.#replace(transceiver, null);
        if (transceiver.direction !== 'inactive') {
          transceiver.direction = 'inactive';
        }
      }
      return;
    }
    if (transceiver === null) {
      this.#create(kind, track);
      return;
    }
    this.#replace(transceiver, track);
    if (transceiver.direction !== 'sendonly') {
      transceiver.direction = 'sendonly';
    }
  }

  #create(kind: ScreenKind, track: MediaStreamTrack): void {
    if (kind === 'screenAudio') {
      this.#audio = this.#pc.addTransceiver(track, { direction: 'sendonly', streams: [this.stream] });
      return;
    }
    const video = this.#pc.addTransceiver(track, {
      direction: 'sendonly',
      streams: [this.stream],
      sendEncodings: [{ maxBitrate: SCREEN_MAX_BITRATE }],
    });
    this.#video = video;
    this.#onVideoTransceiver(video);
    void applyScreenParameters(video.sender);
  }

  #replace(transceiver: RTCRtpTransceiver, track: MediaStreamTrack | null): void {
    transceiver.sender.replaceTrack(track).catch((error: unknown) => {
      if (this.#pc.signalingState !== 'closed') {
        this.#onError(new RendezvousError('NEGOTIATION_FAILED', `replaceTrack failed: ${String(error)}`, { cause: error }));
      }
    });
  }
}
