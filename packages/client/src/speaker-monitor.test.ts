import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { SpeakerMonitor } from './speaker-monitor.js';

const INTERVAL = 250;

/** A monitor over levels the test sets, with fake timers; `changes` lists what it reported. */
function monitor(t: TestContext, options: { threshold?: number; switchMs?: number; silenceMs?: number } = {}) {
  t.mock.timers.enable({ apis: ['setInterval', 'Date'], now: 1_000_000 });
  const levels = new Map<string, number>();
  const changes: (string | null)[] = [];
  let wanted = true;
  let samples = 0;
  const speakers = new SpeakerMonitor(
    {
      local: () => ({ id: 'me', track: null }),
      remote: () => {
        samples++;
        return new Map(levels);
      },
      wanted: () => wanted,
      onChange: (speaker) => changes.push(speaker),
    },
    { intervalMs: INTERVAL, ...options },
  );
  t.after(() => speakers.stop());
  return {
    speakers,
    levels,
    changes,
    samples: () => samples,
    want: (value: boolean) => (wanted = value),
    /** Advances by `n` sampling intervals (one at a time: a longer tick fires an interval only once). */
    step: (n = 1) => {
      for (let i = 0; i < n; i++) {
        t.mock.timers.tick(INTERVAL);
      }
    },
  };
}

test('a peer who speaks becomes the active speaker after half the switch time, sampled every interval', (t) => {
  const m = monitor(t, { switchMs: 500 });
  m.levels.set('bob', 0.6);
  m.step();
  assert.deepEqual(m.changes, [], 'one sample is not enough');
  m.step();
  assert.deepEqual(m.changes, ['bob']);
  assert.equal(m.speakers.current, 'bob');
  m.step(3);
  assert.deepEqual(m.changes, ['bob'], 'reported once, not on every sample');
  assert.equal(m.samples(), 5);
});

test('the active speaker stays through a pause shorter than the silence time, and goes after a longer one', (t) => {
  const m = monitor(t, { switchMs: 500, silenceMs: 2000 });
  m.levels.set('bob', 0.6);
  m.step(2);
  m.levels.set('bob', 0);
  m.step(4);
  assert.deepEqual(m.changes, ['bob']);
  m.step(8);
  assert.deepEqual(m.changes, ['bob', null]);
});

test('levels decay between samples, so a quieter voice takes over only once the louder one has faded', (t) => {
  const m = monitor(t, { switchMs: 500 });
  m.levels.set('bob', 0.5);
  m.step(2);
  assert.equal(m.speakers.current, 'bob');
  m.levels.set('bob', 0);
  m.levels.set('carol', 0.35);
  // bob decays 0.5 -> 0.4 -> 0.32: carol leads from the second sample on, and must lead for 500 ms.
  m.step(2);
  assert.equal(m.speakers.current, 'bob');
  m.step();
  assert.equal(m.speakers.current, 'bob', 'carol has led for 250 ms only');
  m.step();
  assert.deepEqual(m.changes, ['bob', 'carol']);
});

test('a speaker who leaves is forgotten at the next sample', (t) => {
  const m = monitor(t);
  m.levels.set('bob', 0.6);
  m.step(2);
  m.levels.delete('bob');
  m.step();
  assert.deepEqual(m.changes, ['bob', null]);
});

test('a peer who left and comes back starts from silence, not from the level it left with', (t) => {
  const m = monitor(t);
  m.levels.set('bob', 0.9);
  m.step();
  m.levels.delete('bob');
  m.step(20);
  m.levels.set('bob', 0);
  m.step(2);
  assert.deepEqual(m.changes, []);
});

test('nobody listening: no sampling, and nothing reported', (t) => {
  const m = monitor(t);
  m.want(false);
  m.levels.set('bob', 0.9);
  m.step(10);
  assert.equal(m.samples(), 0);
  assert.deepEqual(m.changes, []);
  m.want(true);
  m.step(2);
  assert.deepEqual(m.changes, ['bob']);
});

test('the local participant without a microphone track counts as silent', (t) => {
  const m = monitor(t);
  m.step(10);
  assert.deepEqual(m.changes, []);
  assert.equal(m.speakers.localLevel(), 0);
});

test('stop() ends the sampling', (t) => {
  const m = monitor(t);
  m.step(2);
  m.speakers.stop();
  m.levels.set('bob', 0.9);
  m.step(10);
  assert.equal(m.samples(), 2);
  assert.deepEqual(m.changes, []);
});
