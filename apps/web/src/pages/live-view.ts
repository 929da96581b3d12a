/**
 * The live view: a header (room, "Live", how many watch), the stage, the side column (chat, people), the
 * presenter's upload health and the control bar. Everyone joins watching; "Go live" or an accepted invitation
 * turns the camera and microphone on.
 */
import type { LocalMedia, Room } from '@rendezvous/client';
import { describeError } from '../errors-text.js';
import { onLanguageChange, t } from '../i18n/index.js';
import { Disposer, h } from '../ui/dom.js';
import { createLanguagePicker } from '../ui/language-picker.js';
import { toast } from '../ui/toasts.js';
import { showGoLive, startPresenting, stopPresenting } from './live-golive.js';
import { createHealthBar } from './live-health.js';
import { mayInvite, parseLiveSignal, sendLiveSignal, showInvitePrompt } from './live-invite.js';
import { createLiveControls } from './live-controls.js';
import { createLivePeople, type LivePeople } from './live-people.js';
import { liveMembers, viewerCount, type LiveMember } from './live-roles.js';
import { createLiveSide } from './live-side.js';
import { createLiveStage } from './live-stage.js';
import './live.css';

export interface LiveViewOptions {
  room: Room;
  media: LocalMedia;
  /** Open the "Go live" dialog at once (the person chose Go live before joining). */
  goLive: boolean;
  onLeave(): void;
  onLost(): void;
}

function liveHeader(title: string): { el: HTMLElement; render(members: readonly LiveMember[]): void; destroy(): void } {
  const picker = createLanguagePicker('live-language');
  const badge = h('span', { class: 'live-badge', testid: 'live-badge' });
  const count = h('span', { class: 'live-count', testid: 'live-viewer-count', 'aria-live': 'polite' });
  const el = h(
    'header',
    { class: 'call-header live-header' },
    h('div', { class: 'brand brand-small' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' })),
    h('h1', { class: 'call-title', title, text: title }),
    badge,
    count,
    picker.el,
  );
  return {
    el,
    render(members) {
      const onAir = members.some((member) => member.presenting);
      badge.dataset['live'] = String(onAir);
      badge.textContent = onAir ? t('live.badge') : t('live.offAir');
      const viewers = viewerCount(members);
      count.dataset['count'] = String(viewers);
      count.textContent = t('live.viewers', { count: viewers });
    },
    destroy: () => picker.destroy(),
  };
}

/** Invitations in both directions: a prompt for one received, a toast for one declined. */
function followInvitations(room: Room, media: LocalMedia, disposer: Disposer, onDeclined: (peerId: string) => void): void {
  let prompt: { close(): void } | null = null;
  disposer.add(() => prompt?.close());
  disposer.add(
    room.on('message', (from, data) => {
      const signal = parseLiveSignal(data);
      const name = room.peers.get(from)?.displayName ?? '';
      if (signal === 'decline') {
        onDeclined(from);
        toast(t('live.declined', { name }));
      } else if (
        signal === 'invite' &&
        prompt === null &&
        media.state.audioMuted &&
        media.state.videoMuted &&
        mayInvite(room, from)
      ) {
        prompt = showInvitePrompt({
          fromName: name,
          onAccept: () => {
            prompt = null;
            void startPresenting(media, { camera: true, mic: true });
          },
          onDecline: () => {
            prompt = null;
            sendLiveSignal(room, from, 'decline');
          },
        });
      }
    }),
  );
}

/** The people list, whose invite buttons send invitations. */
function invitingPeople(room: Room): LivePeople {
  return createLivePeople({
    onInvite: (peerId, name) => {
      try {
        sendLiveSignal(room, peerId, 'invite');
        toast(t('live.inviteSent', { name }));
        return true;
      } catch (error) {
        toast(t('live.inviteFailed', { problem: describeError(error).title }), { kind: 'error' });
        return false;
      }
    },
  });
}

/** Members coming, going, changing media; this client's own media: `refresh` redraws, `restream` re-attaches video. */
function followChanges(
  room: Room,
  media: LocalMedia,
  disposer: Disposer,
  refresh: () => void,
  restream: (peerId: string) => void,
): void {
  for (const event of ['peer-joined', 'peer-left', 'peer-updated', 'peer-state', 'screen'] as const) {
    disposer.add(room.on(event, refresh));
  }
  disposer.add(room.on('track', (peer) => restream(peer.peerId)));
  disposer.add(media.on('state', refresh));
  disposer.add(media.on('screen', refresh));
  disposer.add(
    media.on('send-track', (kind) => {
      if (kind === 'video') {
        restream(room.peerId);
      }
    }),
  );
  disposer.add(media.on('error', (error) => toast(describeError(error).title, { kind: 'error' })));
}

export function mountLiveView(root: HTMLElement, options: LiveViewOptions): () => void {
  const { room, media } = options;
  const disposer = new Disposer();
  let leaving = false;
  let dialog: { close(): void } | null = null;
  const header = liveHeader(room.name);
  const stage = createLiveStage(room, media);
  const people = invitingPeople(room);
  const side = createLiveSide(room, people.el, disposer);
  const health = createHealthBar(room);
  const goLive = (): void => {
    dialog ??= showGoLive({ onStart: (choice) => startPresenting(media, choice), onClose: () => (dialog = null) });
  };
  const controls = createLiveControls({
    media,
    onGoLive: goLive,
    onStop: () => void stopPresenting(media),
    onLeave: () => {
      leaving = true;
      options.onLeave();
    },
  });
  const view = h(
    'main',
    { class: 'call live', testid: 'live-view', 'data-room': room.name },
    header.el,
    h('div', { class: 'live-body' }, h('div', { class: 'live-main' }, stage.el, health.el), side.el),
    controls.el,
  );
  root.append(view);

  const refresh = (): void => {
    const members = liveMembers(room);
    const presenting = members[0]?.presenting ?? false;
    view.dataset['role'] = presenting ? 'presenter' : 'viewer';
    header.render(members);
    stage.update(members);
    people.update(members);
    controls.update(presenting);
    health.setActive(presenting);
  };
  followChanges(room, media, disposer, refresh, (peerId) => stage.refreshStream(peerId));
  followInvitations(room, media, disposer, (peerId) => people.clearInvited(peerId));
  disposer.add(
    room.on('state', (state) => {
      view.dataset['state'] = state;
      if (state === 'closed' && !leaving) {
        options.onLost();
      }
    }),
  );
  disposer.add(
    onLanguageChange(() => {
      side.relabel();
      stage.relabel();
      health.relabel();
      refresh();
    }),
  );
  refresh();
  if (options.goLive) {
    goLive();
  }
  disposer.add(() => {
    dialog?.close();
    health.destroy();
    stage.destroy();
    header.destroy();
    view.remove();
  });
  return () => disposer.dispose();
}
