/**
 * Inviting a viewer up to present: the presenter sends `{ live: 'invite' }` to that viewer alone (room.send with
 * `to`); the viewer is asked, and either starts presenting or answers `{ live: 'decline' }`. An invitation counts
 * only when it comes from someone presenting at that moment.
 */
import type { DataMessage, Room } from '@rendezvous/client';
import { t } from '../i18n/index.js';
import { h, initials } from '../ui/dom.js';
import { isPresenting } from './live-roles.js';

export type LiveSignal = 'invite' | 'decline';

export function sendLiveSignal(room: Room, to: string, signal: LiveSignal): void {
  room.send({ live: signal }, { to });
}

/** The live signal a data message carries, or null for anything else. */
export function parseLiveSignal(data: DataMessage): LiveSignal | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data) || data instanceof ArrayBuffer) {
    return null;
  }
  const signal = (data as Record<string, unknown>)['live'];
  return signal === 'invite' || signal === 'decline' ? signal : null;
}

/** True when `from` presents now (an invitation from anyone else is ignored). */
export function mayInvite(room: Room, from: string): boolean {
  const peer = room.peers.get(from);
  return peer !== undefined && isPresenting(peer.media);
}

export interface InvitePrompt {
  el: HTMLElement;
  close(): void;
}

/** "Ada invites you to present", with Present and Not now; Escape declines. */
export function showInvitePrompt(options: { fromName: string; onAccept(): void; onDecline(): void }): InvitePrompt {
  const previousFocus = document.activeElement as HTMLElement | null;
  const decline = h('button', {
    class: 'btn btn-secondary',
    type: 'button',
    testid: 'live-invite-decline',
    text: t('live.decline'),
  });
  const accept = h('button', { class: 'btn btn-primary', type: 'button', testid: 'live-invite-accept', text: t('live.accept') });
  const el = h(
    'div',
    {
      class: 'overlay',
      testid: 'live-invite-prompt',
      role: 'alertdialog',
      'aria-modal': 'true',
      'aria-labelledby': 'live-invite-title',
      'aria-describedby': 'live-invite-text',
    },
    h(
      'div',
      { class: 'card live-dialog' },
      h('div', { class: 'live-dialog-avatar', 'aria-hidden': 'true', text: initials(options.fromName) }),
      h('h2', { id: 'live-invite-title', text: t('live.inviteTitle', { name: options.fromName }) }),
      h('p', { id: 'live-invite-text', class: 'muted', text: t('live.inviteText') }),
      h('div', { class: 'actions' }, decline, accept),
    ),
  );
  let closed = false;
  const close = (): void => {
    if (closed) {
      return;
    }
    closed = true;
    el.remove();
    previousFocus?.focus?.();
  };
  accept.addEventListener('click', () => {
    close();
    options.onAccept();
  });
  decline.addEventListener('click', () => {
    close();
    options.onDecline();
  });
  el.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      decline.click();
    }
  });
  document.body.append(el);
  accept.focus();
  return { el, close };
}
