/**
 * The record button: when idle it opens a small menu (my camera and microphone, each peer, the whole call);
 * while recording it stops the recording (the file then downloads).
 */
import { Recorder, type Room } from '@rendezvous/client';
import { t } from '../i18n/index.js';
import { h, icon } from '../ui/dom.js';
import { icons } from '../ui/icons.js';
import type { CallFeatureContext } from './context.js';
import type { RecordingChoice, RecordingSession } from './recording-session.js';

export interface RecordMenu {
  el: HTMLElement;
  /** Re-reads the session's phase and re-applies the words. */
  update(): void;
}

/** The menu's entries now: own media (with media), each peer by name, the whole call. */
function choices(room: Room): { choice: RecordingChoice; label: string; testid: string }[] {
  const peers = [...room.peers.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
  return [
    ...(room.media === null
      ? []
      : [{ choice: { kind: 'self' } as const, label: t('recording.self'), testid: 'record-choice-self' }]),
    ...peers.map((peer) => ({
      choice: { kind: 'peer', peerId: peer.peerId } as const,
      label: peer.displayName,
      testid: 'record-choice-peer',
    })),
    { choice: { kind: 'call' } as const, label: t('recording.call'), testid: 'record-choice-call' },
  ];
}

function labelButton(button: HTMLButtonElement, session: RecordingSession, supported: boolean): void {
  const phase = session.phase;
  button.classList.toggle('ctrl-recording', phase !== 'idle');
  button.setAttribute('aria-pressed', String(phase !== 'idle'));
  button.disabled = !supported || phase === 'stopping';
  const label = phase === 'idle' ? t('recording.record') : t('recording.stop');
  button.setAttribute('aria-label', label);
  button.title = !supported ? t('recording.unavailable') : phase === 'stopping' ? t('recording.stopping') : label;
  if (phase === 'idle') {
    button.setAttribute('aria-haspopup', 'menu');
  } else {
    button.removeAttribute('aria-haspopup');
  }
}

export function createRecordMenu(ctx: CallFeatureContext, session: RecordingSession): RecordMenu {
  const supported = Recorder.format() !== null;
  const menu = h('div', { id: 'record-menu', class: 'record-menu card', role: 'menu', hidden: true, testid: 'record-menu' });
  const button = h(
    'button',
    { class: 'ctrl', type: 'button', testid: 'control-record', 'aria-expanded': 'false', 'aria-controls': 'record-menu' },
    icon(icons.record),
  );

  const pick = (choice: RecordingChoice): void => {
    setOpen(false);
    session.start(choice);
  };
  const setOpen = (open: boolean): void => {
    menu.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (!open) {
      return;
    }
    menu.replaceChildren(
      ...choices(ctx.room).map(({ choice, label, testid }) =>
        h('button', {
          class: 'record-choice',
          type: 'button',
          role: 'menuitem',
          testid,
          text: label,
          'data-peer-id': choice.kind === 'peer' ? choice.peerId : undefined,
          on: { click: () => pick(choice) },
        }),
      ),
    );
    menu.querySelector('button')?.focus();
  };

  button.addEventListener('click', () => {
    if (session.phase === 'recording') {
      void session.stop();
    } else if (session.phase === 'idle') {
      setOpen(menu.hidden);
    }
  });
  ctx.disposer.listen(document, 'keydown', (event) => {
    if (event.key === 'Escape' && !menu.hidden) {
      setOpen(false);
      button.focus();
    }
  });
  ctx.disposer.listen(document, 'pointerdown', (event) => {
    const target = event.target as Node | null;
    if (!menu.hidden && target && !menu.contains(target) && !button.contains(target)) {
      setOpen(false);
    }
  });

  const update = (): void => {
    labelButton(button, session, supported);
    menu.setAttribute('aria-label', t('recording.menu'));
    if (session.phase !== 'idle' || !menu.hidden) {
      setOpen(false);
    }
  };
  update();
  return { el: h('div', { class: 'ctrl-wrap' }, button, menu), update };
}
