import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isReactionEmoji, MAX_REACTION_UNITS } from './reaction-emoji.js';

const GOOD = ['👍', '❤️', '🎉', '👩‍💻', '👍🏽', '🇫🇷', '👨‍👩‍👧‍👦', '🏳️‍🌈'];
const BAD: unknown[] = [
  '',
  'a',
  'hello',
  '👍👍', // two
  '👍 ', // trailing space
  '\u202E👍', // right-to-left override
  '👍\u200B', // zero-width space
  '<img src=x onerror=alert(1)>',
  '👍'.repeat(MAX_REACTION_UNITS),
  'x'.repeat(10_000),
  42,
  null,
  { emoji: '👍' },
  ['👍'],
];

describe('isReactionEmoji', () => {
  it('accepts one emoji: plain, with a variation selector, ZWJ sequences, skin tones, flags', () => {
    for (const emoji of GOOD) {
      assert.equal(isReactionEmoji(emoji), true, emoji);
    }
  });

  it('refuses text, several emoji, hidden or reordering characters, long strings and non-strings', () => {
    for (const value of BAD) {
      assert.equal(isReactionEmoji(value), false, JSON.stringify(value));
    }
  });

  it('without \\p{RGI_Emoji} (older engines) it falls back to one pictograph without hidden characters', () => {
    for (const emoji of GOOD) {
      assert.equal(isReactionEmoji(emoji, null), true, emoji);
    }
    for (const value of [...BAD, '\u0007👍', '👍\u2066']) {
      assert.equal(isReactionEmoji(value, null), false, JSON.stringify(value));
    }
  });
});
