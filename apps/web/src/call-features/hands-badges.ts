/** The raised-hand badge on each tile ("✋ 1"), numbered by the room's order of raised hands. */
import type { RaisedHand, Room } from '@rendezvous/client';
import { formatNumber, t, type PlainKey } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import type { CallFeatureContext } from './context.js';

/** "first", "second", … ("第 1 位" in Chinese), then "number 11". */
export function positionWords(position: number): string {
  if (position >= 1 && position <= 10) {
    return t(`hands.position.${position}` as PlainKey);
  }
  return t('hands.position.n', { n: position });
}

/** A member's name as the room knows it (this client's own too). */
export function memberName(room: Room, peerId: string): string {
  return peerId === room.peerId ? room.self.displayName : (room.peers.get(peerId)?.displayName ?? '');
}

export interface HandBadges {
  /** Shows the badges for `raised` (in the order raised); every other tile loses its badge. */
  render(raised: readonly RaisedHand[]): void;
  relabel(): void;
}

function labelBadge(badge: HTMLElement, position: number): void {
  badge.dataset['position'] = String(position);
  badge.textContent = `✋ ${formatNumber(position)}`;
  const words = t('hands.badgeAria', { position: positionWords(position) });
  badge.setAttribute('aria-label', words);
  badge.title = words;
}

export function createHandBadges(ctx: CallFeatureContext): HandBadges {
  /** peerId -> position (1-based) of every raised hand. */
  let positions = new Map<string, number>();
  const badges = new Map<string, HTMLElement>();

  /** Puts, updates or removes the badge of one tile to match `positions`. */
  function apply(peerId: string): void {
    const position = positions.get(peerId);
    const tile = ctx.tile(peerId);
    let badge = badges.get(peerId);
    if (position === undefined || !tile) {
      badge?.remove();
      badges.delete(peerId);
      return;
    }
    if (!badge || !tile.extras.contains(badge)) {
      badge?.remove();
      badge = h('span', { class: 'badge hands-badge', role: 'img', testid: 'hand-badge' });
      badges.set(peerId, badge);
      tile.extras.prepend(badge);
    }
    labelBadge(badge, position);
  }

  ctx.onTile((peerId) => apply(peerId));
  ctx.disposer.add(() => {
    for (const badge of badges.values()) {
      badge.remove();
    }
    badges.clear();
  });

  return {
    render(raised) {
      const before = [...positions.keys()];
      positions = new Map(raised.map((hand, index) => [hand.peerId, index + 1]));
      for (const peerId of new Set([...before, ...positions.keys()])) {
        apply(peerId);
      }
    },
    relabel() {
      for (const peerId of positions.keys()) {
        apply(peerId);
      }
    },
  };
}
