/** An accepted 1:1 call: the call view with Hang up, then "Call ended" when either side ends it. */
import type { ActiveCall, LocalMedia } from '@rendezvous/client';
import type { CallEndReason } from '@rendezvous/protocol';
import { expose } from '../debug.js';
import { pageTitle, t } from '../i18n/index.js';
import { Disposer, h } from '../ui/dom.js';
import { messageScreen } from '../ui/message-screen.js';
import { mountCallView } from './call-view.js';

export interface CallSessionOptions {
  call: ActiveCall;
  media: LocalMedia | null;
  /** The other person's name, for the title and the ending message. */
  peerName: string;
  /** "Back" on the ended screen. */
  onDone: () => void;
}

function endedText(reason: CallEndReason | 'self' | 'lost', name: string): string {
  switch (reason) {
    case 'self':
      return t('session.youHungUp');
    case 'hangup':
      return t('session.peerHungUp', { name });
    case 'disconnected':
      return t('session.peerOffline', { name });
    case 'lost':
      return t('session.lost');
    default:
      return t('session.over');
  }
}

/** Mounts the call; returns a cleanup that hangs up if the call is still on. */
export function mountCallSession(root: HTMLElement, options: CallSessionOptions): () => void {
  const { call, media } = options;
  const disposer = new Disposer();
  let over = false;
  let view: (() => void) | null = null;
  const docTitle = (): string => pageTitle(t('session.title', { name: options.peerName }));

  function finish(reason: CallEndReason | 'self' | 'lost'): void {
    if (over) {
      return;
    }
    over = true;
    view?.();
    view = null;
    // After our own hang-up the room is left once the server has the hang-up (see onEnd).
    if (reason !== 'self') {
      void call.room.leave().catch(() => undefined);
    }
    media?.stop();
    expose({ room: null, media: null });
    root.replaceChildren(
      messageScreen({
        title: t('session.ended'),
        testid: 'call-ended',
        extra: h('p', {
          class: 'muted',
          testid: 'call-status',
          'data-reason': reason,
          text: endedText(reason, options.peerName),
        }),
        actions: [{ label: t('common.back'), primary: true, testid: 'call-ended-back', onClick: options.onDone }],
      }),
    );
    document.title = pageTitle(t('session.ended'));
  }

  // Our own hangUp() also reports 'hangup', with our id as `by`.
  disposer.add(call.on('ended', (reason, by) => finish(reason === 'hangup' && by === call.room.peerId ? 'self' : reason)));
  root.replaceChildren();
  view = mountCallView(root, {
    room: call.room,
    media,
    title: t('session.title', { name: options.peerName }),
    mode: 'call',
    docTitle,
    onEnd: () => {
      void call
        .hangUp()
        .catch((error: unknown) => console.warn('hang up failed', error))
        .finally(() => void call.room.leave().catch(() => undefined));
      finish('self');
    },
    // A call that ends takes its room with it: by the time the room reports 'closed' the call has ended, and
    // its 'ended' (with the reason) follows. Only a room lost on its own is 'lost'.
    onLost: () => {
      if (!call.ended) {
        finish('lost');
      }
    },
  });
  document.title = docTitle();
  expose({ room: call.room, media });

  return () => {
    disposer.dispose();
    if (!over) {
      over = true;
      view?.();
      void call.hangUp().catch(() => undefined);
      media?.stop();
      expose({ room: null, media: null });
    }
  };
}
