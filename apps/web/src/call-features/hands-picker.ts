/** The reactions control: a button opening a small picker of emoji, limited to a few sends per moment. */
import { describeError } from '../errors-text.js';
import { t, type PlainKey } from '../i18n/index.js';
import { h, icon, type Disposer } from '../ui/dom.js';
import { icons } from '../ui/icons.js';
import { toast } from '../ui/toasts.js';
import { SlidingLimit } from './hands-rate.js';

/** The emoji on offer, with the key of each one's name. */
export const REACTION_CHOICES: readonly { emoji: string; name: PlainKey }[] = [
  { emoji: '👍', name: 'hands.emoji.thumbsUp' },
  { emoji: '👏', name: 'hands.emoji.clap' },
  { emoji: '😂', name: 'hands.emoji.laugh' },
  { emoji: '❤️', name: 'hands.emoji.heart' },
  { emoji: '🎉', name: 'hands.emoji.party' },
  { emoji: '😮', name: 'hands.emoji.wow' },
  { emoji: '🤔', name: 'hands.emoji.thinking' },
  { emoji: '🙌', name: 'hands.emoji.raisedHands' },
];

/** At most this many reactions per window from this client's UI. */
export const REACTION_LIMIT = { max: 5, windowMs: 3000 } as const;

export interface ReactionPicker {
  /** The button and its popover (goes in the control bar). */
  el: HTMLElement;
  relabel(): void;
}

function optionButtons(send: (emoji: string) => void): HTMLButtonElement[] {
  return REACTION_CHOICES.map(({ emoji }) =>
    h('button', {
      class: 'hands-option',
      type: 'button',
      testid: 'reaction-option',
      'data-emoji': emoji,
      text: emoji,
      on: {
        click: (event) => {
          event.stopPropagation();
          send(emoji);
        },
      },
    }),
  );
}

/** Escape closes the picker (focus back on its button); a press outside closes it too. */
function closeOnEscapeOrOutside(
  parts: { picker: HTMLElement; button: HTMLButtonElement; close: () => void },
  disposer: Disposer,
): void {
  const { picker, button, close } = parts;
  disposer.listen(document, 'keydown', (event) => {
    if (event.key === 'Escape' && !picker.hidden) {
      close();
      button.focus();
    }
  });
  disposer.listen(document, 'pointerdown', (event) => {
    const target = event.target as Node | null;
    if (!picker.hidden && target && !picker.contains(target) && !button.contains(target)) {
      close();
    }
  });
}

/** `react` sends one emoji (room.reactions.react). */
export function createReactionPicker(react: (emoji: string) => void, disposer: Disposer): ReactionPicker {
  const limit = new SlidingLimit(REACTION_LIMIT.max, REACTION_LIMIT.windowMs);
  const popId = 'hands-picker';
  const button = h(
    'button',
    {
      class: 'ctrl',
      type: 'button',
      testid: 'control-reactions',
      'aria-expanded': 'false',
      'aria-controls': popId,
      on: { click: () => setOpen(picker.hidden) },
    },
    icon(icons.smile),
  );
  const options = optionButtons((emoji) => send(emoji));
  const hint = h('p', { class: 'hands-hint', hidden: true, 'aria-live': 'polite' });
  const picker = h(
    'div',
    { id: popId, class: 'hands-picker card', role: 'group', hidden: true, testid: 'reaction-picker' },
    h('div', { class: 'hands-options' }, ...options),
    hint,
  );
  let cooling: number | undefined;
  disposer.add(() => window.clearTimeout(cooling));

  function setCooling(on: boolean): void {
    picker.classList.toggle('hands-cooling', on);
    picker.dataset['cooling'] = String(on);
    hint.hidden = !on;
    for (const option of options) {
      option.setAttribute('aria-disabled', String(on));
    }
  }

  /** Cools down while the limit is reached, and warms up again when a slot frees. */
  function followLimit(): void {
    window.clearTimeout(cooling);
    const wait = limit.waitMs();
    setCooling(wait > 0);
    if (wait > 0) {
      cooling = window.setTimeout(followLimit, wait);
    }
  }

  function send(emoji: string): void {
    if (!limit.take()) {
      followLimit();
      return;
    }
    try {
      react(emoji);
    } catch (error) {
      toast(describeError(error).title, { kind: 'error' });
    }
    followLimit();
  }

  function setOpen(open: boolean): void {
    picker.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) {
      options[0]?.focus();
    }
  }

  closeOnEscapeOrOutside({ picker, button, close: () => setOpen(false) }, disposer);

  function relabel(): void {
    button.setAttribute('aria-label', t('hands.reactions'));
    button.title = t('hands.reactions');
    picker.setAttribute('aria-label', t('hands.reactionsPicker'));
    hint.textContent = t('hands.reactionsSlow');
    REACTION_CHOICES.forEach((choice, i) => {
      options[i]?.setAttribute('aria-label', t(choice.name));
      if (options[i]) {
        options[i].title = t(choice.name);
      }
    });
  }
  relabel();
  return { el: h('span', { class: 'ctrl-wrap hands-wrap' }, button, picker), relabel };
}
