/**
 * The screen feature of the call view (issue 8): a share button, a "sharing" badge on the tile of whoever
 * shares, and the shared screen (a peer's, or your own, labelled) in the large spot with the cameras in a strip.
 */
import type { RemotePeer } from '@rendezvous/client';
import { t } from '../i18n/index.js';
import type { CallFeature, CallFeatureContext } from './context.js';
import { createScreenButton } from './screen-button.js';
import { createScreenStage, type ScreenStage } from './screen-stage.js';
import { createTileBadges, type TileBadges } from './screen-tile-badges.js';
import './screen.css';

/** A peer says it shares (its media state), or its screen already arrived. */
const isSharing = (peer: RemotePeer): boolean => peer.media.screenSharing || peer.screen !== null;

/** Remote peers' screens: the large spot and the badge follow the room's `screen` events and peers leaving. */
function followPeers(ctx: CallFeatureContext, stage: ScreenStage, badges: TileBadges): void {
  const { room, disposer } = ctx;
  for (const peer of room.peers.values()) {
    badges.set(peer.peerId, isSharing(peer));
    if (peer.screen !== null) {
      stage.show(peer.peerId, peer.screen);
    }
  }
  disposer.add(
    room.on('screen', (peer, stream) => {
      if (stream === null) {
        stage.hide(peer.peerId);
      } else {
        stage.show(peer.peerId, stream);
      }
      badges.set(peer.peerId, isSharing(peer));
    }),
  );
  disposer.add(
    room.on('peer-updated', (peer) => {
      badges.set(peer.peerId, isSharing(peer));
      stage.relabel(); // the display name may have changed
    }),
  );
  disposer.add(
    room.on('peer-left', (peer) => {
      stage.hide(peer.peerId);
      badges.set(peer.peerId, false);
    }),
  );
}

export const screenFeature: CallFeature = (ctx) => {
  const { room, media, disposer } = ctx;
  const label = (owner: string): string =>
    owner === room.peerId ? t('screen.yours') : t('screen.ofPeer', { name: room.peers.get(owner)?.displayName ?? '' });
  const stage = createScreenStage(ctx.spotlight, label);
  const badges = createTileBadges(ctx, {
    className: 'badge-screen',
    testid: 'tile-sharing',
    text: () => t('screen.badge'),
    title: () => t('screen.badgeTitle'),
  });
  const button = createScreenButton(media);
  ctx.addControl(button.el);
  if (media !== null) {
    const showOwn = (stream: MediaStream | null): void => {
      if (stream === null) {
        stage.hide(room.peerId);
      } else {
        stage.show(room.peerId, stream);
      }
      badges.set(room.peerId, stream !== null);
      button.update();
    };
    showOwn(media.screenStream);
    disposer.add(media.on('screen', showOwn));
    disposer.add(media.on('state', () => button.update()));
  }
  followPeers(ctx, stage, badges);
  ctx.onRelabel(() => {
    button.update();
    badges.relabel();
    stage.relabel();
  });
};
