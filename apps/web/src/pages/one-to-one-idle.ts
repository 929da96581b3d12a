/** The 1:1 page between calls: your name, your call link, and the field or button to call someone. */
import type { CallClient } from '@rendezvous/client';
import { t, type PlainKey } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { callForm, linkCard, nameField } from './one-to-one-parts.js';

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

const PRESENCE: Record<string, PlainKey> = {
  connecting: 'oneone.presence.connecting',
  open: 'oneone.presence.open',
  reconnecting: 'oneone.presence.reconnecting',
  closed: 'oneone.presence.closed',
};

export function oneToOneIdle(root: HTMLElement, options: IdleOptions): IdleView {
  const { target } = options;
  let connected = false;
  let calling = false;
  const name = nameField(options.displayName, (value) => options.onRename(value));
  const card = linkCard((link) => options.onCopyLink(link));
  const form = callForm(target, options);

  root.append(
    h(
      'main',
      { class: 'page oneone', testid: 'oneone' },
      h(
        'header',
        { class: 'oneone-header' },
        h(
          'a',
          { href: '/', class: 'brand', 'aria-label': t('common.brandHome') },
          h('span', { class: 'brand-mark', 'aria-hidden': 'true' }),
          'Rendezvous',
        ),
        h('h1', { text: target ? t('oneone.headingCall') : t('oneone.heading') }),
        name.el,
      ),
      target ? form.el : card.el,
      target ? card.el : form.el,
    ),
  );

  function updateButtons(): void {
    form.callButton.disabled = !connected || calling;
    form.cancel.hidden = !calling;
    if (form.peerInput) {
      form.peerInput.disabled = calling;
    }
    name.input.disabled = calling;
  }

  function showPresence(state: string): void {
    const key = PRESENCE[state];
    card.presence.textContent = key ? t(key) : state;
    card.presence.dataset['state'] = state;
  }

  return {
    setClient(client) {
      connected = client !== null;
      const url = client ? `${location.origin}/call/${client.peerId}` : '';
      card.link.textContent = client ? url : t('common.connecting');
      card.link.dataset['link'] = url;
      card.copy.disabled = !client;
      showPresence(client ? 'open' : 'connecting');
      updateButtons();
    },
    setConnection(state) {
      showPresence(state);
      connected = state === 'open';
      updateButtons();
    },
    setStatus(text, kind, showRetry = false) {
      form.status.textContent = text;
      form.status.dataset['kind'] = kind;
      form.retry.hidden = !showRetry;
    },
    setCalling(value) {
      calling = value;
      updateButtons();
      (value ? form.cancel : (form.peerInput ?? form.callButton)).focus();
    },
  };
}
