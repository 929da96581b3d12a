/**
 * The quality badge on each remote tile (excellent, good, poor, lost), from the sampler's `quality`
 * events: a coloured dot and a word, with an aria-label that says what it measures. No badge until the
 * connection first connects.
 */
import type { Quality, StatsSampler } from '@rendezvous/client';
import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import type { CallFeatureContext } from './context.js';

export function qualityText(quality: Quality): string {
  return t(`stats.quality.${quality}`);
}

function render(badge: HTMLElement, quality: Quality | null): void {
  badge.hidden = quality === null;
  badge.dataset['quality'] = quality ?? '';
  if (quality === null) {
    badge.textContent = '';
    badge.removeAttribute('aria-label');
    badge.removeAttribute('title');
    return;
  }
  const word = qualityText(quality);
  const label = t('stats.quality.aria', { quality: word });
  badge.replaceChildren(h('span', { class: 'quality-dot', 'aria-hidden': 'true' }), word);
  badge.setAttribute('aria-label', label);
  badge.title = label;
}

/** Puts a badge on every remote tile, now and later; returns the relabel for a language switch. */
export function showQualityBadges(context: CallFeatureContext, sampler: StatsSampler): () => void {
  const badges = new Map<string, HTMLElement>();
  context.onTile((peerId, tile) => {
    if (peerId === context.room.peerId) {
      return;
    }
    badges.get(peerId)?.remove();
    const badge = h('span', { class: 'badge badge-quality', role: 'img', testid: 'tile-quality', hidden: true });
    tile.extras.append(badge);
    badges.set(peerId, badge);
    render(badge, sampler.quality(peerId));
  });
  context.disposer.add(
    sampler.on('quality', (peerId, quality) => {
      const badge = badges.get(peerId);
      if (badge !== undefined) {
        render(badge, quality);
      }
    }),
  );
  context.disposer.add(context.room.on('peer-left', (peer) => badges.delete(peer.peerId)));
  return () => {
    for (const [peerId, badge] of badges) {
      render(badge, sampler.quality(peerId));
    }
  };
}
