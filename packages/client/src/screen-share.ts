/** What a ScreenShare tells its owner. */
export interface ScreenShareHooks {
  /** The screen's video ended by itself (the browser's "stop sharing"). */
  ended(): void;
  /** The screen's audio ended by itself; sharing goes on without it. */
  audioEnded(): void;
}

/**
 * The shared screen of a LocalMedia: its video track, its system or tab audio when the browser gave one, and
 * the stream that holds both. Owns the tracks: replacing or clearing stops them.
 */
export class ScreenShare {
  readonly #hooks: ScreenShareHooks;
  readonly #onEnded = new Map<MediaStreamTrack, () => void>();
  #video: MediaStreamTrack | null = null;
  #audio: MediaStreamTrack | null = null;
  #stream: MediaStream | null = null;

  constructor(hooks: ScreenShareHooks) {
    this.#hooks = hooks;
  }

  get video(): MediaStreamTrack | null {
    return this.#video;
  }
  get audio(): MediaStreamTrack | null {
    return this.#audio;
  }
  get stream(): MediaStream | null {
    return this.#stream;
  }

  /** Shares `video` (and `audio`), stopping the tracks they replace. Returns the new stream. */
  set(video: MediaStreamTrack, audio: MediaStreamTrack | null): MediaStream {
    if (this.#video !== null && this.#video !== video) {
      this.#drop(this.#video);
    }
    if (this.#audio !== null && this.#audio !== audio) {
      this.#drop(this.#audio);
    }
    if ('contentHint' in video && video.contentHint === '') {
      video.contentHint = 'detail';
    }
    this.#video = video;
    this.#audio = audio;
    this.#watch(video, () => {
      if (this.#video === video) {
        this.#hooks.ended();
      }
    });
    if (audio !== null) {
      this.#watch(audio, () => this.#onAudioEnded(audio));
    }
    this.#stream = new MediaStream(audio === null ? [video] : [video, audio]);
    return this.#stream;
  }

  /** Stops sharing: both tracks are stopped. Says what there was. */
  clear(): { video: boolean; audio: boolean } {
    const had = { video: this.#video !== null, audio: this.#audio !== null };
    for (const track of [this.#video, this.#audio]) {
      if (track !== null) {
        this.#drop(track);
      }
    }
    this.#video = null;
    this.#audio = null;
    this.#stream = null;
    return had;
  }

  #onAudioEnded(track: MediaStreamTrack): void {
    if (track !== this.#audio) {
      return;
    }
    this.#drop(track);
    this.#audio = null;
    this.#stream?.removeTrack(track);
    this.#hooks.audioEnded();
  }

  #watch(track: MediaStreamTrack, handler: () => void): void {
    track.addEventListener('ended', handler);
    this.#onEnded.set(track, handler);
  }

  /** Stops a track without triggering its "ended" handling. */
  #drop(track: MediaStreamTrack): void {
    const handler = this.#onEnded.get(track);
    if (handler !== undefined) {
      track.removeEventListener('ended', handler);
    }
    this.#onEnded.delete(track);
    track.stop();
  }
}
