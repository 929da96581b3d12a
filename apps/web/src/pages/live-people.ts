/**
 * The people on a live page: who presents, who watches. A presenter can invite a viewer up to present from here
 * (the button says "Invited" until that viewer presents or declines).
 */
import { t } from '../i18n/index.js';
import { h, initials } from '../ui/dom.js';
import type { LiveMember } from './live-roles.js';

export interface LivePeople {
  el: HTMLElement;
  update(members: readonly LiveMember[]): void;
  /** The invitation to `peerId` was answered (declined) or is void: offer the button again. */
  clearInvited(peerId: string): void;
  relabel(): void;
}

/** "Invite to present", or a disabled "Invited" once sent. */
function inviteButton(member: LiveMember, sent: boolean, onClick: () => void): HTMLButtonElement {
  return h('button', {
    class: 'btn btn-small btn-secondary',
    type: 'button',
    testid: 'live-invite',
    disabled: sent,
    'aria-label': sent ? t('live.invited') : t('live.inviteAria', { name: member.name }),
    text: sent ? t('live.invited') : t('live.invite'),
    on: { click: onClick },
  });
}

export function createLivePeople(options: { onInvite(peerId: string, name: string): boolean }): LivePeople {
  const presentingHead = h('h3', { class: 'live-people-head' });
  const watchingHead = h('h3', { class: 'live-people-head' });
  const presentingList = h('ul', { class: 'live-people-list', testid: 'live-presenting-list' });
  const watchingList = h('ul', { class: 'live-people-list', testid: 'live-watching-list' });
  const el = h(
    'div',
    { class: 'live-people', testid: 'live-people' },
    presentingHead,
    presentingList,
    watchingHead,
    watchingList,
  );
  const invited = new Set<string>();
  let members: readonly LiveMember[] = [];

  const row = (member: LiveMember, canInvite: boolean): HTMLElement => {
    const name = member.self ? t('live.you', { name: member.name }) : member.name;
    const item = h(
      'li',
      { class: 'live-person', testid: 'live-person', 'data-peer-id': member.peerId },
      h('span', { class: 'live-person-avatar', 'aria-hidden': 'true', text: initials(member.name) }),
      h('span', { class: 'live-person-name', text: name }),
    );
    if (canInvite && !member.self && !member.presenting) {
      item.append(
        inviteButton(member, invited.has(member.peerId), () => {
          if (options.onInvite(member.peerId, member.name)) {
            invited.add(member.peerId);
            render();
          }
        }),
      );
    }
    return item;
  };

  const fill = (list: HTMLElement, rows: HTMLElement[]): void => {
    list.replaceChildren(...(rows.length > 0 ? rows : [h('li', { class: 'muted live-person-none', text: t('live.nobody') })]));
  };

  function render(): void {
    const canInvite = members.some((member) => member.self && member.presenting);
    for (const member of members) {
      if (member.presenting) {
        invited.delete(member.peerId);
      }
    }
    presentingHead.textContent = t('live.presenting');
    watchingHead.textContent = t('live.watching');
    fill(
      presentingList,
      members.filter((m) => m.presenting).map((m) => row(m, canInvite)),
    );
    fill(
      watchingList,
      members.filter((m) => !m.presenting).map((m) => row(m, canInvite)),
    );
  }

  return {
    el,
    update(next) {
      members = next;
      for (const id of [...invited]) {
        if (!next.some((member) => member.peerId === id)) {
          invited.delete(id);
        }
      }
      render();
    },
    clearInvited(peerId) {
      invited.delete(peerId);
      render();
    },
    relabel: render,
  };
}
