/**
 * A badge on the tiles of the members something is true of ("sharing", "REC"): kept per member id, so a tile
 * made later (a member joining, or rejoining) shows the badge at once. Used by the screen and recording features.
 */
import { h } from '../ui/dom.js';
import type { CallFeatureContext } from './context.js';

export interface TileBadges {
  set(peerId: string, on: boolean): void;
  relabel(): void;
}

export interface TileBadgeOptions {
  className: string;
  testid: string;
  text(): string;
  title(): string;
}

export function createTileBadges(ctx: CallFeatureContext, options: TileBadgeOptions): TileBadges {
  const on = new Set<string>();
  const badges = new Map<string, HTMLElement>();
  const label = (badge: HTMLElement): void => {
    badge.textContent = options.text();
    badge.title = options.title();
  };
  ctx.onTile((peerId, tile) => {
    badges.get(peerId)?.remove();
    const badge = h('span', { class: `badge ${options.className}`, testid: options.testid, hidden: !on.has(peerId) });
    label(badge);
    tile.extras.prepend(badge);
    badges.set(peerId, badge);
  });
  ctx.disposer.add(() => {
    for (const badge of badges.values()) {
      badge.remove();
    }
  });
  return {
    set(peerId, value) {
      if (value) {
        on.add(peerId);
      } else {
        on.delete(peerId);
      }
      const badge = badges.get(peerId);
      if (badge) {
        badge.hidden = !value;
      }
    },
    relabel() {
      for (const badge of badges.values()) {
        label(badge);
      }
    },
  };
}
