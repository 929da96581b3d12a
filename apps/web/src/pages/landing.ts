/** Landing page: what Rendezvous is, start a new room, join one by name, or go to 1:1 calling. */
import { randomRoomName, roomNameProblem } from '../room-names.js';
import { navigate, type Page } from '../router.js';
import { h, icon } from '../ui/dom.js';
import { icons } from '../ui/icons.js';

/** The "join a room by name or link" form: checks the name as it is typed, then opens the room. */
function joinForm(): HTMLFormElement {
  const input = h('input', {
    id: 'landing-room',
    class: 'input',
    type: 'text',
    testid: 'landing-room-input',
    placeholder: 'room-name',
    autocomplete: 'off',
    autocapitalize: 'off',
    spellcheck: 'false',
    maxlength: 64,
    'aria-describedby': 'landing-room-error',
  });
  const error = h('p', { id: 'landing-room-error', class: 'field-error', 'aria-live': 'polite' });

  function showProblem(problem: string | null): void {
    error.textContent = problem ?? '';
    input.setAttribute('aria-invalid', problem ? 'true' : 'false');
  }

  /** Accepts a bare name or a pasted invite link (…/room/<name>). */
  function roomFromInput(): string {
    const value = input.value.trim();
    const fromLink = /\/room\/([^/?#]+)/.exec(value)?.[1];
    if (!fromLink) {
      return value;
    }
    try {
      return decodeURIComponent(fromLink);
    } catch {
      return value;
    }
  }

  const form = h(
    'form',
    {
      class: 'join-form',
      novalidate: true,
      on: {
        submit: (event) => {
          event.preventDefault();
          const name = roomFromInput();
          const problem = roomNameProblem(name);
          showProblem(problem);
          if (problem) {
            input.focus();
          } else {
            navigate(`/room/${encodeURIComponent(name)}`);
          }
        },
      },
    },
    h('label', { class: 'field-label', for: input.id, text: 'Join a room by name or link' }),
    h(
      'div',
      { class: 'input-row' },
      input,
      h('button', { class: 'btn btn-secondary', type: 'submit', testid: 'landing-join', 'aria-label': 'Join room' }, 'Join'),
    ),
    error,
  );
  input.addEventListener('input', () => {
    if (error.textContent) {
      showProblem(input.value.trim() === '' ? null : roomNameProblem(roomFromInput()));
    }
  });
  return form;
}

export const landingPage: Page = (root) => {
  document.title = 'Rendezvous';

  const form = joinForm();

  const newRoom = h(
    'button',
    {
      class: 'btn btn-primary btn-large',
      type: 'button',
      testid: 'landing-new-room',
      'aria-label': 'Start a new room',
      on: { click: () => navigate(`/room/${randomRoomName()}`) },
    },
    icon(icons.plus),
    'New room',
  );

  root.append(
    h(
      'main',
      { class: 'page landing' },
      h(
        'section',
        { class: 'hero' },
        h('div', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Rendezvous'),
        h('h1', { text: 'Video calls on your own server.' }),
        h('p', {
          class: 'lede',
          text: 'Rooms for up to a handful of people and 1:1 calls, peer to peer, in the browser. No accounts, no downloads.',
        }),
        h('div', { class: 'card landing-card' }, newRoom, h('div', { class: 'divider', text: 'or' }), form),
        h(
          'p',
          { class: 'landing-oneone' },
          'Want to ring one person directly? ',
          h(
            'a',
            { href: '/call', class: 'link', 'data-testid': 'landing-oneone' },
            'Make a 1:1 call',
            icon(icons.arrowRight, 'icon icon-inline'),
          ),
        ),
        h('footer', { class: 'landing-footer' }, h('a', { href: '/network', testid: 'landing-netcheck' }, 'Network check')),
      ),
    ),
  );
};
