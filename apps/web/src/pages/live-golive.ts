/**
 * Going live and stopping: the "Go live" dialog (camera and microphone, each on by default), and what each does to
 * the room's LocalMedia. Unmuting opens a device when none is open; a viewer's media starts with none.
 */
import type { LocalMedia } from '@rendezvous/client';
import { describeError } from '../errors-text.js';
import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { toast } from '../ui/toasts.js';

export interface GoLiveChoice {
  camera: boolean;
  mic: boolean;
}

/** Opens what was chosen; on a failure says why (what did open stays on). */
export async function startPresenting(media: LocalMedia, choice: GoLiveChoice): Promise<boolean> {
  try {
    if (choice.camera) {
      await media.setVideoMuted(false);
    }
    if (choice.mic) {
      await media.setAudioMuted(false);
    }
    return true;
  } catch (error) {
    toast(t('live.startFailed', { problem: describeError(error).title }), { kind: 'error' });
    return false;
  }
}

/** Back to watching: the screen, the camera and the microphone stop being sent, and the devices close. */
export async function stopPresenting(media: LocalMedia): Promise<void> {
  media.stopScreenShare();
  await media.setVideoMuted(true).catch(() => undefined);
  await media.setAudioMuted(true, { release: true }).catch(() => undefined);
}

function choiceBox(testid: string, label: string): { el: HTMLElement; input: HTMLInputElement } {
  const input = h('input', { type: 'checkbox', testid, checked: true });
  return { el: h('label', { class: 'live-choice' }, input, h('span', { text: label })), input };
}

/** The dialog; `onStart` resolves once the devices opened (or failed), then the dialog closes. */
export function showGoLive(options: { onStart(choice: GoLiveChoice): Promise<unknown>; onClose(): void }): { close(): void } {
  const camera = choiceBox('live-golive-camera', t('live.camera'));
  const mic = choiceBox('live-golive-mic', t('live.mic'));
  const cancel = h('button', {
    class: 'btn btn-secondary',
    type: 'button',
    testid: 'live-golive-cancel',
    text: t('live.cancel'),
  });
  const start = h('button', { class: 'btn btn-primary', type: 'button', testid: 'live-golive-start', text: t('live.start') });
  const el = h(
    'div',
    { class: 'overlay', testid: 'live-golive', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'live-golive-title' },
    h(
      'div',
      { class: 'card live-dialog' },
      h('h2', { id: 'live-golive-title', text: t('live.goLiveTitle') }),
      h('p', { class: 'muted', text: t('live.goLiveText') }),
      h('div', { class: 'live-choices' }, camera.el, mic.el),
      h('div', { class: 'actions' }, cancel, start),
    ),
  );
  let closed = false;
  const close = (): void => {
    if (!closed) {
      closed = true;
      el.remove();
      options.onClose();
    }
  };
  const update = (): void => {
    start.disabled = !camera.input.checked && !mic.input.checked;
  };
  camera.input.addEventListener('change', update);
  mic.input.addEventListener('change', update);
  cancel.addEventListener('click', close);
  el.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      close();
    }
  });
  start.addEventListener('click', () => {
    start.disabled = true;
    cancel.disabled = true;
    start.textContent = t('live.starting');
    void options.onStart({ camera: camera.input.checked, mic: mic.input.checked }).finally(close);
  });
  document.body.append(el);
  start.focus();
  return { close };
}
