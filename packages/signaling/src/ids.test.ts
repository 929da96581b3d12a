import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newId, newResumeToken } from './ids.js';

test('ids and resume tokens: url-safe, their length, never repeated across pool refills', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 2_000; i++) {
    const id = newId();
    const token = newResumeToken();
    assert.match(id, /^[A-Za-z0-9_-]{16}$/);
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(!seen.has(id) && !seen.has(token));
    seen.add(id).add(token);
  }
});
