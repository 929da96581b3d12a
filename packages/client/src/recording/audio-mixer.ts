import { liveAudioTracks, type RecordingSource } from './recording-sources.js';

interface MixInput {
  node: MediaStreamAudioSourceNode;
  /** Chromium feeds a remote WebRTC track to WebAudio only while a media element plays it; muted. */
  element: HTMLAudioElement;
}

/**
 * Mixes every live audio track of the sources into one track (`stream`), the same track for the whole
 * recording: one source node per track, added when a track appears (a peer joins, a microphone is switched)
 * and disconnected when it goes away.
 */
export class AudioMixer {
  readonly stream: MediaStream;
  readonly #context: AudioContext;
  readonly #destination: MediaStreamAudioDestinationNode;
  readonly #inputs = new Map<MediaStreamTrack, MixInput>();

  constructor() {
    this.#context = new AudioContext();
    this.#destination = this.#context.createMediaStreamDestination();
    this.stream = this.#destination.stream;
    if (this.#context.state === 'suspended') {
      this.#context.resume().catch(() => undefined);
    }
  }

  /** The number of tracks being mixed. */
  get inputs(): number {
    return this.#inputs.size;
  }

  sync(sources: readonly RecordingSource[]): void {
    const live = new Set(sources.flatMap((source) => liveAudioTracks(source.audio)));
    for (const [track, input] of this.#inputs) {
      if (!live.has(track)) {
        release(input);
        this.#inputs.delete(track);
      }
    }
    for (const track of live) {
      if (!this.#inputs.has(track)) {
        this.#inputs.set(track, this.#connect(track));
      }
    }
  }

  close(): void {
    for (const input of this.#inputs.values()) {
      release(input);
    }
    this.#inputs.clear();
    for (const track of this.stream.getTracks()) {
      track.stop();
    }
    this.#destination.disconnect();
    this.#context.close().catch(() => undefined);
  }

  #connect(track: MediaStreamTrack): MixInput {
    const stream = new MediaStream([track]);
    const node = this.#context.createMediaStreamSource(stream);
    node.connect(this.#destination);
    const element = document.createElement('audio');
    element.muted = true;
    element.srcObject = stream;
    element.play().catch(() => undefined);
    return { node, element };
  }
}

function release(input: MixInput): void {
  input.node.disconnect();
  input.element.pause();
  input.element.srcObject = null;
}
