import { DEFAULT_MEDIA_STATE, RendezvousError, type MediaState } from '@rendezvous/protocol';
import { listDevices, onDevicesChanged } from './devices.js';
import {
  audioConstraints,
  capture,
  captureScreen,
  screenTracksOf,
  videoConstraints,
  type AudioConstraints,
  type CaptureConstraints,
  type VideoConstraints,
} from './capture.js';
import { toMediaError } from './media-errors.js';

export type { AudioConstraints, CaptureConstraints, VideoConstraints };
import { ScreenShare } from './screen-share.js';
import { TypedEmitter } from './typed-emitter.js';

/** What a link sends: microphone, camera, or screen. */
export type SendKind = 'audio' | 'video' | 'screen';
/** Everything a link may send: `SendKind`, plus the screen's own audio (system or tab audio). */
export type LinkSendKind = SendKind | 'screenAudio';

export interface ScreenShareOptions {
  /**
   * Ask for system or tab audio with the screen (default true). Whether any came back depends on the
   * browser and on what the user picked: see `screenAudioTrack`.
   */
  audio?: boolean;
}

export interface TrackSettings {
  deviceId?: string;
  label: string;
  width?: number;
  height?: number;
  frameRate?: number;
}
export interface LocalMediaEvents {
  state: [state: MediaState];
  /** What links must now send for `kind` (null: send nothing). */
  'send-track': [kind: SendKind, track: MediaStreamTrack | null];
  /** Screen sharing started (a stream with the screen track, and its audio if any) or stopped (null). */
  screen: [stream: MediaStream | null];
  /** What links must now send as the screen's audio (null: nothing). Comes before the screen's `send-track`. */
  'screen-audio': [track: MediaStreamTrack | null];
  devices: [devices: MediaDeviceInfo[]];
  error: [error: RendezvousError];
}

/** Owns the local camera, microphone and screen tracks, and decides what links send. */
export class LocalMedia extends TypedEmitter<LocalMediaEvents> {
  /** Camera + microphone, what the local preview shows. The same object for the media's whole life. */
  readonly stream: MediaStream;
  #audioTrack: MediaStreamTrack | null = null;
  #videoTrack: MediaStreamTrack | null = null;
  readonly #screen = new ScreenShare({
    ended: () => this.stopScreenShare(),
    audioEnded: () => {
      if (!this.#stopped) {
        this.emit('screen-audio', null);
      }
    },
  });
  #state: MediaState;
  #audio: AudioConstraints;
  #video: VideoConstraints;
  #stopped = false;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #endedHandlers = new Map<MediaStreamTrack, () => void>();
  readonly #unsubscribeDevices: () => void;

  private constructor(stream: MediaStream, audio: AudioConstraints, video: VideoConstraints) {
    super();
    this.stream = new MediaStream();
    this.#audio = audio;
    this.#video = video;
    for (const track of stream.getTracks()) {
      if (track.kind === 'audio' && this.#audioTrack === null) {
        this.#setCameraOrMic(track);
      } else if (track.kind === 'video' && this.#videoTrack === null) {
        this.#setCameraOrMic(track);
      } else {
        track.stop();
      }
    }
    this.#state = { ...DEFAULT_MEDIA_STATE, audioMuted: this.#audioTrack === null, videoMuted: this.#videoTrack === null };
    this.#unsubscribeDevices = onDevicesChanged((devices) => this.emit('devices', devices));
  }

  /** Opens camera and/or microphone. With no argument both are opened. */
  static async open(constraints: CaptureConstraints = { audio: true, video: true }): Promise<LocalMedia> {
    const audio = constraints.audio ?? false;
    const video = constraints.video ?? false;
    const audioOpts: AudioConstraints = typeof audio === 'object' ? audio : {};
    const videoOpts: VideoConstraints = typeof video === 'object' ? video : {};
    if (audio === false && video === false) {
      return new LocalMedia(new MediaStream(), audioOpts, videoOpts);
    }
    const stream = await capture({
      audio: audio === false ? false : audioConstraints(audioOpts),
      video: video === false ? false : videoConstraints(videoOpts),
    });
    return new LocalMedia(stream, audioOpts, videoOpts);
  }

  /**
   * Wraps tracks the application captured itself (the first audio and first video track are used); an empty stream
   * makes a LocalMedia that captures nothing until unmuted. `settings` are what unmuting opens a device with.
   */
  static fromStream(stream: MediaStream, settings: { audio?: AudioConstraints; video?: VideoConstraints } = {}): LocalMedia {
    return new LocalMedia(stream, settings.audio ?? {}, settings.video ?? {});
  }

  static toError(error: unknown): RendezvousError {
    return toMediaError(error);
  }
  static listDevices(): Promise<MediaDeviceInfo[]> {
    return listDevices();
  }
  static onDevicesChanged(callback: (devices: MediaDeviceInfo[]) => void): () => void {
    return onDevicesChanged(callback);
  }

  get audioTrack(): MediaStreamTrack | null {
    return this.#audioTrack;
  }
  get videoTrack(): MediaStreamTrack | null {
    return this.#videoTrack;
  }
  /** The shared screen as a stream (for a preview), or null. */
  get screenStream(): MediaStream | null {
    return this.#screen.stream;
  }
  get screenTrack(): MediaStreamTrack | null {
    return this.#screen.video;
  }
  /**
   * The system or tab audio that came with the screen, or null: the browser offered none, the user did
   * not tick "share audio", or the app shared a track without audio. Detected from the capture, not assumed.
   */
  get screenAudioTrack(): MediaStreamTrack | null {
    return this.#screen.audio;
  }
  get state(): MediaState {
    return { ...this.#state };
  }
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Device id, size and frame rate of the track in use for `kind`, or null when there is none. */
  settings(kind: SendKind | 'audioinput' | 'videoinput'): TrackSettings | null {
    const track =
      kind === 'audio' || kind === 'audioinput' ? this.#audioTrack : kind === 'screen' ? this.#screen.video : this.#videoTrack;
    if (track === null) {
      return null;
    }
    const s = track.getSettings();
    const out: TrackSettings = { label: track.label };
    if (s.deviceId !== undefined) {
      out.deviceId = s.deviceId;
    }
    if (s.width !== undefined) {
      out.width = s.width;
    }
    if (s.height !== undefined) {
      out.height = s.height;
    }
    if (s.frameRate !== undefined) {
      out.frameRate = s.frameRate;
    }
    return out;
  }

  /** What senders of `kind` should send now (null: nothing). */
  sendTrack(kind: LinkSendKind): MediaStreamTrack | null {
    if (kind === 'screenAudio') {
      return this.#screen.video === null ? null : this.#screen.audio;
    }
    if (kind === 'audio') {
      return this.#state.audioMuted ? null : this.#audioTrack;
    }
    if (kind === 'video') {
      return this.#state.videoMuted ? null : this.#videoTrack;
    }
    return this.#screen.video;
  }

  /**
   * Muted: the microphone stays live locally (level meters work) but links send nothing; with `release` it is
   * closed as well (the browser's recording indicator goes off). Unmuting with no microphone open opens one.
   */
  setAudioMuted(muted: boolean, options: { release?: boolean } = {}): Promise<void> {
    if (this.#stopped) {
      return Promise.reject(new RendezvousError('INVALID_STATE', 'The local media was stopped'));
    }
    if (muted && options.release === true) {
      return this.#enqueue(() => {
        const track = this.#audioTrack;
        if (track !== null) {
          this.#dropTrack(track);
        }
        this.#audioTrack = null;
        this.#applyAudioMuted(true);
        return Promise.resolve();
      });
    }
    if (muted || this.#audioTrack !== null) {
      this.#applyAudioMuted(muted);
      return Promise.resolve();
    }
    return this.#enqueue(async () => {
      if (this.#audioTrack === null) {
        const stream = await capture({ audio: audioConstraints(this.#audio) });
        const track = this.#adopt(stream, 'audio');
        this.#setCameraOrMic(track);
      }
      this.#applyAudioMuted(false);
    });
  }

  /** Muted: the camera is stopped (its light goes off). Unmuting reopens the same device. */
  setVideoMuted(muted: boolean): Promise<void> {
    return this.#enqueue(async () => {
      if (muted) {
        const track = this.#videoTrack;
        if (track !== null) {
          this.#dropTrack(track);
        }
        this.#videoTrack = null;
        this.#update({ videoMuted: true }, 'video');
        return;
      }
      if (this.#videoTrack === null) {
        const track = await this.#openCamera(this.#video.deviceId);
        this.#setCameraOrMic(track);
      }
      this.#update({ videoMuted: false }, 'video');
    });
  }

  /** Opens the new device, swaps it in (links use replaceTrack, no renegotiation) and stops the old one. */
  switchDevice(kind: 'audioinput' | 'videoinput', deviceId: string): Promise<void> {
    return this.#enqueue(async () => {
      if (kind === 'videoinput') {
        this.#video = { ...this.#video, deviceId };
        const old = this.#videoTrack;
        if (old === null || old.getSettings().deviceId === deviceId) {
          return;
        }
        const stream = await capture({ video: videoConstraints(this.#video) });
        const track = this.#adopt(stream, 'video');
        this.stream.removeTrack(old);
        this.#setCameraOrMic(track);
        this.emit('send-track', 'video', this.sendTrack('video'));
        this.#dropTrack(old);
      } else {
        this.#audio = { ...this.#audio, deviceId };
        const old = this.#audioTrack;
        if (old === null || old.getSettings().deviceId === deviceId) {
          return;
        }
        const stream = await capture({ audio: audioConstraints(this.#audio) });
        const track = this.#adopt(stream, 'audio');
        this.stream.removeTrack(old);
        this.#setCameraOrMic(track);
        this.emit('send-track', 'audio', this.sendTrack('audio'));
        this.#dropTrack(old);
      }
    });
  }

  /**
   * Starts sharing: `source` is a screen track, or a stream whose first video track is the screen and whose
   * first audio track (if any) is its audio; with none, asks the browser (getDisplayMedia) for a screen and,
   * unless `options.audio` is false, for system or tab audio. Resolves with the screen's video track.
   */
  startScreenShare(source?: MediaStreamTrack | MediaStream, options: ScreenShareOptions = {}): Promise<MediaStreamTrack> {
    return this.#enqueue(async () => {
      const captured = source === undefined ? await captureScreen(options.audio ?? true) : screenTracksOf(source);
      const { video: screen, audio } = captured;
      if (this.#stopped) {
        screen.stop();
        audio?.stop();
        throw new RendezvousError('INVALID_STATE', 'The local media was stopped');
      }
      this.emit('screen', this.#screen.set(screen, audio));
      this.emit('screen-audio', audio);
      this.#update({ screenSharing: true }, 'screen');
      return screen;
    });
  }

  /** Stops sharing; the screen track and its audio are stopped. */
  stopScreenShare(): void {
    const had = this.#screen.clear();
    if (!had.video) {
      return;
    }
    this.emit('screen', null);
    if (had.audio) {
      this.emit('screen-audio', null);
    }
    this.#update({ screenSharing: false }, 'screen');
  }

  /** Stops every track. Idempotent. */
  stop(): void {
    if (this.#stopped) {
      return;
    }
    this.#stopped = true;
    this.#unsubscribeDevices();
    const had = this.#screen.clear();
    for (const track of [this.#audioTrack, this.#videoTrack]) {
      if (track !== null) {
        this.#dropTrack(track);
      }
    }
    this.#audioTrack = null;
    this.#videoTrack = null;
    if (had.video) {
      this.emit('screen', null);
    }
    if (had.audio) {
      this.emit('screen-audio', null);
    }
    this.#state = { audioMuted: true, videoMuted: true, screenSharing: false };
    for (const kind of ['audio', 'video', 'screen'] as const) {
      this.emit('send-track', kind, null);
    }
    this.emit('state', this.state);
  }

  // ---- internals ----

  #enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.#stopped) {
        throw new RendezvousError('INVALID_STATE', 'The local media was stopped');
      }
      return work();
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #openCamera(deviceId: string | undefined): Promise<MediaStreamTrack> {
    let stream: MediaStream;
    try {
      stream = await capture({ video: videoConstraints(this.#video, deviceId) });
    } catch (error) {
      if (deviceId === undefined) {
        throw error;
      }
      // The remembered camera is gone: fall back to any camera.
      stream = await capture({ video: videoConstraints({ ...this.#video, deviceId: undefined }) });
    }
    return this.#adopt(stream, 'video');
  }

  /** Takes the track of `kind` out of a fresh capture; stops it if we were stopped meanwhile. */
  #adopt(stream: MediaStream, kind: 'audio' | 'video'): MediaStreamTrack {
    const tracks = stream.getTracks();
    const track = tracks.find((t) => t.kind === kind);
    for (const other of tracks) {
      if (other !== track) {
        other.stop();
      }
    }
    if (track === undefined) {
      throw new RendezvousError('NO_DEVICE', `The browser returned no ${kind} track`);
    }
    if (this.#stopped) {
      track.stop();
      throw new RendezvousError('INVALID_STATE', 'The local media was stopped');
    }
    return track;
  }

  #setCameraOrMic(track: MediaStreamTrack): void {
    if (track.kind === 'audio') {
      this.#audioTrack = track;
    } else {
      this.#videoTrack = track;
    }
    this.stream.addTrack(track);
    this.#watchEnded(track, () => this.#onDeviceLost(track));
  }

  #watchEnded(track: MediaStreamTrack, handler: () => void): void {
    track.addEventListener('ended', handler);
    this.#endedHandlers.set(track, handler);
  }

  /** Stops a track we own without triggering its "ended" handling. */
  #dropTrack(track: MediaStreamTrack): void {
    const handler = this.#endedHandlers.get(track);
    if (handler !== undefined) {
      track.removeEventListener('ended', handler);
    }
    this.#endedHandlers.delete(track);
    this.stream.removeTrack(track);
    track.stop();
  }

  /** A camera or microphone track ended by itself (unplugged, revoked): treat it as muted. */
  #onDeviceLost(track: MediaStreamTrack): void {
    if (this.#stopped) {
      return;
    }
    this.#dropTrack(track);
    if (track === this.#audioTrack) {
      this.#audioTrack = null;
      this.#update({ audioMuted: true }, 'audio');
      this.emit('error', new RendezvousError('NO_DEVICE', 'The microphone stopped (unplugged or taken away)'));
    } else if (track === this.#videoTrack) {
      this.#videoTrack = null;
      this.#update({ videoMuted: true }, 'video');
      this.emit('error', new RendezvousError('NO_DEVICE', 'The camera stopped (unplugged or taken away)'));
    }
  }

  #applyAudioMuted(muted: boolean): void {
    this.#update({ audioMuted: muted || this.#audioTrack === null }, 'audio');
  }

  #update(patch: Partial<MediaState>, kind: SendKind): void {
    const next = { ...this.#state, ...patch };
    const changed =
      next.audioMuted !== this.#state.audioMuted ||
      next.videoMuted !== this.#state.videoMuted ||
      next.screenSharing !== this.#state.screenSharing;
    this.#state = next;
    this.emit('send-track', kind, this.sendTrack(kind));
    if (changed) {
      this.emit('state', this.state);
    }
  }
}
