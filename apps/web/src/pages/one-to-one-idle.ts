/** The 1:1 page between calls: your name, your call link, and the field or button to call someone. */
import type { CallClient } from '@rendezvous/client';
import { displayNameProblem, MAX_DISPLAY_NAME_LENGTH } from '../display-name.js';
import { h, icon } from '../ui/dom.js';
import { icons } from '../ui/icons.js';

export interface IdleView {
  /** Shows the client's call link (or "connecting" when null). */
  setClient(client: CallClient | null): void;
  setConnection(state: string): void;
  /** The call-status line: ringing, outcomes, connection problems. */
  setStatus(text: string, kind: 'info' | 'error', retry?: boolean): void;
  /** Dialing or ringing: Call is disabled and Cancel shows. */
  setCalling(calling: boolean): void;
}

export interface IdleOptions {
  target: string | null;
  displayName: string;
  onRename(name: string): void;
  onCopyLink(link: string): void;
  onCall(peerId: string): void;
  onCancel(): void;
  onRetry(): void;
  parsePeerId(value: string): string | null;
}

export function oneToOneIdle(root: HTMLElement, options: IdleOptions): IdleView {
  const { target } = options;
  let connected = false;
  let calling = false;

  const name = h('input', {
    id: 'oneone-name',
    class: 'input',
    type: 'text',
    testid: 'oneone-name',
    maxlength: MAX_DISPLAY_NAME_LENGTH,
    autocomplete: 'name',
    'aria-describedby': 'oneone-name-error',
  });
  name.value = options.displayName;
  const nameError = h('p', { id: 'oneone-name-error', class: 'field-error', testid: 'oneone-name-error', 'aria-live': 'polite' });
  /** Shows why the typed name cannot be used (or clears it); an empty field just puts the current name back. */
  function checkName(): string | null {
    const problem = name.value.trim() ? displayNameProblem(name.value) : null;
    nameError.textContent = problem ?? '';
    name.setAttribute('aria-invalid', String(problem !== null));
    return problem;
  }
  name.addEventListener('input', () => {
    if (name.getAttribute('aria-invalid') === 'true') {
      checkName();
    }
  });
  name.addEventListener('change', () => {
    // A refused name stays in the field with the reason beside it; the current name stays in use.
    if (checkName()) {
      return;
    }
    const value = name.value.trim();
    if (value && value !== options.displayName) {
      options.displayName = value;
      options.onRename(value);
    } else {
      name.value = options.displayName;
    }
  });

  const link = h('code', { class: 'call-link', testid: 'oneone-my-link', text: 'Connecting…' });
  const copy = h(
    'button',
    {
      class: 'btn btn-secondary',
      type: 'button',
      testid: 'oneone-copy-link',
      'aria-label': 'Copy your call link',
      disabled: true,
      on: { click: () => link.dataset['link'] && options.onCopyLink(link.dataset['link']) },
    },
    icon(icons.copy),
    'Copy',
  );
  const presence = h('span', { class: 'presence', 'data-state': 'connecting', text: 'connecting' });

  const peerInput = target
    ? null
    : h('input', {
        id: 'oneone-peer',
        class: 'input',
        type: 'text',
        testid: 'oneone-peer-input',
        placeholder: 'Peer id or call link',
        autocomplete: 'off',
        spellcheck: 'false',
        'aria-describedby': 'oneone-peer-error',
      });
  const inputError = h('p', { id: 'oneone-peer-error', class: 'field-error', 'aria-live': 'polite' });
  const callButton = h(
    'button',
    {
      class: `btn btn-primary ${target ? 'btn-large' : ''}`,
      type: 'submit',
      testid: 'oneone-call',
      'aria-label': target ? `Call ${target}` : 'Call',
      disabled: true,
    },
    icon(icons.phone),
    target ? `Call ${target}` : 'Call',
  );
  const cancel = h('button', {
    class: 'btn btn-reject',
    type: 'button',
    testid: 'call-cancel',
    'aria-label': 'Cancel call',
    text: 'Cancel',
    hidden: true,
    on: { click: () => options.onCancel() },
  });
  const status = h('p', { class: 'call-status', testid: 'call-status', role: 'status', 'aria-live': 'polite' });
  const retry = h('button', {
    class: 'btn btn-small btn-secondary',
    type: 'button',
    text: 'Retry',
    hidden: true,
    on: { click: () => options.onRetry() },
  });

  const callForm = h(
    'form',
    {
      class: 'card oneone-call',
      novalidate: true,
      on: {
        submit: (event) => {
          event.preventDefault();
          const peerId = target ?? options.parsePeerId(peerInput?.value ?? '');
          if (!peerId) {
            inputError.textContent = 'Paste a call link or a peer id (8–64 letters, digits, "-" or "_").';
            peerInput?.setAttribute('aria-invalid', 'true');
            peerInput?.focus();
            return;
          }
          inputError.textContent = '';
          peerInput?.setAttribute('aria-invalid', 'false');
          options.onCall(peerId);
        },
      },
    },
    h('h2', { text: target ? 'Ready to call' : 'Call someone' }),
    target
      ? h('p', { class: 'muted' }, 'You are about to call ', h('code', { text: target }), '.')
      : h(
          'label',
          { class: 'field', for: 'oneone-peer' },
          h('span', { class: 'field-label', text: 'Their call link or peer id' }),
          peerInput,
        ),
    inputError,
    h('div', { class: 'actions actions-start' }, callButton, cancel),
    h('div', { class: 'status-row' }, status, retry),
  );

  const linkCard = h(
    'section',
    { class: 'card oneone-link', 'aria-labelledby': 'oneone-link-title' },
    h('h2', { id: 'oneone-link-title' }, 'Your call link ', presence),
    h('p', { class: 'muted', text: 'Anyone with this link can ring you while this page is open.' }),
    h('div', { class: 'link-row' }, link, copy),
  );

  root.append(
    h(
      'main',
      { class: 'page oneone', testid: 'oneone' },
      h(
        'header',
        { class: 'oneone-header' },
        h(
          'a',
          { href: '/', class: 'brand', 'aria-label': 'Rendezvous home' },
          h('span', { class: 'brand-mark', 'aria-hidden': 'true' }),
          'Rendezvous',
        ),
        h('h1', { text: target ? 'Call' : '1:1 calls' }),
        h(
          'div',
          { class: 'field field-inline' },
          h('label', { class: 'field', for: name.id }, h('span', { class: 'field-label', text: 'Your name' }), name),
          nameError,
        ),
      ),
      target ? callForm : linkCard,
      target ? linkCard : callForm,
    ),
  );

  function updateButtons(): void {
    callButton.disabled = !connected || calling;
    cancel.hidden = !calling;
    if (peerInput) {
      peerInput.disabled = calling;
    }
    name.disabled = calling;
  }

  return {
    setClient(client) {
      connected = client !== null;
      const url = client ? `${location.origin}/call/${client.peerId}` : '';
      link.textContent = client ? url : 'Connecting…';
      link.dataset['link'] = url;
      copy.disabled = !client;
      presence.textContent = client ? 'online' : 'connecting';
      presence.dataset['state'] = client ? 'open' : 'connecting';
      updateButtons();
    },
    setConnection(state) {
      presence.textContent = state === 'open' ? 'online' : state;
      presence.dataset['state'] = state;
      connected = state === 'open';
      updateButtons();
    },
    setStatus(text, kind, showRetry = false) {
      status.textContent = text;
      status.dataset['kind'] = kind;
      retry.hidden = !showRetry;
    },
    setCalling(value) {
      calling = value;
      updateButtons();
      if (value) {
        cancel.focus();
      } else {
        (peerInput ?? callButton).focus();
      }
    },
  };
}
