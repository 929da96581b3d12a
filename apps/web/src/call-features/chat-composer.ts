/**
 * The chat composer: a recipient picker, a text box (Enter sends, Shift+Enter starts a new line, an IME
 * composition is never cut short) with a length counter that appears near MAX_CHAT_TEXT, and a send button.
 */
import { MAX_CHAT_TEXT } from '@rendezvous/client';
import { t } from '../i18n/index.js';
import { h, icon, type Disposer } from '../ui/dom.js';
import { icons } from '../ui/icons.js';
import type { MemberNames } from './chat-members.js';
import { createRecipientPicker } from './chat-recipients.js';

/** The counter shows once this few characters are left. */
const COUNTER_MARGIN = 500;

export interface Composer {
  el: HTMLElement;
  focus(): void;
  relabel(): void;
}

export interface ComposerOptions {
  members: MemberNames;
  disposer: Disposer;
  /** Sends `text` (to one member, or everyone); true when it went out (the box is then cleared). */
  send(text: string, to: string | undefined): boolean;
}

export function createComposer(options: ComposerOptions): Composer {
  const input = h('textarea', { class: 'chat-input', testid: 'chat-input', rows: 1, maxlength: MAX_CHAT_TEXT });
  const counter = h('span', { class: 'chat-counter', testid: 'chat-counter', 'aria-live': 'polite', hidden: true });
  const sendButton = h(
    'button',
    { class: 'btn btn-primary chat-send', type: 'button', testid: 'chat-send' },
    icon(icons.arrowRight),
  );
  const picker = createRecipientPicker({
    members: options.members,
    disposer: options.disposer,
    testid: 'chat-recipient',
    label: () => t('chat.sendTo'),
    onChange: () => relabel(),
  });

  const update = (): void => {
    const used = input.value.length;
    counter.hidden = used < MAX_CHAT_TEXT - COUNTER_MARGIN;
    counter.textContent = t('chat.length', { used, limit: MAX_CHAT_TEXT });
    counter.classList.toggle('chat-counter-full', used >= MAX_CHAT_TEXT);
    sendButton.disabled = input.value.trim() === '';
  };
  const submit = (): void => {
    const text = input.value;
    if (text.trim() === '') {
      return;
    }
    if (options.send(text, picker.value())) {
      input.value = '';
      update();
    }
    input.focus();
  };
  function relabel(): void {
    const to = picker.value();
    input.placeholder = to === undefined ? t('chat.placeholder') : t('chat.placeholderTo', { name: picker.targetName() });
    input.setAttribute('aria-label', t('chat.input'));
    sendButton.setAttribute('aria-label', t('chat.send'));
    sendButton.title = t('chat.send');
    update();
  }
  input.addEventListener('input', update);
  input.addEventListener('keydown', (event) => {
    // keyCode 229: a key pressed during an IME composition in browsers that do not set isComposing.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      submit();
    }
  });
  sendButton.addEventListener('click', submit);
  relabel();
  const el = h('div', { class: 'chat-composer' }, picker.el, h('div', { class: 'chat-compose-row' }, input, sendButton), counter);
  return {
    el,
    focus: () => input.focus(),
    relabel: () => {
      picker.refresh();
      relabel();
    },
  };
}
