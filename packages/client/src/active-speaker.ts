/**
 * Picks the active speaker from periodic level samples, with hysteresis so the choice does not flicker:
 * a new speaker must be the loudest one above the threshold for `switchMs`, and the current one is kept
 * until it has been silent for `silenceMs`. Pure (time is passed in), so it is unit-tested.
 */
export interface ActiveSpeakerOptions {
  /** Level 0..1 above which someone counts as speaking. Default 0.3 (about -42 dBFS on the meter scale). */
  threshold?: number;
  /** How long a new speaker must lead before taking over. Default 500 ms. */
  switchMs?: number;
  /** Silence after which there is no active speaker. Default 2000 ms. */
  silenceMs?: number;
}

export class ActiveSpeakerDetector {
  readonly #threshold: number;
  readonly #switchMs: number;
  readonly #silenceMs: number;
  #current: string | null = null;
  #currentLastHeard = 0;
  #candidate: string | null = null;
  #candidateSince = 0;

  constructor(options: ActiveSpeakerOptions = {}) {
    this.#threshold = options.threshold ?? 0.3;
    this.#switchMs = options.switchMs ?? 500;
    this.#silenceMs = options.silenceMs ?? 2000;
  }

  get current(): string | null {
    return this.#current;
  }

  /** Feeds one sample of every participant's level; returns the active speaker after it. */
  update(levels: ReadonlyMap<string, number>, now: number): string | null {
    if (this.#current !== null && !levels.has(this.#current)) {
      this.#current = null;
    }
    let loudest: string | null = null;
    let loudestLevel = this.#threshold;
    for (const [id, level] of levels) {
      if (level >= loudestLevel) {
        loudest = id;
        loudestLevel = level;
      }
    }
    if (this.#current !== null && (levels.get(this.#current) ?? 0) >= this.#threshold) {
      this.#currentLastHeard = now;
    }
    if (loudest === null || loudest === this.#current) {
      this.#candidate = null;
    } else {
      if (this.#candidate !== loudest) {
        this.#candidate = loudest;
        this.#candidateSince = now;
      }
      const need = this.#current === null ? this.#switchMs / 2 : this.#switchMs;
      if (now - this.#candidateSince >= need) {
        this.#current = loudest;
        this.#currentLastHeard = now;
        this.#candidate = null;
      }
    }
    if (this.#current !== null && now - this.#currentLastHeard >= this.#silenceMs) {
      this.#current = null;
    }
    return this.#current;
  }

  /** Forgets a participant (left the room). */
  remove(id: string): void {
    if (this.#current === id) {
      this.#current = null;
    }
    if (this.#candidate === id) {
      this.#candidate = null;
    }
  }
}
