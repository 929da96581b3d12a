/**
 * /pair's cameras: the other side's video (when it shares) with this side's over it, and the button that opens
 * this side's camera and microphone and shares them, or stops them. When the pairing ends (Leave, or the other
 * side gone) the camera stops and the videos go.
 */
import { LocalMedia, type PairingSession } from '@rendezvous/client';
import { describeError } from '../errors-text.js';
import { t } from '../i18n/index.js';
import { h, icon, type Disposer } from '../ui/dom.js';
import { icons } from '../ui/icons.js';
import { toast } from '../ui/toasts.js';

export interface PairMedia {
  stage: HTMLElement;
  button: HTMLButtonElement;
  relabel(): void;
}

const ENDED = new Set(['failed', 'closed']);

function videoStage(): { stage: HTMLElement; remote: HTMLVideoElement; local: HTMLVideoElement } {
  const video = (testid: string, self: boolean): HTMLVideoElement =>
    h('video', { class: self ? 'pair-video pair-video-self' : 'pair-video', testid, autoplay: true, playsinline: true });
  const remote = video('pair-remote-video', false);
  const local = video('pair-local-video', true);
  local.muted = true;
  return { stage: h('div', { class: 'pair-stage', hidden: true }, remote, local), remote, local };
}

export function pairMedia(session: PairingSession, disposer: Disposer): PairMedia {
  const { stage, remote, local } = videoStage();
  const button = h('button', { class: 'btn btn-secondary', type: 'button', testid: 'pair-camera', 'aria-pressed': 'false' });
  let media: LocalMedia | null = null;
  const ended = (): boolean => ENDED.has(session.state);
  const show = (): void => {
    const stream = ended() ? null : session.remoteStream;
    const live = stream?.getVideoTracks().some((track) => !track.muted && track.readyState === 'live') ?? false;
    remote.hidden = !live;
    local.hidden = media === null;
    stage.hidden = !live && media === null;
    // Only this side's camera: it is the picture, not a corner inset over nothing.
    stage.classList.toggle('pair-stage-solo', !live);
    const source = live ? stream : null;
    if (remote.srcObject !== source) {
      remote.srcObject = source; // (assigning restarts loading: only on a change)
    }
    button.disabled = ended();
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
  const use = (next: LocalMedia | null): void => {
    const previous = media;
    media = next;
    session.setMedia(next);
    previous?.stop();
    local.srcObject =
      next === null ? null : new MediaStream([next.videoTrack, next.audioTrack].filter((track) => track !== null));
    relabel();
    show();
  };
  const open = (): void => {
    button.disabled = true;
    LocalMedia.open({ audio: true, video: true }).then(
      (opened) => (ended() ? opened.stop() : use(opened)),
      (error: unknown) => {
        show();
        toast(describeError(error).title, { kind: 'error' });
      },
    );
  };
  button.addEventListener('click', () => (media === null ? open() : use(null)));
  disposer.add(session.on('remote-media', show));
  disposer.add(session.on('state', () => (ended() && media !== null ? use(null) : show())));
  disposer.add(() => media?.stop());
  relabel();
  return { stage, button, relabel };
}
