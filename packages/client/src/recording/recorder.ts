import type { RendezvousError } from '@rendezvous/protocol';
import { TypedEmitter } from '../typed-emitter.js';
import type { MediaPipeline } from './media-pipeline.js';
import { ProgressMeter, type RecordingProgress } from './progress-meter.js';
import { browserEnvironment, type MediaRecorderLike, type RecorderEnvironment } from './recorder-environment.js';
import { recorderState, recordingFailed, recordingUnsupported } from './recording-errors.js';
import { chooseRecordingFormat, recordingFileName, type RecordingFormat } from './recording-format.js';
import type { RecordingSource, RecordingSources } from './recording-sources.js';

export type RecorderState = 'idle' | 'recording' | 'stopping' | 'stopped';

export interface RecorderOptions {
  /** Size of the recorded picture; default 1280 x 720. */
  width?: number;
  height?: number;
  /** Frames drawn per second; default 24. */
  frameRate?: number;
  /** Record audio (a mix of every source's audio); default true. */
  audio?: boolean;
  /** A MediaRecorder type to try first (otherwise MP4 where offered, else WebM). */
  mimeType?: string;
  videoBitsPerSecond?: number;
  /** A key frame at least this often, in ms (Chromium); default 1000: seek points, and MP4 data every second. */
  keyFrameIntervalMs?: number;
  audioBitsPerSecond?: number;
  /** Start of the file name; default `recording`. */
  fileNamePrefix?: string;
  /** Rewrite the file so it seeks (WebM duration and cues); default true. */
  seekable?: boolean;
}

export interface RecordingResult {
  blob: Blob;
  mimeType: string;
  durationMs: number;
  /** `<prefix>-YYYY-MM-DD-hh-mm-ss.mp4` or `.webm`. */
  fileName: string;
  /** False when the file could not be rewritten and is the browser's raw output (WebM without cues). */
  seekable: boolean;
}

export interface RecorderEvents {
  state: [state: RecorderState];
  /** Capturing started (true) or ended (false): what the room's "recording" indicator follows. */
  recording: [recording: boolean];
  /** Every second while recording. */
  progress: [progress: RecordingProgress];
  /** The browser's recorder failed; the recording is over and `stop()` rejects with the same error. */
  error: [error: RendezvousError];
}

/** What a started recording holds; released as one. */
interface Session {
  format: RecordingFormat;
  pipeline: MediaPipeline;
  recorder: MediaRecorderLike;
  meter: ProgressMeter;
  frameTimer: unknown;
  chunks: Blob[];
  startedAt: Date;
  durationMs: number;
  released: boolean;
}

/**
 * Records sources (own media, one peer, or the whole call) into one file: a canvas grid of the videos and a
 * WebAudio mix of the audio, so devices switching and people coming and going never break the recording.
 */
export class Recorder extends TypedEmitter<RecorderEvents> {
  readonly #sources: RecordingSources;
  readonly #options: RecorderOptions;
  readonly #env: RecorderEnvironment;
  #state: RecorderState = 'idle';
  #session: Session | null = null;
  #stopping: Promise<RecordingResult> | null = null;
  #rejectStop: ((error: RendezvousError) => void) | null = null;

  constructor(sources: RecordingSources, options: RecorderOptions = {}, env?: RecorderEnvironment) {
    super();
    this.#sources = sources;
    this.#options = options;
    this.#env = env ?? browserEnvironment();
  }

  /** The format this browser would record in, or null when it cannot record. */
  static format(preferred?: string): RecordingFormat | null {
    const supported = browserEnvironment().isTypeSupported;
    return supported === null ? null : chooseRecordingFormat(supported, preferred);
  }

  get state(): RecorderState {
    return this.#state;
  }
  get recording(): boolean {
    return this.#state === 'recording';
  }
  /** The format in use (null before start). */
  get format(): RecordingFormat | null {
    return this.#session?.format ?? null;
  }
  get elapsedMs(): number {
    return this.#session?.meter.elapsedMs ?? 0;
  }
  get bytes(): number {
    return this.#session?.meter.bytes ?? 0;
  }

  /** Starts recording. Throws when the browser cannot record or the recorder was already started. */
  start(): void {
    if (this.#state !== 'idle') {
      throw recorderState(`The recorder is ${this.#state}; create a new one to record again`);
    }
    const supported = this.#env.isTypeSupported;
    const format = supported === null ? null : chooseRecordingFormat(supported, this.#options.mimeType);
    if (format === null) {
      throw recordingUnsupported('This browser cannot record MP4 or WebM (MediaRecorder)');
    }
    const session = this.#open(format);
    this.#session = session;
    session.recorder.start(1000);
    session.meter.start();
    this.#setState('recording');
  }

  /** Ends the recording; resolves with the file once it is written (and made seekable). */
  stop(): Promise<RecordingResult> {
    if (this.#stopping !== null) {
      return this.#stopping;
    }
    const session = this.#session;
    if (this.#state !== 'recording' || session === null) {
      return Promise.reject(recorderState(`There is no recording to stop (the recorder is ${this.#state})`));
    }
    this.#stopping = new Promise<RecordingResult>((resolve, reject) => {
      this.#rejectStop = reject;
      session.recorder.onstop = () => {
        this.#finish(session).then(resolve, reject);
      };
    });
    this.#stopping.catch(() => undefined);
    session.durationMs = session.meter.stop();
    this.#env.clock.clearInterval(session.frameTimer);
    this.#setState('stopping');
    session.recorder.stop();
    return this.#stopping;
  }

  /** Drops the recording (if any) and releases the canvas, audio nodes and timers. Idempotent. */
  close(): void {
    const session = this.#session;
    if (session !== null) {
      this.#release(session);
      session.chunks.length = 0;
      this.#session = null;
    }
    this.#rejectStop?.(recorderState('The recorder was closed before the file was written'));
    this.#rejectStop = null;
    if (this.#state !== 'stopped') {
      this.#setState('stopped');
    }
  }

  #open(format: RecordingFormat): Session {
    const options = this.#options;
    const frameRate = options.frameRate ?? 24;
    let pipeline: MediaPipeline;
    try {
      pipeline = this.#env.createPipeline({
        width: options.width ?? 1280,
        height: options.height ?? 720,
        frameRate,
        audio: options.audio ?? true,
      });
    } catch (error) {
      throw recordingUnsupported('This browser cannot compose a recording (canvas capture or WebAudio)', error);
    }
    let recorder: MediaRecorderLike;
    try {
      recorder = this.#env.createMediaRecorder(pipeline.stream, {
        mimeType: format.mimeType,
        videoKeyFrameIntervalDuration: options.keyFrameIntervalMs ?? 1000,
        ...(options.videoBitsPerSecond === undefined ? {} : { videoBitsPerSecond: options.videoBitsPerSecond }),
        ...(options.audioBitsPerSecond === undefined ? {} : { audioBitsPerSecond: options.audioBitsPerSecond }),
      });
    } catch (error) {
      pipeline.close();
      throw recordingFailed(`The browser refused to record ${format.mimeType}`, error);
    }
    const clock = this.#env.clock;
    const meter = new ProgressMeter(clock, (progress) => this.emit('progress', progress));
    const session: Session = {
      format,
      pipeline,
      recorder,
      meter,
      frameTimer: null,
      chunks: [],
      startedAt: new Date(clock.now()),
      durationMs: 0,
      released: false,
    };
    recorder.ondataavailable = (event) => {
      if (event.data.size > 0) {
        session.chunks.push(event.data);
        meter.addBytes(event.data.size);
      }
    };
    recorder.onerror = (event) => this.#fail(session, event);
    this.#render(session);
    session.frameTimer = clock.setInterval(() => this.#render(session), Math.max(1, Math.round(1000 / frameRate)));
    return session;
  }

  #render(session: Session): void {
    let sources: RecordingSource[];
    try {
      sources = this.#sources();
    } catch {
      return;
    }
    session.pipeline.render(sources);
  }

  async #finish(session: Session): Promise<RecordingResult> {
    if (this.#session !== session) {
      throw recorderState('The recorder was closed before the file was written');
    }
    const mimeType = session.recorder.mimeType === '' ? session.format.mimeType : session.recorder.mimeType;
    const raw = new Blob(session.chunks, { type: mimeType });
    this.#release(session);
    let blob = raw;
    let seekable = session.format.container === 'mp4';
    if (this.#options.seekable !== false && raw.size > 0) {
      try {
        blob = await this.#env.makeSeekable(raw, session.format.container);
        seekable = true;
      } catch {
        blob = raw;
      }
    }
    if (this.#session !== session) {
      throw recorderState('The recorder was closed before the file was written');
    }
    this.#session = null;
    this.#rejectStop = null;
    this.#setState('stopped');
    const fileName = recordingFileName(session.startedAt, session.format.container, this.#options.fileNamePrefix);
    return { blob, mimeType, durationMs: session.durationMs, fileName, seekable };
  }

  #fail(session: Session, event: Event): void {
    if (this.#session !== session) {
      return;
    }
    const error = recordingFailed('The browser stopped recording', (event as { error?: unknown }).error ?? event);
    this.#release(session);
    this.#session = null;
    this.#rejectStop?.(error);
    this.#rejectStop = null;
    this.#setState('stopped');
    this.emit('error', error);
  }

  #release(session: Session): void {
    if (session.released) {
      return;
    }
    session.released = true;
    session.meter.stop();
    this.#env.clock.clearInterval(session.frameTimer);
    const recorder = session.recorder;
    recorder.ondataavailable = null;
    recorder.onerror = null;
    if (recorder.state !== 'inactive') {
      recorder.onstop = null;
      recorder.stop();
    }
    session.pipeline.close();
  }

  #setState(state: RecorderState): void {
    const wasRecording = this.recording;
    this.#state = state;
    this.emit('state', state);
    if (wasRecording !== this.recording) {
      this.emit('recording', this.recording);
    }
  }
}
