/** The live page's first screen: the broadcast's name, your name, Watch (no devices) or Go live. */
import { displayNameProblem, MAX_DISPLAY_NAME_LENGTH } from '../display-name.js';
import { t } from '../i18n/index.js';
import { randomGuestName } from '../room-names.js';
import { settings } from '../settings.js';
import { h } from '../ui/dom.js';
import { createLanguagePicker } from '../ui/language-picker.js';

export interface LiveEntryOptions {
  roomName: string;
  /** The name typed when the screen was drawn before (a language switch redraws it). */
  typed?: string;
  onEnter(displayName: string, goLive: boolean): void;
}

export function liveEntry(options: LiveEntryOptions): { el: HTMLElement; typed(): string; destroy(): void } {
  const picker = createLanguagePicker('live-entry-language');
  const input = h('input', {
    id: 'live-name',
    class: 'input',
    type: 'text',
    testid: 'live-name',
    placeholder: t('live.namePlaceholder'),
    autocomplete: 'name',
    maxlength: MAX_DISPLAY_NAME_LENGTH,
    'aria-describedby': 'live-name-error',
  });
  input.value = options.typed ?? settings.displayName;
  const error = h('p', { id: 'live-name-error', class: 'field-error', 'aria-live': 'polite' });
  const enter = (goLive: boolean): void => {
    const typed = input.value.trim();
    const problem = typed ? displayNameProblem(typed) : null;
    error.textContent = problem ?? '';
    input.setAttribute('aria-invalid', String(problem !== null));
    if (problem !== null) {
      input.focus();
      return;
    }
    if (typed) {
      settings.displayName = typed;
    }
    options.onEnter(typed || randomGuestName(), goLive);
  };
  const watch = h('button', { class: 'btn btn-primary btn-large', type: 'submit', testid: 'live-watch', text: t('live.watch') });
  const goLive = h('button', {
    class: 'btn btn-secondary btn-large',
    type: 'button',
    testid: 'live-enter-go-live',
    text: t('live.goLive'),
  });
  goLive.addEventListener('click', () => enter(true));
  const form = h(
    'form',
    { class: 'card live-entry-card', novalidate: true, on: { submit: (event) => (event.preventDefault(), enter(false)) } },
    h('p', { class: 'eyebrow', text: t('live.eyebrow') }),
    h('h1', { class: 'live-entry-title', text: options.roomName }),
    h('p', { class: 'muted', text: t('live.entryText') }),
    h('div', { class: 'field' }, h('label', { class: 'field-label', for: input.id, text: t('live.nameLabel') }), input, error),
    h('div', { class: 'actions live-entry-actions' }, goLive, watch),
  );
  const el = h(
    'main',
    { class: 'page centered live-entry', testid: 'live-entry' },
    h(
      'div',
      { class: 'landing-top live-entry-top' },
      h('a', { class: 'brand', href: '/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Rendezvous'),
      picker.el,
    ),
    form,
  );
  queueMicrotask(() => (input.value ? watch : input).focus({ preventScroll: true }));
  return { el, typed: () => input.value, destroy: () => picker.destroy() };
}
