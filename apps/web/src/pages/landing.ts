/** Landing page: what Rendezvous is, start a new room, join one by name, or go to 1:1 calling; the language picker. */
import { onLanguageChange, t } from '../i18n/index.js';
import { randomRoomName, roomNameProblem } from '../room-names.js';
import { navigate, type Page } from '../router.js';
import { h, icon } from '../ui/dom.js';
import { icons } from '../ui/icons.js';
import { createLanguagePicker } from '../ui/language-picker.js';

/** Accepts a bare name or a pasted invite link (…/room/<name>). */
function roomFromInput(value: string): string {
  const trimmed = value.trim();
  const fromLink = /\/room\/([^/?#]+)/.exec(trimmed)?.[1];
  if (!fromLink) {
    return trimmed;
  }
  try {
    return decodeURIComponent(fromLink);
  } catch {
    return trimmed;
  }
}

function roomInput(): HTMLInputElement {
  return h('input', {
    id: 'landing-room',
    class: 'input',
    type: 'text',
    testid: 'landing-room-input',
    placeholder: t('landing.roomPlaceholder'),
    autocomplete: 'off',
    autocapitalize: 'off',
    spellcheck: 'false',
    maxlength: 64,
    'aria-describedby': 'landing-room-error',
  });
}

/** The "join a room by name or link" form: checks the name as it is typed, then opens the room. */
function joinForm(): HTMLFormElement {
  const input = roomInput();
  const error = h('p', { id: 'landing-room-error', class: 'field-error', 'aria-live': 'polite' });

  function showProblem(problem: string | null): void {
    error.textContent = problem ?? '';
    input.setAttribute('aria-invalid', problem ? 'true' : 'false');
  }

  function submit(event: SubmitEvent): void {
    event.preventDefault();
    const name = roomFromInput(input.value);
    const problem = roomNameProblem(name);
    showProblem(problem);
    if (problem) {
      input.focus();
    } else {
      navigate(`/room/${encodeURIComponent(name)}`);
    }
  }

  const form = h(
    'form',
    { class: 'join-form', novalidate: true, on: { submit } },
    h('label', { class: 'field-label', for: input.id, text: t('landing.joinLabel') }),
    h(
      'div',
      { class: 'input-row' },
      input,
      h(
        'button',
        { class: 'btn btn-secondary', type: 'submit', testid: 'landing-join', 'aria-label': t('landing.joinAria') },
        t('landing.join'),
      ),
    ),
    error,
  );
  input.addEventListener('input', () => {
    if (error.textContent) {
      showProblem(input.value.trim() === '' ? null : roomNameProblem(roomFromInput(input.value)));
    }
  });
  return form;
}

function newRoomButton(): HTMLButtonElement {
  return h(
    'button',
    {
      class: 'btn btn-primary btn-large',
      type: 'button',
      testid: 'landing-new-room',
      'aria-label': t('landing.newRoomAria'),
      on: { click: () => navigate(`/room/${randomRoomName()}`) },
    },
    icon(icons.plus),
    t('landing.newRoom'),
  );
}

function landing(picker: HTMLElement): HTMLElement {
  return h(
    'main',
    { class: 'page landing' },
    h(
      'section',
      { class: 'hero' },
      h(
        'div',
        { class: 'landing-top' },
        h('div', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Rendezvous'),
        picker,
      ),
      h('h1', { text: t('landing.headline') }),
      h('p', { class: 'lede', text: t('landing.lede') }),
      h(
        'div',
        { class: 'card landing-card' },
        newRoomButton(),
        h('div', { class: 'divider', text: t('landing.or') }),
        joinForm(),
      ),
      h(
        'p',
        { class: 'landing-oneone' },
        `${t('landing.oneOnePrompt')} `,
        h(
          'a',
          { href: '/call', class: 'link', 'data-testid': 'landing-oneone' },
          t('landing.oneOneLink'),
          icon(icons.arrowRight, 'icon icon-inline'),
        ),
      ),
      h(
        'footer',
        { class: 'landing-footer' },
        h('a', { href: '/network', testid: 'landing-netcheck' }, t('landing.netcheck')),
        ' · ',
        h('a', { href: '/pair', testid: 'landing-pair' }, t('pair.landingLink')),
        ' · ',
        h('a', { href: `/live/${randomRoomName()}`, testid: 'landing-live' }, t('live.landingLink')),
      ),
    ),
  );
}

export const landingPage: Page = (root) => {
  const picker = createLanguagePicker();
  const render = (): void => {
    document.title = 'Rendezvous';
    root.replaceChildren(landing(picker.el));
  };
  render();
  // Nothing here holds state worth keeping but the typed room name and the focus: carry them over.
  const unsubscribe = onLanguageChange(() => {
    const typed = root.querySelector<HTMLInputElement>('#landing-room')?.value ?? '';
    render();
    const input = root.querySelector<HTMLInputElement>('#landing-room');
    if (input) {
      input.value = typed;
    }
    picker.el.querySelector('select')?.focus();
  });
  return () => {
    unsubscribe();
    picker.destroy();
  };
};
