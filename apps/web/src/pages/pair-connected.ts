/**
 * /pair once connected: the cameras (pair-media.ts), a camera button and Leave, and the call view's chat and files
 * panels (reused from call-features) for the one other person; files dropped anywhere on the page are sent too.
 */
import type { PairingSession } from '@rendezvous/client';
import { createChatPanel } from '../call-features/chat-panel.js';
import type { MemberNames } from '../call-features/chat-members.js';
import { createFilesPanel } from '../call-features/files-panel.js';
import { followFileDrops } from '../call-features/files-drop.js';
import { incomingRow, outgoingRow, type RowDeps } from '../call-features/files-rows.js';
import { describeError } from '../errors-text.js';
import { t } from '../i18n/index.js';
import { h, icon, type Disposer } from '../ui/dom.js';
import { icons } from '../ui/icons.js';
import { toast } from '../ui/toasts.js';
import { pairMedia } from './pair-media.js';
import '../call-features/chat.css';
import '../call-features/files.css';

export interface ConnectedView {
  el: HTMLElement;
  relabel(): void;
}

/**
 * The one other person, named `key`: 'pair.them' where the name stands alone (a chat message's sender),
 * 'pair.themInline' where it sits inside a sentence (a file row's "To …" / "From …").
 */
function pairMembers(session: PairingSession, key: 'pair.them' | 'pair.themInline'): MemberNames {
  return {
    name: (peerId) => (peerId === session.remotePeerId ? t(key) : null),
    present: () => [{ peerId: session.remotePeerId, name: t(key) }],
    onChange: () => () => undefined,
  };
}

function sendChat(session: PairingSession, text: string): boolean {
  try {
    session.chat.send(text);
    return true;
  } catch (error) {
    toast(t('chat.sendFailed', { problem: describeError(error).title }), { kind: 'error' });
    return false;
  }
}

/** The Files card: the file picker, and files dropped anywhere on the page, go to the other side. */
function filesCard(session: PairingSession, disposer: Disposer): { el: HTMLElement; relabel(): void } {
  const members = pairMembers(session, 'pair.themInline');
  const deps: RowDeps = { names: members, disposer, onState: () => undefined };
  const send = (files: File[]): void => {
    for (const file of files) {
      try {
        panel.add(outgoingRow(session.files.send(file, { to: session.remotePeerId }), session.remotePeerId, deps));
      } catch (error) {
        toast(t('files.sendFailed', { problem: describeError(error).title }), { kind: 'error' });
      }
    }
  };
  const panel = createFilesPanel({ members, disposer, onFiles: send });
  const drops = followFileDrops(document.body, disposer, { label: () => t('pair.dropHere'), onDrop: send });
  disposer.add(session.files.on('incoming', (offer) => panel.add(incomingRow(offer, deps))));
  const title = h('h2', { class: 'panel-title' });
  const el = h('section', { class: 'card pair-panel', testid: 'pair-files' }, h('div', { class: 'panel-head' }, title), panel.el);
  const relabel = (): void => {
    title.textContent = t('files.title');
    panel.relabel();
    drops.relabel();
    // The panel's hint speaks of "the call"; here files are dropped on the page.
    const hint = panel.el.querySelector('.files-hint');
    if (hint !== null) {
      hint.textContent = t('pair.dropHint');
    }
  };
  relabel();
  return { el, relabel };
}

function chatCard(session: PairingSession, members: MemberNames, disposer: Disposer): { el: HTMLElement; relabel(): void } {
  const panel = createChatPanel({
    selfId: session.peerId,
    names: members,
    members,
    disposer,
    send: (text) => sendChat(session, text),
  });
  disposer.add(session.chat.on('message', (message) => panel.append(message)));
  disposer.add(session.chat.on('updated', (message) => panel.update(message)));
  const title = h('h2', { class: 'panel-title' });
  const el = h('section', { class: 'card pair-panel', testid: 'pair-chat' }, h('div', { class: 'panel-head' }, title), panel.el);
  const relabel = (): void => {
    title.textContent = t('chat.title');
    panel.relabel();
    panel.render(session.chat.messages);
  };
  relabel();
  return { el, relabel };
}

export function connectedView(session: PairingSession, disposer: Disposer, leave: () => void): ConnectedView {
  const bar = pairMedia(session, disposer);
  const chat = chatCard(session, pairMembers(session, 'pair.them'), disposer);
  const files = filesCard(session, disposer);
  const leaveButton = h('button', { class: 'btn btn-reject', type: 'button', testid: 'pair-leave', on: { click: leave } });
  const controls = h('div', { class: 'pair-row' }, bar.button, leaveButton);
  const el = h(
    'div',
    { class: 'pair-connected', testid: 'pair-connected' },
    bar.stage,
    controls,
    h('div', { class: 'pair-panels' }, chat.el, files.el),
  );
  // Once ended, Start over (beside the status) is the way on; the chat and the files stay to read and save.
  disposer.add(session.on('state', (state) => (controls.hidden = state === 'closed' || state === 'failed')));
  const relabel = (): void => {
    bar.relabel();
    chat.relabel();
    files.relabel();
    leaveButton.replaceChildren(icon(icons.leave, 'icon icon-small'), t('pair.leave'));
  };
  relabel();
  return { el, relabel };
}
