/** Reactions shown on the sender's tile: an emoji floating up for a few seconds, and a short polite announcement. */
import { t } from '../i18n/index.js';
import { h, type Disposer } from '../ui/dom.js';
import type { Tile } from '../ui/tile.js';

/** How long a reaction stays on the tile (matches the animation in hands.css). */
export const FLOAT_MS = 3000;
/** More reactions at once on one tile than this: the oldest go first. */
const MAX_PER_TILE = 8;

export interface ReactionFloats {
  /** The screen-reader announcement region (visually hidden); goes in the call view. */
  live: HTMLElement;
  show(tile: Tile | undefined, name: string, emoji: string): void;
}

export function createReactionFloats(disposer: Disposer): ReactionFloats {
  const live = h('div', { class: 'hands-live', role: 'status', 'aria-live': 'polite', testid: 'reaction-live' });
  const timers = new Set<number>();
  disposer.add(() => {
    for (const timer of timers) {
      window.clearTimeout(timer);
    }
    live.remove();
  });

  function float(tile: Tile, emoji: string): void {
    const el = h('span', {
      class: 'hands-float',
      'aria-hidden': 'true',
      testid: 'reaction-float',
      'data-emoji': emoji,
      text: emoji,
    });
    // Spread several reactions across the tile so they do not cover each other.
    el.style.setProperty('--hands-x', `${15 + Math.round(Math.random() * 60)}%`);
    const current = tile.el.querySelectorAll('.hands-float');
    for (let i = 0; i <= current.length - MAX_PER_TILE; i++) {
      current[i]?.remove();
    }
    tile.el.append(el);
    const timer = window.setTimeout(() => {
      timers.delete(timer);
      el.remove();
    }, FLOAT_MS);
    timers.add(timer);
  }

  return {
    live,
    show(tile, name, emoji) {
      if (tile) {
        float(tile, emoji);
      }
      live.textContent = t('hands.reacted', { name, emoji });
    },
  };
}
