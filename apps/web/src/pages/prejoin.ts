/**
 * Pre-join: camera preview, device pickers, display name, a live microphone meter and mute toggles,
 * then "Join". getUserMedia problems are explained by code; joining without devices is allowed.
 */
import type { LocalMedia } from '@rendezvous/client';
import { expose } from '../debug.js';
import { displayNameProblem, MAX_DISPLAY_NAME_LENGTH } from '../display-name.js';
import { describeError, errorCode } from '../errors-text.js';
import { openLocalMedia, setMuted } from '../media.js';
import { randomGuestName } from '../room-names.js';
import { settings } from '../settings.js';
import { createDevicePickers } from '../ui/device-pickers.js';
import { append, Disposer, h, icon, initials } from '../ui/dom.js';
import { icons } from '../ui/icons.js';
import { createLevelMeter } from '../ui/level-meter.js';
import { toast } from '../ui/toasts.js';

export interface PrejoinOptions {
  roomName: string;
  /** Called once; from then on the caller owns `media` (and must stop it). */
  onJoin(media: LocalMedia | null, displayName: string): void;
}

const lower = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

export function mountPrejoin(root: HTMLElement, options: PrejoinOptions): () => void {
  const disposer = new Disposer();
  let media: LocalMedia | null = null;
  let handedOver = false;
  let opening = false;
  let unsubscribeMedia: (() => void) | null = null;

  const video = h('video', { class: 'preview-video mirrored', autoplay: true, playsinline: true });
  video.muted = true;
  const avatar = h('div', { class: 'preview-avatar', 'aria-hidden': 'true' });
  const previewNote = h('p', { class: 'preview-note' });
  const micToggle = h('button', {
    class: 'ctrl',
    type: 'button',
    testid: 'prejoin-mic-toggle',
    'aria-label': 'Mute microphone',
    'aria-pressed': 'false',
    on: { click: () => toggle('audio') },
  });
  const camToggle = h('button', {
    class: 'ctrl',
    type: 'button',
    testid: 'prejoin-camera-toggle',
    'aria-label': 'Turn camera off',
    'aria-pressed': 'false',
    on: { click: () => toggle('video') },
  });
  const meter = createLevelMeter(() => media?.audioTrack ?? null, { testid: 'prejoin-level' });
  disposer.add(() => meter.destroy());

  const nameInput = h('input', {
    id: 'prejoin-name',
    class: 'input',
    type: 'text',
    testid: 'prejoin-name',
    placeholder: 'Your name',
    autocomplete: 'name',
    maxlength: MAX_DISPLAY_NAME_LENGTH,
    required: true,
    'aria-describedby': 'prejoin-name-error',
  });
  nameInput.value = settings.displayName;
  const nameError = h('p', {
    id: 'prejoin-name-error',
    class: 'field-error',
    testid: 'prejoin-name-error',
    'aria-live': 'polite',
  });
  const problem = h('div', { class: 'notice', role: 'alert', hidden: true });
  const joinButton = h('button', {
    class: 'btn btn-primary btn-large',
    type: 'submit',
    testid: 'prejoin-join',
    'aria-label': `Join room ${options.roomName}`,
    text: 'Join',
  });

  const pickers = createDevicePickers({
    idPrefix: 'prejoin',
    testids: { camera: 'prejoin-camera-select', mic: 'prejoin-mic-select' },
    getMedia: () => media,
    onPick: async (kind, deviceId) => {
      if (kind === 'videoinput') {
        settings.cameraId = deviceId;
      } else {
        settings.micId = deviceId;
      }
      if (!media) {
        return open();
      }
      try {
        await media.switchDevice(kind, deviceId);
        // No device of that kind was open (missing before): unmuting opens the chosen one.
        const track = kind === 'videoinput' ? media.videoTrack : media.audioTrack;
        if (!track) {
          await setMuted(media, kind === 'videoinput' ? 'video' : 'audio', false);
        }
        showError(null);
      } catch (error) {
        showError(error, true);
      }
      attachPreview();
    },
  });
  disposer.add(() => pickers.destroy());

  const form = h(
    'form',
    {
      class: 'prejoin-form',
      novalidate: true,
      on: {
        submit: (event) => {
          event.preventDefault();
          join();
        },
      },
    },
    h('p', { class: 'eyebrow', text: 'Ready to join?' }),
    h('h1', { class: 'room-title', text: options.roomName }),
    h(
      'div',
      { class: 'field' },
      h('label', { class: 'field', for: nameInput.id }, h('span', { class: 'field-label', text: 'Your name' }), nameInput),
      nameError,
    ),
    pickers.el,
    problem,
    joinButton,
  );

  root.append(
    h(
      'main',
      { class: 'page prejoin', testid: 'prejoin' },
      h(
        'section',
        { class: 'preview card', 'aria-label': 'Camera preview' },
        h(
          'div',
          { class: 'preview-stage' },
          video,
          avatar,
          previewNote,
          h('div', { class: 'preview-controls' }, micToggle, camToggle),
        ),
        h('div', { class: 'preview-meter' }, icon(icons.mic, 'icon icon-small'), meter.el),
      ),
      form,
    ),
  );

  function attachPreview(): void {
    video.srcObject = null;
    video.srcObject = media?.stream ?? null;
    if (media) {
      void video.play().catch(() => undefined);
    }
    render();
  }

  function render(): void {
    const state = media?.state;
    const micOn = !!state && !state.audioMuted;
    const camOn = !!state && !state.videoMuted;
    micToggle.replaceChildren(icon(micOn ? icons.mic : icons.micOff));
    micToggle.setAttribute('aria-pressed', String(!micOn));
    micToggle.classList.toggle('ctrl-off', !micOn);
    micToggle.disabled = !media || opening;
    micToggle.title = media ? `${micOn ? 'Turn off' : 'Turn on'} microphone` : 'No microphone';
    camToggle.replaceChildren(icon(camOn ? icons.camera : icons.cameraOff));
    camToggle.setAttribute('aria-pressed', String(!camOn));
    camToggle.classList.toggle('ctrl-off', !camOn);
    camToggle.disabled = !media || opening;
    camToggle.title = media ? `${camOn ? 'Turn off' : 'Turn on'} camera` : 'No camera';
    avatar.textContent = initials(nameInput.value || '?');
    video.parentElement?.classList.toggle('preview-off', !camOn);
    previewNote.textContent = opening ? 'Starting camera…' : !media ? 'No camera' : camOn ? '' : 'Camera is off';
    meter.el.classList.toggle('meter-muted', !micOn);
    joinButton.disabled = opening;
  }

  function showError(error: unknown, partial = false): void {
    if (!error) {
      problem.hidden = true;
      return;
    }
    const text = describeError(error);
    const code = errorCode(error);
    const title = partial ? `${media?.videoTrack ? 'Microphone' : 'Camera'}: ${lower(text.title)}` : text.title;
    const retry =
      code === 'INSECURE_CONTEXT' || code === 'UNSUPPORTED_BROWSER'
        ? null
        : h('button', {
            class: 'btn btn-small btn-secondary',
            type: 'button',
            text: 'Try again',
            on: { click: () => void open() },
          });
    problem.replaceChildren();
    append(
      problem,
      h('strong', { text: title }),
      h('p', { text: text.detail }),
      h('p', {
        class: 'muted',
        text: partial ? 'You can join with what works.' : 'You can still join: others will hear and see you once devices work.',
      }),
      retry,
    );
    problem.dataset['code'] = code ?? '';
    problem.hidden = false;
  }

  async function open(): Promise<void> {
    if (opening || disposer.disposed) {
      return;
    }
    const previous = media;
    const muted = previous ? { ...previous.state } : null;
    opening = true;
    release();
    render();
    const result = await openLocalMedia({ micId: settings.micId, cameraId: settings.cameraId });
    opening = false;
    if (disposer.disposed || handedOver) {
      result.media?.stop();
      return;
    }
    media = result.media;
    if (media && muted) {
      // Reopened: keep what the user had switched off.
      if (muted.audioMuted) {
        await setMuted(media, 'audio', true).catch(() => undefined);
      }
      if (muted.videoMuted) {
        await setMuted(media, 'video', true).catch(() => undefined);
      }
    }
    unsubscribeMedia = media?.on('state', render) ?? null;
    expose({ media });
    showError(result.error, media !== null);
    attachPreview();
    void pickers.refresh(); // labels appear once access is granted
  }

  function release(): void {
    unsubscribeMedia?.();
    unsubscribeMedia = null;
    if (!handedOver) {
      media?.stop();
    }
    media = null;
    expose({ media: null });
  }

  function toggle(kind: 'audio' | 'video'): void {
    if (!media) {
      return;
    }
    const muted = kind === 'audio' ? media.state.audioMuted : media.state.videoMuted;
    setMuted(media, kind, !muted)
      .catch((error: unknown) => toast(describeError(error).title, { kind: 'error' }))
      .finally(() => {
        if (kind === 'video') {
          attachPreview();
        } else {
          render();
        }
      });
  }

  /** Shows why the typed name cannot be used (or clears it); true when there is a problem. */
  function checkName(): boolean {
    // An empty field is fine: joining picks a guest name.
    const text = nameInput.value.trim() ? displayNameProblem(nameInput.value) : null;
    nameError.textContent = text ?? '';
    nameInput.setAttribute('aria-invalid', String(text !== null));
    return text !== null;
  }

  function join(): void {
    if (opening || handedOver) {
      return;
    }
    if (checkName()) {
      nameInput.focus();
      return;
    }
    const typed = nameInput.value.trim();
    if (typed) {
      settings.displayName = typed;
    }
    handedOver = true;
    unsubscribeMedia?.();
    video.srcObject = null;
    options.onJoin(media, typed || randomGuestName());
  }

  nameInput.addEventListener('input', () => {
    // Once a problem is shown, it goes away as soon as the name is fixed.
    if (nameInput.getAttribute('aria-invalid') === 'true') {
      checkName();
    }
    render();
  });
  disposer.add(() => {
    video.srcObject = null;
    release();
  });
  render();
  void open();
  // Focus the name field when it is empty, otherwise the Join button.
  queueMicrotask(() => (nameInput.value ? joinButton : nameInput).focus({ preventScroll: true }));
  return () => disposer.dispose();
}
