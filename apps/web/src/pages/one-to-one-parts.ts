/** Pieces of the 1:1 page between calls: the name field, your call link card, and the call form. */
import { displayNameProblem, MAX_DISPLAY_NAME_LENGTH } from '../display-name.js';
import { t, tNodes } from '../i18n/index.js';
import { h, icon } from '../ui/dom.js';
import { icons } from '../ui/icons.js';

/** "Your name": a refused name stays in the field with the reason beside it; the current name stays in use. */
export function nameField(current: string, onRename: (name: string) => void): { el: HTMLElement; input: HTMLInputElement } {
  let name = current;
  const input = h('input', {
    id: 'oneone-name',
    class: 'input',
    type: 'text',
    testid: 'oneone-name',
    maxlength: MAX_DISPLAY_NAME_LENGTH,
    autocomplete: 'name',
    'aria-describedby': 'oneone-name-error',
  });
  input.value = name;
  const error = h('p', { id: 'oneone-name-error', class: 'field-error', testid: 'oneone-name-error', 'aria-live': 'polite' });
  /** Shows why the typed name cannot be used (or clears it); an empty field just puts the current name back. */
  const check = (): string | null => {
    const problem = input.value.trim() ? displayNameProblem(input.value) : null;
    error.textContent = problem ?? '';
    input.setAttribute('aria-invalid', String(problem !== null));
    return problem;
  };
  input.addEventListener('input', () => input.getAttribute('aria-invalid') === 'true' && check());
  input.addEventListener('change', () => {
    if (check()) {
      return;
    }
    const value = input.value.trim();
    if (value && value !== name) {
      name = value;
      onRename(value);
    } else {
      input.value = name;
    }
  });
  const el = h(
    'div',
    { class: 'field field-inline' },
    h('label', { class: 'field', for: input.id }, h('span', { class: 'field-label', text: t('common.yourName') }), input),
    error,
  );
  return { el, input };
}

export interface LinkCard {
  el: HTMLElement;
  link: HTMLElement;
  copy: HTMLButtonElement;
  presence: HTMLElement;
}

/** "Your call link", its presence dot and Copy. */
export function linkCard(onCopyLink: (link: string) => void): LinkCard {
  const link = h('code', { class: 'call-link', testid: 'oneone-my-link', text: t('common.connecting') });
  const copy = h(
    'button',
    {
      class: 'btn btn-secondary',
      type: 'button',
      testid: 'oneone-copy-link',
      'aria-label': t('oneone.copyAria'),
      disabled: true,
      on: { click: () => link.dataset['link'] && onCopyLink(link.dataset['link']) },
    },
    icon(icons.copy),
    t('common.copy'),
  );
  const presence = h('span', { class: 'presence', 'data-state': 'connecting', text: t('oneone.presence.connecting') });
  const el = h(
    'section',
    { class: 'card oneone-link', 'aria-labelledby': 'oneone-link-title' },
    h('h2', { id: 'oneone-link-title' }, `${t('oneone.yourLink')} `, presence),
    h('p', { class: 'muted', text: t('oneone.linkHint') }),
    h('div', { class: 'link-row' }, link, copy),
  );
  return { el, link, copy, presence };
}

export interface CallForm {
  el: HTMLFormElement;
  peerInput: HTMLInputElement | null;
  callButton: HTMLButtonElement;
  cancel: HTMLButtonElement;
  status: HTMLElement;
  retry: HTMLButtonElement;
}

function peerInput(): HTMLInputElement {
  return h('input', {
    id: 'oneone-peer',
    class: 'input',
    type: 'text',
    testid: 'oneone-peer-input',
    placeholder: t('oneone.peerPlaceholder'),
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'oneone-peer-error',
  });
}

function callButtons(
  target: string | null,
  options: { onCancel(): void; onRetry(): void },
): Omit<CallForm, 'el' | 'peerInput' | 'status'> {
  const label = target ? t('oneone.callId', { id: target }) : t('oneone.call');
  const callButton = h(
    'button',
    {
      class: `btn btn-primary ${target ? 'btn-large' : ''}`,
      type: 'submit',
      testid: 'oneone-call',
      'aria-label': label,
      disabled: true,
    },
    icon(icons.phone),
    label,
  );
  const cancel = h('button', {
    class: 'btn btn-reject',
    type: 'button',
    testid: 'call-cancel',
    'aria-label': t('oneone.cancelAria'),
    text: t('common.cancel'),
    hidden: true,
    on: { click: () => options.onCancel() },
  });
  const retry = h('button', {
    class: 'btn btn-small btn-secondary',
    type: 'button',
    text: t('common.retry'),
    hidden: true,
    on: { click: () => options.onRetry() },
  });
  return { callButton, cancel, retry };
}

/** "Call someone" (a field for a link or id) or, on /call/<id>, "Ready to call <id>". */
export function callForm(
  target: string | null,
  options: { onCall(peerId: string): void; onCancel(): void; onRetry(): void; parsePeerId(value: string): string | null },
): CallForm {
  const input = target ? null : peerInput();
  const inputError = h('p', { id: 'oneone-peer-error', class: 'field-error', 'aria-live': 'polite' });
  const buttons = callButtons(target, options);
  const status = h('p', { class: 'call-status', testid: 'call-status', role: 'status', 'aria-live': 'polite' });
  const submit = (event: SubmitEvent): void => {
    event.preventDefault();
    const peerId = target ?? options.parsePeerId(input?.value ?? '');
    inputError.textContent = peerId ? '' : t('oneone.invalidPeer');
    input?.setAttribute('aria-invalid', String(!peerId));
    if (peerId) {
      options.onCall(peerId);
    } else {
      input?.focus();
    }
  };
  const el = h(
    'form',
    { class: 'card oneone-call', novalidate: true, on: { submit } },
    h('h2', { text: target ? t('oneone.readyToCall') : t('oneone.callSomeone') }),
    target
      ? h('p', { class: 'muted' }, ...tNodes('oneone.aboutToCall', { id: h('code', { text: target }) }))
      : h(
          'label',
          { class: 'field', for: 'oneone-peer' },
          h('span', { class: 'field-label', text: t('oneone.theirLink') }),
          input,
        ),
    inputError,
    h('div', { class: 'actions actions-start' }, buttons.callButton, buttons.cancel),
    h('div', { class: 'status-row' }, status, buttons.retry),
  );
  return { el, peerInput: input, status, ...buttons };
}
