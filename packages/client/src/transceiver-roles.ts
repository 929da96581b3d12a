import { primaryMids } from './sdp.js';

/** What a transceiver carries on a link: camera and mic both ways, or one side's screen video or audio. */
export type TransceiverRole = 'mic' | 'camera' | 'screen' | 'screenAudio';

type Mids = { audio: string | null; video: string | null };

/**
 * Tells a link's transceivers apart. The impolite side creates the mic and camera transceivers first, so on
 * every link the first audio and first video m-sections carry them both ways (m-sections never move);
 * any other transceiver is a screen's video or audio.
 */
export class TransceiverRoles {
  readonly #pc: RTCPeerConnection;
  /** The stream id that labels camera + mic (the screen's is the ScreenSender's). */
  readonly #cameraStream = new MediaStream();
  #mic: RTCRtpTransceiver | null = null;
  #camera: RTCRtpTransceiver | null = null;
  #primary: Mids | null = null;

  constructor(pc: RTCPeerConnection) {
    this.#pc = pc;
  }

  get mic(): RTCRtpTransceiver | null {
    return this.#mic;
  }
  get camera(): RTCRtpTransceiver | null {
    return this.#camera;
  }

  /** Impolite side: creates the mic and camera transceivers (sending what is given). Returns the camera's. */
  createPrimary(audio: MediaStreamTrack | null, video: MediaStreamTrack | null): RTCRtpTransceiver {
    const init = (): RTCRtpTransceiverInit => ({ direction: 'sendrecv', streams: [this.#cameraStream] });
    this.#mic = this.#pc.addTransceiver(audio ?? 'audio', init());
    this.#camera = this.#pc.addTransceiver(video ?? 'video', init());
    return this.#camera;
  }

  /** Polite side, first offer: puts our camera and mic on the offered transceivers before answering. */
  async bindPrimary(audio: MediaStreamTrack | null, video: MediaStreamTrack | null): Promise<void> {
    if (this.#mic !== null && this.#camera !== null) {
      return;
    }
    const mids = this.#mids();
    for (const transceiver of this.#pc.getTransceivers()) {
      const isMic = this.#mic === null && transceiver.mid !== null && transceiver.mid === mids.audio;
      const isCamera = this.#camera === null && transceiver.mid !== null && transceiver.mid === mids.video;
      if (!isMic && !isCamera) {
        continue;
      }
      if (isMic) {
        this.#mic = transceiver;
      } else {
        this.#camera = transceiver;
      }
      transceiver.direction = 'sendrecv';
      setStreams(transceiver.sender, this.#cameraStream);
      await transceiver.sender.replaceTrack(isMic ? audio : video);
    }
  }

  roleOf(transceiver: RTCRtpTransceiver): TransceiverRole {
    if (transceiver === this.#mic) {
      return 'mic';
    }
    if (transceiver === this.#camera) {
      return 'camera';
    }
    const mids = this.#mids();
    if (transceiver.mid !== null && transceiver.mid === mids.audio) {
      return 'mic';
    }
    if (transceiver.mid !== null && transceiver.mid === mids.video) {
      return 'camera';
    }
    return transceiver.receiver.track.kind === 'video' ? 'screen' : 'screenAudio';
  }

  /** The remote's screen: the last non-primary transceiver of each kind the remote currently sends on. */
  activeRemoteScreen(isOwnScreen: (transceiver: RTCRtpTransceiver) => boolean): {
    video: MediaStreamTrack | null;
    audio: MediaStreamTrack | null;
  } {
    const active: { video: MediaStreamTrack | null; audio: MediaStreamTrack | null } = { video: null, audio: null };
    for (const transceiver of this.#pc.getTransceivers()) {
      const role = this.roleOf(transceiver);
      if (isOwnScreen(transceiver) || (role !== 'screen' && role !== 'screenAudio')) {
        continue;
      }
      const direction = transceiver.currentDirection;
      if (direction === 'recvonly' || direction === 'sendrecv') {
        active[role === 'screen' ? 'video' : 'audio'] = transceiver.receiver.track;
      }
    }
    return active;
  }

  #mids(): Mids {
    if (this.#primary !== null) {
      return this.#primary;
    }
    const sdp = this.#pc.remoteDescription?.sdp ?? this.#pc.localDescription?.sdp;
    if (sdp === undefined) {
      return { audio: null, video: null };
    }
    const mids = primaryMids(sdp);
    if (mids.audio !== null && mids.video !== null) {
      this.#primary = mids;
    }
    return mids;
  }
}

function setStreams(sender: RTCRtpSender, stream: MediaStream): void {
  const withStreams = sender as RTCRtpSender & { setStreams?: (...streams: MediaStream[]) => void };
  if (typeof withStreams.setStreams === 'function') {
    withStreams.setStreams(stream);
  }
}
