/** The live page's side column: Chat and People, one shown at a time, chosen by two tabs. */
import type { Room } from '@rendezvous/client';
import { createChatPanel } from '../call-features/chat-panel.js';
import { followMemberNames } from '../call-features/chat-members.js';
import '../call-features/chat.css';
import { describeError } from '../errors-text.js';
import { t } from '../i18n/index.js';
import { h, type Disposer } from '../ui/dom.js';
import { toast } from '../ui/toasts.js';

type TabId = 'chat' | 'people';

export interface LiveSide {
  el: HTMLElement;
  show(tab: TabId): void;
  relabel(): void;
}

/** The chat panel of the call view, on this room's chat. */
function liveChat(room: Room, disposer: Disposer): { el: HTMLElement; relabel(): void } {
  const members = followMemberNames(room, disposer);
  const panel = createChatPanel({
    selfId: room.peerId,
    names: members,
    members,
    disposer,
    send: (text, to) => {
      try {
        room.chat.send(text, to === undefined ? {} : { to });
        return true;
      } catch (error) {
        toast(t('chat.sendFailed', { problem: describeError(error).title }), { kind: 'error' });
        return false;
      }
    },
  });
  disposer.add(room.chat.on('message', (message) => panel.append(message)));
  disposer.add(room.chat.on('updated', (message) => panel.update(message)));
  panel.render(room.chat.messages);
  return {
    el: panel.el,
    relabel() {
      panel.relabel();
      panel.render(room.chat.messages);
    },
  };
}

export function createLiveSide(room: Room, people: HTMLElement, disposer: Disposer): LiveSide {
  const chat = liveChat(room, disposer);
  const tabs = {
    chat: h('button', { type: 'button', role: 'tab', class: 'live-tab', testid: 'live-tab-chat' }),
    people: h('button', { type: 'button', role: 'tab', class: 'live-tab', testid: 'live-tab-people' }),
  };
  const bodies = {
    chat: h('div', { class: 'live-side-body', role: 'tabpanel' }, chat.el),
    people: h('div', { class: 'live-side-body', role: 'tabpanel' }, people),
  };
  const tablist = h('div', { class: 'live-tabs', role: 'tablist' }, tabs.chat, tabs.people);
  const el = h('aside', { class: 'live-side', testid: 'live-side' }, tablist, bodies.chat, bodies.people);
  let current: TabId = 'chat';

  const show = (tab: TabId): void => {
    current = tab;
    for (const id of ['chat', 'people'] as const) {
      tabs[id].setAttribute('aria-selected', String(id === tab));
      tabs[id].tabIndex = id === tab ? 0 : -1;
      bodies[id].hidden = id !== tab;
    }
  };
  tabs.chat.addEventListener('click', () => show('chat'));
  tabs.people.addEventListener('click', () => show('people'));
  const relabel = (): void => {
    tabs.chat.textContent = t('live.chat');
    tabs.people.textContent = t('live.people');
    tablist.setAttribute('aria-label', t('live.tabs'));
    chat.relabel();
  };
  relabel();
  show(current);
  return { el, show, relabel };
}
