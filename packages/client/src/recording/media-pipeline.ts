import { AudioMixer } from './audio-mixer.js';
import type { RecordingSource } from './recording-sources.js';
import { VideoCompositor, type CompositorOptions } from './video-compositor.js';

/** What a Recorder records from: one stable stream (canvas video, mixed audio) fed from the sources. */
export interface MediaPipeline {
  /** Never changes its tracks while recording (MediaRecorder stops when tracks come or go). */
  readonly stream: MediaStream;
  /** Draws a frame and updates the audio mix from the sources as they are now. */
  render(sources: readonly RecordingSource[]): void;
  /** Releases the canvas, the video and audio elements, every audio node and the context. */
  close(): void;
}

export interface PipelineOptions extends CompositorOptions {
  audio: boolean;
}

/** A canvas grid of the videos plus, with `audio`, a WebAudio mix of all audio. */
export function createMediaPipeline(options: PipelineOptions): MediaPipeline {
  const compositor = new VideoCompositor(options);
  let mixer: AudioMixer | null = null;
  try {
    mixer = options.audio ? new AudioMixer() : null;
  } catch (error) {
    compositor.close();
    throw error;
  }
  const stream = new MediaStream([...compositor.stream.getVideoTracks(), ...(mixer?.stream.getAudioTracks() ?? [])]);
  return {
    stream,
    render(sources) {
      compositor.render(sources);
      mixer?.sync(sources);
    },
    close() {
      compositor.close();
      mixer?.close();
    },
  };
}
