import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from './fake-clock.js';
import { RateGate } from './rate-gate.js';
import { TokenBucket } from './token-bucket.js';

function setup(maxHeld: number) {
  const clock = new FakeClock();
  const bucket = new TokenBucket(10, 3, () => clock.now());
  const admitted: number[] = [];
  const refused: number[] = [];
  const socket = {
    paused: false,
    pauses: 0,
    pause() {
      this.paused = true;
      this.pauses++;
    },
    resume() {
      this.paused = false;
    },
  };
  const gate = new RateGate<number>(
    bucket,
    socket,
    clock,
    maxHeld,
    (n) => admitted.push(n),
    (n) => refused.push(n),
  );
  return { clock, gate, admitted, refused, socket };
}

describe('RateGate', { timeout: 60_000 }, () => {
  it('holds frames past the burst instead of refusing them, pauses reading, and admits them in order as tokens come', () => {
    const { clock, gate, admitted, refused, socket } = setup(8);
    for (let n = 1; n <= 6; n++) {
      gate.offer(n);
    }
    assert.deepEqual(admitted, [1, 2, 3]);
    assert.deepEqual(refused, []);
    assert.equal(socket.paused, true);
    assert.equal(gate.heldCount, 3);
    clock.advance(100);
    assert.deepEqual(admitted, [1, 2, 3, 4]);
    gate.offer(7); // arrives while others wait: goes behind them
    clock.advance(300);
    assert.deepEqual(admitted, [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(socket.paused, false, 'reading resumes once nothing waits');
    assert.equal(clock.pending, 0);
  });

  it('refuses what it cannot hold, and close() drops the held frames and its timer', () => {
    const { clock, gate, admitted, refused } = setup(2);
    for (let n = 1; n <= 7; n++) {
      gate.offer(n);
    }
    assert.deepEqual(admitted, [1, 2, 3]);
    assert.deepEqual(refused, [6, 7]);
    gate.close();
    gate.close();
    assert.equal(clock.pending, 0);
    clock.advance(10_000);
    gate.offer(8);
    assert.deepEqual(admitted, [1, 2, 3]);
  });

  it('with no room to hold, behaves like a plain token bucket', () => {
    const { gate, admitted, refused, socket } = setup(0);
    for (let n = 1; n <= 5; n++) {
      gate.offer(n);
    }
    assert.deepEqual(admitted, [1, 2, 3]);
    assert.deepEqual(refused, [4, 5]);
    assert.equal(socket.pauses, 0);
  });

  it('a frame that arrives when a token is free but others still wait goes behind them', () => {
    let now = 0;
    let fire: (() => void) | undefined;
    const clock = {
      now: () => now,
      setTimeout: (fn: () => void) => ((fire = fn), 1),
      clearTimeout: () => undefined,
      setInterval: () => 0,
      clearInterval: () => undefined,
    };
    const admitted: number[] = [];
    const socket = { pause: () => undefined, resume: () => undefined };
    const gate = new RateGate<number>(
      new TokenBucket(10, 3, () => now),
      socket,
      clock,
      8,
      (n) => admitted.push(n),
      () => undefined,
    );
    for (let n = 1; n <= 4; n++) {
      gate.offer(n);
    }
    now += 200; // two tokens, before the timer runs
    gate.offer(5);
    assert.deepEqual(admitted, [1, 2, 3]);
    fire?.();
    assert.deepEqual(admitted, [1, 2, 3, 4, 5]);
  });
});
