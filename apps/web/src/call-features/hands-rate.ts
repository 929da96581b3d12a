/** A sliding-window limit on how often the UI lets a person do something (send reactions): at most `max` per `windowMs`. */
export class SlidingLimit {
  readonly #times: number[] = [];

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Records one use when allowed; returns whether it was. */
  take(): boolean {
    this.#prune();
    if (this.#times.length >= this.max) {
      return false;
    }
    this.#times.push(this.now());
    return true;
  }

  /** Milliseconds until the next use is allowed (0 when it is now). */
  waitMs(): number {
    this.#prune();
    if (this.#times.length < this.max) {
      return 0;
    }
    return (this.#times[0] ?? 0) + this.windowMs - this.now();
  }

  #prune(): void {
    const cutoff = this.now() - this.windowMs;
    while (this.#times.length > 0 && (this.#times[0] ?? 0) <= cutoff) {
      this.#times.shift();
    }
  }
}
