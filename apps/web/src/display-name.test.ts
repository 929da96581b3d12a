import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DISPLAY_NAME_TEXT, displayNameProblem, validDisplayName } from './display-name.js';

test('ordinary names, with accents, scripts and emoji, are accepted', () => {
  for (const name of ['Bob', '  Ada Lovelace ', 'José', '李雷', 'Zoë 👩‍💻', 'x'.repeat(64)]) {
    assert.equal(displayNameProblem(name), null, JSON.stringify(name));
    assert.equal(validDisplayName(name), name.trim());
  }
});

test('hidden, reordering and control characters are refused with a clear reason', () => {
  for (const name of ['Bob\u200B', 'Bob\u202Eevil', '\u2066Bob', 'Bo\u0085b', 'Bob\u00AD', 'Bo\uFEFFb']) {
    assert.equal(displayNameProblem(name), DISPLAY_NAME_TEXT.hidden, JSON.stringify(name));
    assert.equal(validDisplayName(name), null);
  }
});

test('empty, invisible-only and over-long names get their own reasons', () => {
  assert.equal(displayNameProblem('   '), DISPLAY_NAME_TEXT.empty);
  assert.equal(displayNameProblem('\u2800'), DISPLAY_NAME_TEXT.invisible);
  assert.equal(displayNameProblem('\u200B'), DISPLAY_NAME_TEXT.hidden);
  assert.equal(displayNameProblem('x'.repeat(65)), DISPLAY_NAME_TEXT.tooLong);
});
