/**
 * One chat message as DOM: who sent it ("You" for this client's own), when (the sender's clock, in the current
 * language), whether it was private, its text (links clickable, never HTML), and for own messages the delivery
 * state, which `renderDelivery` refreshes on the SDK's `updated` events.
 */
import type { ChatMessage } from '@rendezvous/client';
import { formatTime, t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { linkifiedNodes } from './chat-links.js';
import type { MemberNames } from './chat-members.js';

export interface MessageViewDeps {
  selfId: string;
  names: MemberNames;
}

const nameOf = (peerId: string, deps: MessageViewDeps): string =>
  peerId === deps.selfId ? t('chat.you') : (deps.names.name(peerId) ?? t('chat.someone'));

/** "to Bob" on a private message this client sent, "only to you" on one it received; null for room-wide ones. */
function privateMarker(message: ChatMessage, deps: MessageViewDeps): string | null {
  if (message.to === undefined) {
    return null;
  }
  return message.from === deps.selfId ? t('chat.toName', { name: nameOf(message.to, deps) }) : t('chat.onlyYou');
}

/** The delivery state of an own message: sent, delivered to some of several, or delivered. */
export function deliveryOf(message: ChatMessage): { state: 'sent' | 'partial' | 'delivered'; text: string } {
  if (message.delivered) {
    return { state: 'delivered', text: t('chat.delivered') };
  }
  const all = message.recipients.length;
  const done = message.deliveredTo.filter((peerId) => message.recipients.includes(peerId)).length;
  if (all > 1 && done > 0) {
    return { state: 'partial', text: t('chat.deliveredSome', { done, all }) };
  }
  return { state: 'sent', text: t('chat.sending') };
}

export function renderDelivery(el: HTMLElement, message: ChatMessage): void {
  const status = el.querySelector<HTMLElement>('.chat-status');
  if (!status) {
    return;
  }
  const delivery = deliveryOf(message);
  status.dataset['state'] = delivery.state;
  status.textContent = delivery.text;
}

export function renderMessage(message: ChatMessage, deps: MessageViewDeps): HTMLElement {
  const own = message.from === deps.selfId;
  const marker = privateMarker(message, deps);
  const sentAt = new Date(message.sentAt);
  const el = h(
    'div',
    {
      class: `chat-msg${own ? ' chat-own' : ''}${marker === null ? '' : ' chat-private'}`,
      testid: 'chat-message',
      'data-id': message.id,
      'data-own': own ? 'true' : undefined,
    },
    h(
      'div',
      { class: 'chat-meta' },
      h('span', { class: 'chat-from', testid: 'chat-from', text: nameOf(message.from, deps) }),
      marker === null ? null : h('span', { class: 'chat-private-tag', testid: 'chat-private', text: marker }),
      h('time', { class: 'chat-time', datetime: sentAt.toISOString(), text: formatTime(sentAt) }),
    ),
    h('div', { class: 'chat-text', testid: 'chat-text' }, ...linkifiedNodes(message.text)),
    own ? h('div', { class: 'chat-status', testid: 'chat-status' }) : null,
  );
  renderDelivery(el, message);
  return el;
}
