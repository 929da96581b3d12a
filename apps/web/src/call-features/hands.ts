/**
 * The hands feature of the call view (issue 8): raise or lower a hand (button and shortcut H), a numbered
 * badge on every tile with a hand up in the room's order, a toast when someone else raises one; and emoji
 * reactions, picked from a small set and shown floating over the sender's tile for everyone.
 */
import type { RaisedHand } from '@rendezvous/client';
import { t } from '../i18n/index.js';
import { toast } from '../ui/toasts.js';
import { createHandBadges, memberName } from './hands-badges.js';
import { createHandButton, isHandShortcut } from './hands-button.js';
import { createReactionFloats } from './hands-floats.js';
import { createReactionPicker } from './hands-picker.js';
import type { CallFeature, CallFeatureContext } from './context.js';
import './hands.css';

/** Hands, their badges, the button and the shortcut; a toast for each hand newly raised by someone else. */
function mountHands(ctx: CallFeatureContext): void {
  const { room, disposer } = ctx;
  const button = createHandButton(room);
  const badges = createHandBadges(ctx);
  let up = new Set(room.hands.raised.map((hand) => hand.peerId));
  badges.render(room.hands.raised);

  const onHands = (raised: RaisedHand[]): void => {
    for (const { peerId } of raised) {
      if (!up.has(peerId) && peerId !== room.peerId) {
        toast(t('hands.raised', { name: memberName(room, peerId) }));
      }
    }
    up = new Set(raised.map((hand) => hand.peerId));
    badges.render(raised);
    button.update();
  };
  disposer.add(room.hands.on('hands', onHands));
  disposer.listen(document, 'keydown', (event) => {
    if (isHandShortcut(event)) {
      event.preventDefault();
      button.toggle();
    }
  });
  ctx.addControl(button.el);
  ctx.onRelabel(() => {
    button.update();
    badges.relabel();
  });
}

/** The reactions button and picker, and every reaction (this client's too) floating over its sender's tile. */
function mountReactions(ctx: CallFeatureContext): void {
  const { room, disposer } = ctx;
  const floats = createReactionFloats(disposer);
  ctx.view.append(floats.live);
  const picker = createReactionPicker((emoji) => room.reactions.react(emoji), disposer);
  disposer.add(room.reactions.on('reaction', (peerId, emoji) => floats.show(ctx.tile(peerId), memberName(room, peerId), emoji)));
  ctx.addControl(picker.el);
  ctx.onRelabel(() => picker.relabel());
}

export const handsFeature: CallFeature = (ctx) => {
  mountHands(ctx);
  mountReactions(ctx);
};
