/** The raise/lower hand control (shortcut H): pressed while this client's hand is up. */
import type { Room } from '@rendezvous/client';
import { describeError } from '../errors-text.js';
import { t } from '../i18n/index.js';
import { h, icon } from '../ui/dom.js';
import { icons } from '../ui/icons.js';
import { toast } from '../ui/toasts.js';

export interface HandButton {
  el: HTMLButtonElement;
  /** Raises the hand when it is down, lowers it when it is up. */
  toggle(): void;
  /** Re-reads `room.hands.isRaised` and re-applies the words. */
  update(): void;
}

export const HAND_SHORTCUT = 'H';

export function createHandButton(room: Room): HandButton {
  let busy = false;
  const el = h(
    'button',
    {
      class: 'ctrl hands-button',
      type: 'button',
      testid: 'control-hand',
      'aria-pressed': 'false',
      'aria-keyshortcuts': HAND_SHORTCUT,
      on: { click: () => button.toggle() },
    },
    icon(icons.hand),
  );

  const button: HandButton = {
    el,
    toggle() {
      if (busy) {
        return;
      }
      busy = true;
      el.setAttribute('aria-busy', 'true');
      const change = room.hands.isRaised ? room.hands.lowerHand() : room.hands.raiseHand();
      change
        .catch((error: unknown) => toast(describeError(error).title, { kind: 'error' }))
        .finally(() => {
          busy = false;
          el.removeAttribute('aria-busy');
          button.update();
        });
    },
    update() {
      const raised = room.hands.isRaised;
      el.setAttribute('aria-pressed', String(raised));
      el.classList.toggle('hands-raised', raised);
      el.setAttribute('aria-label', t('hands.raise'));
      el.title = t('media.withShortcut', { label: t(raised ? 'hands.lower' : 'hands.raise'), key: HAND_SHORTCUT });
    },
  };
  button.update();
  return button;
}

/** Whether a key press is the hand shortcut and not typing (in a field) or a browser shortcut. */
export function isHandShortcut(event: KeyboardEvent): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) {
    return false;
  }
  const target = event.target as HTMLElement | null;
  if (target?.closest?.('input, textarea, select, [contenteditable="true"], [contenteditable=""]')) {
    return false;
  }
  return event.key === 'h' || event.key === 'H';
}
