import { realClock, type Clock } from '@rendezvous/common';
import { createMediaPipeline, type MediaPipeline, type PipelineOptions } from './media-pipeline.js';
import type { RecordingContainer } from './recording-format.js';
import { makeSeekable } from './seekable.js';

/** The part of MediaRecorder a Recorder uses. */
export interface MediaRecorderLike {
  readonly mimeType: string;
  readonly state: 'inactive' | 'recording' | 'paused';
  ondataavailable: ((event: { data: Blob }) => void) | null;
  onstop: (() => void) | null;
  onerror: ((event: Event) => void) | null;
  start(timeslice?: number): void;
  stop(): void;
}

/** MediaRecorder options, with the key-frame interval Chromium reads (other browsers ignore it). */
export interface RecorderStartOptions extends MediaRecorderOptions {
  /** A key frame at least this often (ms): a seek point, and in MP4 a fragment, so data arrives every second. */
  videoKeyFrameIntervalDuration?: number;
}

/** @internal What a Recorder needs of the browser, replaceable in tests. */
export interface RecorderEnvironment {
  clock: Clock;
  /** MediaRecorder.isTypeSupported, or null when there is no MediaRecorder. */
  isTypeSupported: ((mimeType: string) => boolean) | null;
  createPipeline(options: PipelineOptions): MediaPipeline;
  createMediaRecorder(stream: MediaStream, options: RecorderStartOptions): MediaRecorderLike;
  makeSeekable(blob: Blob, container: RecordingContainer): Promise<Blob>;
}

export function browserEnvironment(): RecorderEnvironment {
  const hasRecorder = typeof MediaRecorder !== 'undefined' && typeof MediaRecorder.isTypeSupported === 'function';
  return {
    clock: realClock,
    isTypeSupported: hasRecorder ? (mimeType) => MediaRecorder.isTypeSupported(mimeType) : null,
    createPipeline: createMediaPipeline,
    createMediaRecorder: (stream, options) => new MediaRecorder(stream, options) as unknown as MediaRecorderLike,
    makeSeekable,
  };
}
