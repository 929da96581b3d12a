import { ActiveSpeakerDetector, type ActiveSpeakerOptions } from './active-speaker.js';
import { AudioLevelMeter } from './audio-level.js';

export interface SpeakerSources {
  /** The local participant's id and the microphone track to meter (null when muted or absent). */
  local(): { id: string; track: MediaStreamTrack | null };
  /** Remote levels by peer id. */
  remote(): Map<string, number>;
  /** Whether anyone listens for changes (no listener: no sampling, no AudioContext). */
  wanted(): boolean;
  onChange(speaker: string | null): void;
}

const DECAY = 0.8;

/** Samples levels every `intervalMs` (default 250) and reports active-speaker changes. */
export class SpeakerMonitor {
  readonly #sources: SpeakerSources;
  readonly #detector: ActiveSpeakerDetector;
  #timer: ReturnType<typeof setInterval> | null;
  #meter: AudioLevelMeter | null = null;
  #last: string | null = null;
  /** Decaying peak per participant, so gaps between syllables do not count as silence. */
  readonly #smoothed = new Map<string, number>();

  constructor(sources: SpeakerSources, options: ActiveSpeakerOptions & { intervalMs?: number } = {}) {
    this.#sources = sources;
    this.#detector = new ActiveSpeakerDetector(options);
    this.#timer = setInterval(() => this.#tick(), options.intervalMs ?? 250);
  }

  get current(): string | null {
    return this.#last;
  }

  /** The local microphone level 0..1 (0 when not metered). */
  localLevel(): number {
    return this.#meter?.level() ?? 0;
  }

  stop(): void {
    if (this.#timer !== null) {
      clearInterval(this.#timer);
    }
    this.#timer = null;
    this.#meter?.close();
    this.#meter = null;
  }

  #tick(): void {
    if (!this.#sources.wanted()) {
      this.#meter?.close();
      this.#meter = null;
      return;
    }
    const local = this.#sources.local();
    if (this.#meter !== null && this.#meter.track !== local.track) {
      this.#meter.close();
      this.#meter = null;
    }
    if (this.#meter === null && local.track !== null) {
      this.#meter = new AudioLevelMeter(local.track);
    }
    const levels = this.#sources.remote();
    levels.set(local.id, local.track === null ? 0 : (this.#meter?.level() ?? 0));
    for (const [id, level] of levels) {
      const smoothed = Math.max(level, (this.#smoothed.get(id) ?? 0) * DECAY);
      this.#smoothed.set(id, smoothed);
      levels.set(id, smoothed);
    }
    for (const id of this.#smoothed.keys()) {
      if (!levels.has(id)) {
        this.#smoothed.delete(id);
      }
    }
    const speaker = this.#detector.update(levels, Date.now());
    if (speaker !== this.#last) {
      this.#last = speaker;
      this.#sources.onChange(speaker);
    }
  }
}
