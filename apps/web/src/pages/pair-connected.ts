/**
 * /pair once connected: the other side's camera (when shared) over this side's, a camera button and Leave, and the
 * call view's chat and files panels (reused from call-features) for the one other person.
 */
import { LocalMedia, type PairingSession } from '@rendezvous/client';
import { createChatPanel } from '../call-features/chat-panel.js';
import type { MemberNames } from '../call-features/chat-members.js';
import { createFilesPanel } from '../call-features/files-panel.js';
import { incomingRow, outgoingRow, type RowDeps } from '../call-features/files-rows.js';
import { describeError } from '../errors-text.js';
import { t } from '../i18n/index.js';
import { h, icon, type Disposer } from '../ui/dom.js';
import { icons } from '../ui/icons.js';
import { toast } from '../ui/toasts.js';
import '../call-features/chat.css';
import '../call-features/files.css';

export interface ConnectedView {
  el: HTMLElement;
  relabel(): void;
}

function pairMembers(session: PairingSession): MemberNames {
  return {
    name: (peerId) => (peerId === session.remotePeerId ? t('pair.them') : null),
    present: () => [{ peerId: session.remotePeerId, name: t('pair.them') }],
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

function filesCard(session: PairingSession, members: MemberNames, disposer: Disposer): { el: HTMLElement; relabel(): void } {
  const deps: RowDeps = { names: members, disposer, onState: () => undefined };
  const panel = createFilesPanel({
    members,
    disposer,
    onFiles: (files) => {
      for (const file of files) {
        try {
          panel.add(outgoingRow(session.files.send(file, { to: session.remotePeerId }), session.remotePeerId, deps));
        } catch (error) {
          toast(t('files.sendFailed', { problem: describeError(error).title }), { kind: 'error' });
        }
      }
    },
  });
  disposer.add(session.files.on('incoming', (offer) => panel.add(incomingRow(offer, deps))));
  const title = h('h2', { class: 'panel-title' });
  const el = h('section', { class: 'card pair-panel', testid: 'pair-files' }, h('div', { class: 'panel-head' }, title), panel.el);
  const relabel = (): void => {
    title.textContent = t('files.title');
    panel.relabel();
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

/** The videos and the camera button: the camera opens on the first press and is shared with the other side. */
function mediaBar(
  session: PairingSession,
  disposer: Disposer,
): { stage: HTMLElement; button: HTMLButtonElement; relabel(): void } {
  const remote = h('video', { class: 'pair-video', testid: 'pair-remote-video', autoplay: true, playsinline: true });
  const local = h('video', {
    class: 'pair-video pair-video-self',
    testid: 'pair-local-video',
    autoplay: true,
    playsinline: true,
  });
  local.muted = true;
  const stage = h('div', { class: 'pair-stage', hidden: true }, remote, local);
  const button = h('button', { class: 'btn btn-secondary', type: 'button', testid: 'pair-camera', 'aria-pressed': 'false' });
  let media: LocalMedia | null = null;
  const showStage = (): void => {
    const live = session.remoteStream?.getVideoTracks().some((track) => !track.muted && track.readyState === 'live') ?? false;
    remote.hidden = !live;
    local.hidden = media === null;
    stage.hidden = !live && media === null;
    if (live && remote.srcObject !== session.remoteStream) {
      remote.srcObject = session.remoteStream;
    }
  };
  const relabel = (): void => {
    button.setAttribute('aria-pressed', String(media !== null));
    button.replaceChildren(
      icon(media === null ? icons.camera : icons.cameraOff, 'icon icon-small'),
      t(media === null ? 'pair.cameraOn' : 'pair.cameraOff'),
    );
    remote.setAttribute('aria-label', t('pair.remoteVideo'));
    local.setAttribute('aria-label', t('pair.localVideo'));
  };
  button.addEventListener('click', () => {
    if (media !== null) {
      session.setMedia(null);
      media.stop();
      media = null;
      local.srcObject = null;
      relabel();
      showStage();
      return;
    }
    button.disabled = true;
    LocalMedia.open({ audio: true, video: true }).then(
      (opened) => {
        media = opened;
        local.srcObject = new MediaStream([opened.videoTrack, opened.audioTrack].filter((track) => track !== null));
        session.setMedia(opened);
        button.disabled = false;
        relabel();
        showStage();
      },
      (error: unknown) => {
        button.disabled = false;
        toast(describeError(error).title, { kind: 'error' });
      },
    );
  });
  disposer.add(session.on('remote-media', showStage));
  disposer.add(() => media?.stop());
  relabel();
  return { stage, button, relabel };
}

export function connectedView(session: PairingSession, disposer: Disposer, leave: () => void): ConnectedView {
  const members = pairMembers(session);
  const bar = mediaBar(session, disposer);
  const chat = chatCard(session, members, disposer);
  const files = filesCard(session, members, disposer);
  const leaveButton = h('button', { class: 'btn btn-reject', type: 'button', testid: 'pair-leave', on: { click: leave } });
  const el = h(
    'div',
    { class: 'pair-connected', testid: 'pair-connected' },
    bar.stage,
    h('div', { class: 'pair-row' }, bar.button, leaveButton),
    h('div', { class: 'pair-panels' }, chat.el, files.el),
  );
  const relabel = (): void => {
    bar.relabel();
    chat.relabel();
    files.relabel();
    leaveButton.replaceChildren(icon(icons.leave, 'icon icon-small'), t('pair.leave'));
  };
  relabel();
  return { el, relabel };
}
