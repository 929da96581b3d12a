/**
 * The chat panel's body: the message log (role=log, polite, newest at the bottom) over the composer. It stays
 * alive while the panel is closed (the draft is kept); the log is redrawn from the SDK's history on open and on a
 * language switch, and grows by one message at a time while open.
 */
import type { ChatMessage } from '@rendezvous/client';
import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { createComposer, type ComposerOptions } from './chat-composer.js';
import { renderDelivery, renderMessage, type MessageViewDeps } from './chat-message-view.js';

export interface ChatPanel {
  el: HTMLElement;
  /** Redraws every message (history on open, new words after a language switch) and scrolls to the newest. */
  render(messages: readonly ChatMessage[]): void;
  /** Adds one message at the bottom; follows it when the log was at the bottom or it is this client's own. */
  append(message: ChatMessage): void;
  /** Refreshes the delivery state of an own message. */
  update(message: ChatMessage): void;
  relabel(): void;
  focus(): void;
}

/** Within this many pixels of the bottom counts as "reading the newest". */
const NEAR_BOTTOM_PX = 48;

export function createChatPanel(deps: MessageViewDeps & ComposerOptions): ChatPanel {
  const log = h('div', {
    class: 'chat-log',
    testid: 'chat-log',
    role: 'log',
    'aria-live': 'polite',
    'aria-relevant': 'additions',
    tabindex: 0,
  });
  const empty = h('p', { class: 'chat-empty muted', testid: 'chat-empty' });
  const composer = createComposer(deps);
  const el = h('div', { class: 'chat-panel', testid: 'chat-panel' }, empty, log, composer.el);
  const byId = new Map<string, HTMLElement>();

  const scrollToEnd = (): void => {
    log.scrollTop = log.scrollHeight;
  };
  const showEmpty = (): void => {
    empty.hidden = byId.size > 0;
  };
  const add = (message: ChatMessage): void => {
    const item = renderMessage(message, deps);
    byId.set(message.id, item);
    log.append(item);
  };
  return {
    el,
    render(messages) {
      byId.clear();
      log.replaceChildren();
      messages.forEach(add);
      showEmpty();
      scrollToEnd();
    },
    append(message) {
      if (byId.has(message.id)) {
        return;
      }
      const follow = log.scrollHeight - log.scrollTop - log.clientHeight < NEAR_BOTTOM_PX || message.from === deps.selfId;
      add(message);
      showEmpty();
      if (follow) {
        scrollToEnd();
      }
    },
    update(message) {
      const item = byId.get(message.id);
      if (item) {
        renderDelivery(item, message);
      }
    },
    relabel() {
      empty.textContent = t('chat.empty');
      log.setAttribute('aria-label', t('chat.log'));
      composer.relabel();
    },
    focus: () => composer.focus(),
  };
}
