import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActiveSpeakerDetector } from './active-speaker.js';

const levels = (entries: Record<string, number>): Map<string, number> => new Map(Object.entries(entries));

test('a speaker takes over only after leading for a while, and silence clears it', () => {
  const detector = new ActiveSpeakerDetector({ threshold: 0.3, switchMs: 500, silenceMs: 2000 });
  assert.equal(detector.update(levels({ a: 0.8, b: 0.1 }), 0), null);
  assert.equal(detector.update(levels({ a: 0.8, b: 0.1 }), 250), 'a');
  // b speaks louder briefly: no flicker
  assert.equal(detector.update(levels({ a: 0.5, b: 0.9 }), 500), 'a');
  assert.equal(detector.update(levels({ a: 0.6, b: 0.2 }), 750), 'a');
  // b leads long enough
  for (const t of [1000, 1250, 1500]) {
    detector.update(levels({ a: 0.2, b: 0.9 }), t);
  }
  assert.equal(detector.current, 'b');
  // everyone silent: b stays until silenceMs passed
  assert.equal(detector.update(levels({ a: 0, b: 0 }), 2500), 'b');
  assert.equal(detector.update(levels({ a: 0, b: 0 }), 3600), null);
});

test('a speaker who leaves is dropped', () => {
  const detector = new ActiveSpeakerDetector();
  detector.update(levels({ a: 0.9 }), 0);
  detector.update(levels({ a: 0.9 }), 300);
  assert.equal(detector.current, 'a');
  assert.equal(detector.update(levels({ b: 0 }), 400), null);
});
