import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_RESENDS, RATE_LIMITED_BACKOFF_MS, SendPacer, type PacerClock } from './send-pacer.js';

/** A manual clock: `advance(ms)` runs the timers that come due, in order. */
class FakeClock implements PacerClock {
  time = 0;
  #timers: Array<{ at: number; callback: () => void; id: number }> = [];
  #nextId = 1;
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#timers.push({ at: this.time + ms, callback, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  }
  get pending(): number {
    return this.#timers.length;
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.#timers.sort((a, b) => a.at - b.at);
      const next = this.#timers[0];
      if (next === undefined || next.at > end) {
        break;
      }
      this.#timers.shift();
      this.time = next.at;
      next.callback();
    }
    this.time = end;
  }
}

function setup(options: { margin?: number; maxQueued?: number } = {}): { pacer: SendPacer; clock: FakeClock; sent: string[] } {
  const clock = new FakeClock();
  const sent: string[] = [];
  const pacer = new SendPacer({
    maxQueued: options.maxQueued ?? 1000,
    clock,
    ...(options.margin === undefined ? {} : { margin: options.margin }),
  });
  pacer.setLimits(10, 20); // with the 0.9 margin: 9 per second, burst 18
  pacer.attach((text) => {
    sent.push(text);
    return true;
  });
  return { pacer, clock, sent };
}

const frames = (from: number, count: number): string[] => Array.from({ length: count }, (_, i) => `f${from + i}`);

test('a burst up to 90% of the announced burst goes at once; the rest follows at 90% of the rate, in order', () => {
  const { pacer, clock, sent } = setup();
  for (const text of frames(0, 40)) {
    pacer.push(text);
  }
  assert.equal(sent.length, 18);
  assert.equal(pacer.queued, 22);
  clock.advance(1000);
  assert.equal(sent.length, 27); // 9 more in one second
  clock.advance(1000);
  assert.equal(sent.length, 36);
  clock.advance(500);
  assert.equal(sent.length, 40);
  assert.deepEqual(sent, frames(0, 40));
  assert.equal(clock.pending, 0, 'no timer once the queue is empty');
  pacer.close();
});

test('the server bucket, fed the paced frames, never rejects one', () => {
  const clock = new FakeClock();
  const pacer = new SendPacer({ maxQueued: 1000, clock });
  // The server's bucket: 10 per second, burst 20; it also took one token for hello.
  let serverTokens = 19;
  let last = 0;
  let accepted = 0;
  let rejected = 0;
  pacer.setLimits(10, 20);
  pacer.attach(() => {
    serverTokens = Math.min(20, serverTokens + ((clock.time - last) * 10) / 1000);
    last = clock.time;
    if (serverTokens < 1) {
      rejected += 1;
    } else {
      serverTokens -= 1;
      accepted += 1;
    }
    return true;
  });
  for (let round = 0; round < 6; round++) {
    for (const text of frames(round * 30, 30)) {
      pacer.push(text);
    }
    clock.advance(round % 2 === 0 ? 1000 : 3000);
  }
  clock.advance(30_000);
  assert.equal(accepted, 180);
  assert.equal(rejected, 0);
  pacer.close();
});

test('without a socket frames wait; attach sends them in order with a fresh bucket', () => {
  const { pacer, clock, sent } = setup();
  pacer.detach();
  for (const text of frames(0, 5)) {
    pacer.push(text);
  }
  clock.advance(5000);
  assert.equal(sent.length, 0);
  pacer.setLimits(10, 20);
  pacer.attach((text) => {
    sent.push(text);
    return true;
  });
  assert.deepEqual(sent, frames(0, 5));
  pacer.close();
});

test('a sink that refuses keeps the frame first in line until the next attach', () => {
  const { pacer, sent } = setup();
  let open = true;
  pacer.attach((text) => {
    if (!open) {
      return false;
    }
    sent.push(text);
    return true;
  });
  pacer.push('a');
  open = false;
  pacer.push('b');
  pacer.push('c');
  assert.deepEqual(sent, ['a']);
  open = true;
  pacer.attach((text) => {
    sent.push(text);
    return true;
  });
  assert.deepEqual(sent, ['a', 'b', 'c']);
  pacer.close();
});

test('margin Infinity sends everything at once (pacing off)', () => {
  const { pacer, sent } = setup({ margin: Infinity });
  for (const text of frames(0, 500)) {
    pacer.push(text);
  }
  assert.equal(sent.length, 500);
  pacer.close();
});

test('no announced limits: the server defaults (50/s, burst 200) with the margin apply', () => {
  const clock = new FakeClock();
  const sent: string[] = [];
  const pacer = new SendPacer({ maxQueued: 1000, clock });
  pacer.setLimits(undefined, undefined);
  pacer.attach((text) => sent.push(text) > 0);
  for (const text of frames(0, 300)) {
    pacer.push(text);
  }
  assert.equal(sent.length, 180);
  clock.advance(1001);
  assert.equal(sent.length, 225);
  pacer.close();
});

test('a RATE_LIMITED frame is put back in its place and sent again after the back-off', () => {
  const { pacer, clock, sent } = setup();
  pacer.push('a', 'id-a');
  pacer.push('b', 'id-b');
  pacer.push('c'); // no id: cannot be matched
  assert.deepEqual(sent, ['a', 'b', 'c']);
  pacer.push('d');
  // the server rejected a and b (replies arrive in order)
  assert.equal(pacer.resend('id-a'), true);
  assert.equal(pacer.resend('id-b'), true);
  assert.equal(pacer.resend('unknown'), false);
  pacer.push('e');
  clock.advance(RATE_LIMITED_BACKOFF_MS - 1);
  assert.deepEqual(sent, ['a', 'b', 'c', 'd']);
  clock.advance(1000);
  assert.deepEqual(sent, ['a', 'b', 'c', 'd', 'a', 'b', 'e']);
  pacer.close();
});

test(`a frame is re-sent at most ${MAX_RESENDS} times`, () => {
  const { pacer, clock, sent } = setup();
  pacer.push('a', 'id-a');
  let accepted = 0;
  while (pacer.resend('id-a')) {
    accepted += 1;
    clock.advance(1000);
  }
  assert.equal(accepted, MAX_RESENDS);
  assert.equal(sent.length, 1 + MAX_RESENDS);
  pacer.close();
});

test('close() clears the queue and the timer and is idempotent; pushes after it are ignored', () => {
  const { pacer, clock, sent } = setup();
  for (const text of frames(0, 30)) {
    pacer.push(text);
  }
  assert.equal(clock.pending, 1);
  pacer.close();
  pacer.close();
  assert.equal(clock.pending, 0);
  assert.equal(pacer.queued, 0);
  pacer.push('late');
  clock.advance(10_000);
  assert.equal(sent.length, 18);
});

test('the queue is bounded: past maxQueued the oldest waiting frame goes', () => {
  const { pacer, clock, sent } = setup({ maxQueued: 3 });
  pacer.detach();
  for (const text of frames(0, 5)) {
    pacer.push(text);
  }
  assert.equal(pacer.queued, 3);
  pacer.attach((text) => sent.push(text) > 0);
  clock.advance(0);
  assert.deepEqual(sent, ['f2', 'f3', 'f4']);
  pacer.close();
});

test('pacing off (margin Infinity) still backs off and re-sends after RATE_LIMITED', () => {
  const { pacer, clock, sent } = setup({ margin: Infinity });
  pacer.push('a', 'id-a');
  assert.equal(pacer.resend('id-a'), true);
  pacer.push('b');
  assert.deepEqual(sent, ['a']);
  clock.advance(RATE_LIMITED_BACKOFF_MS);
  assert.deepEqual(sent, ['a', 'a', 'b']);
  pacer.close();
});
