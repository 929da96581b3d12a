import type { Clock } from './clock.js';

interface Timer {
  at: number;
  fn: () => void;
  every: number | null;
}

/** A manual clock for tests: time moves only through advance(), which runs due timers in order. */
export class FakeClock implements Clock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, Timer>();

  /** `start`: the initial time in ms (TURN REST usernames carry real Unix times, so tests start in 2027). */
  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), fn, every: null });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  setInterval(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    const every = Math.max(1, ms);
    this.timers.set(id, { at: this.time + every, fn, every });
    return id;
  }

  clearInterval(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Timers (timeouts and intervals) not yet run or cleared. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, running every timer that comes due, earliest first. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let dueId: number | undefined;
      let due: Timer | undefined;
      for (const [id, timer] of this.timers) {
        if (timer.at <= end && (due === undefined || timer.at < due.at)) {
          dueId = id;
          due = timer;
        }
      }
      if (dueId === undefined || due === undefined) {
        break;
      }
      this.time = due.at;
      if (due.every === null) {
        this.timers.delete(dueId);
      } else {
        due.at += due.every;
      }
      due.fn();
    }
    this.time = end;
  }
}
