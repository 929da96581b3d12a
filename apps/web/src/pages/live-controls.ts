/**
 * The live page's control bar. Watching: "Go live" and leave. Presenting: microphone, camera, screen, "Stop
 * presenting" and leave. Turning the microphone and the camera both off while not sharing also means watching again.
 */
import type { LocalMedia } from '@rendezvous/client';
import { describeError } from '../errors-text.js';
import { t } from '../i18n/index.js';
import { h, icon } from '../ui/dom.js';
import { icons } from '../ui/icons.js';
import { toast } from '../ui/toasts.js';

export interface LiveControls {
  el: HTMLElement;
  /** Re-reads the media state and who this client is (presenter or viewer); re-applies every word. */
  update(presenting: boolean): void;
}

export interface LiveControlsOptions {
  media: LocalMedia;
  onGoLive(): void;
  onStop(): void;
  onLeave(): void;
}

function ctrl(testid: string, iconMarkup: string, onClick: () => void): HTMLButtonElement {
  return h('button', { class: 'ctrl', type: 'button', testid, on: { click: onClick } }, icon(iconMarkup));
}

function label(button: HTMLElement, text: string): void {
  button.setAttribute('aria-label', text);
  button.title = text;
}

/** A toggle's look: pressed when off (as in the call view), crossed icon, "Turn off …" / "Turn on …". */
function renderToggle(
  button: HTMLButtonElement,
  on: boolean,
  icons2: { on: string; off: string },
  words: [string, string],
): void {
  button.replaceChildren(icon(on ? icons2.on : icons2.off));
  button.classList.toggle('ctrl-off', !on);
  button.setAttribute('aria-pressed', String(!on));
  label(button, on ? words[0] : words[1]);
}

export function createLiveControls(options: LiveControlsOptions): LiveControls {
  const { media } = options;
  const run = (work: Promise<unknown>): void => {
    work.catch((error: unknown) => toast(describeError(error).title, { kind: 'error' }));
  };
  const goLive = h('button', { class: 'btn btn-primary live-golive-button', type: 'button', testid: 'live-go-live' });
  goLive.addEventListener('click', () => options.onGoLive());
  const mic = ctrl('live-mic', icons.mic, () => run(media.setAudioMuted(!media.state.audioMuted)));
  const camera = ctrl('live-camera', icons.camera, () => run(media.setVideoMuted(!media.state.videoMuted)));
  const screen = ctrl('live-screen', icons.screen, () => {
    if (media.state.screenSharing) {
      media.stopScreenShare();
    } else {
      run(media.startScreenShare());
    }
  });
  const stop = h('button', { class: 'btn btn-secondary live-stop', type: 'button', testid: 'live-stop' });
  stop.addEventListener('click', () => options.onStop());
  const leave = ctrl('live-leave', icons.leave, () => options.onLeave());
  leave.classList.add('ctrl-danger');
  const presenterOnly = [mic, camera, screen, stop];
  const el = h('div', { class: 'controls live-controls', role: 'toolbar' }, goLive, mic, camera, screen, stop, leave);
  const canShare = typeof navigator.mediaDevices?.getDisplayMedia === 'function';

  return {
    el,
    update(presenting) {
      const state = media.state;
      goLive.hidden = presenting;
      goLive.textContent = t('live.goLive');
      for (const button of presenterOnly) {
        button.hidden = !presenting;
      }
      screen.hidden = !presenting || !canShare;
      renderToggle(mic, !state.audioMuted, { on: icons.mic, off: icons.micOff }, [t('media.turnMicOff'), t('media.turnMicOn')]);
      renderToggle(camera, !state.videoMuted, { on: icons.camera, off: icons.cameraOff }, [
        t('media.turnCameraOff'),
        t('media.turnCameraOn'),
      ]);
      screen.setAttribute('aria-pressed', String(state.screenSharing));
      screen.classList.toggle('live-on', state.screenSharing);
      label(screen, state.screenSharing ? t('live.stopScreen') : t('live.shareScreen'));
      stop.textContent = t('live.stop');
      label(leave, t('live.leave'));
      el.setAttribute('aria-label', t('controls.toolbar'));
    },
  };
}
