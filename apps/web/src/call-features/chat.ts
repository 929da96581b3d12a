/**
 * The chat feature of the call view (issue 8): a control-bar button with an unread badge (messages that arrived
 * while the panel was closed) and the chat panel (history on open, live messages, delivery state, composer).
 */
import type { Room } from '@rendezvous/client';
import { describeError, errorCode } from '../errors-text.js';
import { t } from '../i18n/index.js';
import { h, icon } from '../ui/dom.js';
import { icons } from '../ui/icons.js';
import { toast } from '../ui/toasts.js';
import { followMemberNames } from './chat-members.js';
import { createChatPanel } from './chat-panel.js';
import type { CallFeature } from './context.js';
import './chat.css';

const PANEL_ID = 'chat';

/** Sends a message; on failure tells the person why and keeps the draft. */
function sendMessage(room: Room, text: string, to: string | undefined): boolean {
  try {
    room.chat.send(text, to === undefined ? {} : { to });
    return true;
  } catch (error) {
    const problem = errorCode(error) === 'PEER_NOT_IN_ROOM' ? t('chat.recipientLeft') : describeError(error).title;
    toast(t('chat.sendFailed', { problem }), { kind: 'error' });
    return false;
  }
}

/** The control button and its badge; `render` shows the unread count and whether the panel is open. */
function chatButton(onClick: () => void): { el: HTMLButtonElement; render(open: boolean, unread: number): void } {
  const badge = h('span', { class: 'feature-badge', testid: 'chat-unread', 'aria-hidden': 'true', hidden: true });
  const el = h(
    'button',
    { class: 'ctrl ctrl-badged', type: 'button', testid: 'control-chat', 'aria-pressed': 'false', on: { click: onClick } },
    icon(icons.chat),
    badge,
  );
  return {
    el,
    render(open, unread) {
      badge.hidden = unread === 0;
      badge.textContent = unread > 99 ? '99+' : String(unread);
      el.setAttribute('aria-pressed', String(open));
      const action = t(open ? 'chat.close' : 'chat.open');
      const label = unread > 0 ? `${action} (${t('chat.unread', { count: unread })})` : action;
      el.setAttribute('aria-label', label);
      el.title = label;
    },
  };
}

export const chatFeature: CallFeature = (ctx) => {
  const { room, panels, disposer } = ctx;
  const members = followMemberNames(room, disposer);
  let unread = 0;
  const isOpen = (): boolean => panels.isOpen(PANEL_ID);
  const panel = createChatPanel({
    selfId: room.peerId,
    names: members,
    members,
    disposer,
    send: (text, to) => sendMessage(room, text, to),
  });
  const button = chatButton(() => {
    if (isOpen()) {
      panels.close(PANEL_ID);
      return;
    }
    panels.open(PANEL_ID, t('chat.title'), panel.el);
    panel.render(room.chat.messages);
    if (window.matchMedia('(pointer: fine)').matches) {
      panel.focus(); // not on touch screens, where the keyboard would cover the messages
    }
  });
  const render = (): void => button.render(isOpen(), unread);

  disposer.add(
    room.chat.on('message', (message) => {
      if (isOpen()) {
        panel.append(message);
      } else if (message.from !== room.peerId && !message.fromHistory) {
        unread++;
        render();
      }
    }),
  );
  disposer.add(room.chat.on('updated', (message) => panel.update(message)));
  disposer.add(
    panels.onChange(() => {
      if (isOpen()) {
        unread = 0;
      }
      render();
    }),
  );
  ctx.onRelabel(() => {
    render();
    panel.relabel();
    panels.retitle(PANEL_ID, t('chat.title'));
    if (isOpen()) {
      panel.render(room.chat.messages);
    }
  });
  panel.relabel();
  render();
  ctx.addControl(button.el);
};
