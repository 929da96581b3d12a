import { hasForbiddenNameCharacter } from '@rendezvous/protocol';

/** Longest reaction, in UTF-16 code units: room for a family or a flag with a skin tone, not for a sentence. */
export const MAX_REACTION_UNITS = 16;

/** One emoji of the Unicode RGI set (flags, keycaps, skin tones and ZWJ sequences included), where `v` regexes exist. */
function rgiEmojiPattern(): RegExp | null {
  try {
    return new RegExp('^\\p{RGI_Emoji}$', 'v');
  } catch {
    return null;
  }
}
const RGI_EMOJI = rgiEmojiPattern();
const PICTOGRAPHIC = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

/** How many user-perceived characters `text` has, or null without Intl.Segmenter. */
function graphemes(text: string): number | null {
  if (typeof Intl === 'undefined' || typeof Intl.Segmenter !== 'function') {
    return null;
  }
  let count = 0;
  for (const _segment of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    count++;
  }
  return count;
}

/**
 * True when `value` is one short emoji fit to show as a reaction: at most MAX_REACTION_UNITS code units, one
 * grapheme cluster (where Intl.Segmenter exists), and an RGI emoji (where the engine knows `\p{RGI_Emoji}`;
 * elsewhere: a pictograph with no control, bidirectional or invisible character). `rgi` is for tests.
 */
export function isReactionEmoji(value: unknown, rgi: RegExp | null = RGI_EMOJI): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_REACTION_UNITS) {
    return false;
  }
  const count = graphemes(value);
  if (count !== null && count !== 1) {
    return false;
  }
  if (rgi !== null) {
    return rgi.test(value);
  }
  return PICTOGRAPHIC.test(value) && !hasForbiddenNameCharacter(value) && !/\s/u.test(value);
}
