/** The pre-join screen's elements: preview with mute toggles and meter, name field, pickers, problem notice, Join. */
import type { LocalMedia } from '@rendezvous/client';
import { MAX_DISPLAY_NAME_LENGTH } from '../display-name.js';
import { t } from '../i18n/index.js';
import { h, icon, initials } from '../ui/dom.js';
import { icons } from '../ui/icons.js';

export interface PrejoinState {
  media: LocalMedia | null;
  /** The camera and microphone are being opened. */
  opening: boolean;
  /** Join was pressed; joining waits for the camera. */
  joining: boolean;
}

export interface PrejoinView {
  el: HTMLElement;
  video: HTMLVideoElement;
  nameInput: HTMLInputElement;
  nameError: HTMLElement;
  problem: HTMLElement;
  joinButton: HTMLButtonElement;
  render(state: PrejoinState): void;
}

export interface PrejoinViewOptions {
  roomName: string;
  pickers: HTMLElement;
  meter: HTMLElement;
  onToggle(kind: 'audio' | 'video'): void;
  onSubmit(): void;
}

function toggleButton(testid: string, label: string, onClick: () => void): HTMLButtonElement {
  return h('button', {
    class: 'ctrl',
    type: 'button',
    testid,
    'aria-label': label,
    'aria-pressed': 'false',
    on: { click: onClick },
  });
}

function nameField(): { input: HTMLInputElement; error: HTMLElement; el: HTMLElement } {
  const input = h('input', {
    id: 'prejoin-name',
    class: 'input',
    type: 'text',
    testid: 'prejoin-name',
    placeholder: t('common.yourName'),
    autocomplete: 'name',
    maxlength: MAX_DISPLAY_NAME_LENGTH,
    required: true,
    'aria-describedby': 'prejoin-name-error',
  });
  const error = h('p', { id: 'prejoin-name-error', class: 'field-error', testid: 'prejoin-name-error', 'aria-live': 'polite' });
  const el = h(
    'div',
    { class: 'field' },
    h('label', { class: 'field', for: input.id }, h('span', { class: 'field-label', text: t('common.yourName') }), input),
    error,
  );
  return { input, error, el };
}

/** Shows a toggle's state: icon, pressed, title ("Turn off microphone", "No camera"). */
function renderToggle(button: HTMLButtonElement, on: boolean, media: boolean, opening: boolean, kind: 'mic' | 'camera'): void {
  const mic = kind === 'mic';
  button.replaceChildren(icon(mic ? (on ? icons.mic : icons.micOff) : on ? icons.camera : icons.cameraOff));
  button.setAttribute('aria-pressed', String(!on));
  button.classList.toggle('ctrl-off', !on);
  button.disabled = !media || opening;
  const title = mic ? (on ? 'media.turnMicOff' : 'media.turnMicOn') : on ? 'media.turnCameraOff' : 'media.turnCameraOn';
  button.title = media ? t(title) : t(mic ? 'media.noMic' : 'media.noCamera');
}

export function createPrejoinView(options: PrejoinViewOptions): PrejoinView {
  const video = h('video', { class: 'preview-video mirrored', autoplay: true, playsinline: true });
  video.muted = true;
  const avatar = h('div', { class: 'preview-avatar', 'aria-hidden': 'true' });
  const previewNote = h('p', { class: 'preview-note' });
  const micToggle = toggleButton('prejoin-mic-toggle', t('media.muteMic'), () => options.onToggle('audio'));
  const camToggle = toggleButton('prejoin-camera-toggle', t('media.cameraOffAria'), () => options.onToggle('video'));
  const name = nameField();
  const problem = h('div', { class: 'notice', role: 'alert', hidden: true });
  const joinButton = h('button', {
    class: 'btn btn-primary btn-large',
    type: 'submit',
    testid: 'prejoin-join',
    'aria-label': t('prejoin.joinAria', { room: options.roomName }),
    text: t('prejoin.join'),
  });
  const submit = (event: SubmitEvent): void => {
    event.preventDefault();
    options.onSubmit();
  };
  const form = h(
    'form',
    { class: 'prejoin-form', novalidate: true, on: { submit } },
    h('p', { class: 'eyebrow', text: t('prejoin.ready') }),
    h('h1', { class: 'room-title', text: options.roomName }),
    name.el,
    options.pickers,
    problem,
    joinButton,
  );
  const stage = h(
    'div',
    { class: 'preview-stage' },
    video,
    avatar,
    previewNote,
    h('div', { class: 'preview-controls' }, micToggle, camToggle),
  );
  const el = h(
    'main',
    { class: 'page prejoin', testid: 'prejoin' },
    h(
      'section',
      { class: 'preview card', 'aria-label': t('prejoin.previewAria') },
      stage,
      h('div', { class: 'preview-meter' }, icon(icons.mic, 'icon icon-small'), options.meter),
    ),
    form,
  );

  function render({ media, opening, joining }: PrejoinState): void {
    const state = media?.state;
    const micOn = !!state && !state.audioMuted;
    const camOn = !!state && !state.videoMuted;
    renderToggle(micToggle, micOn, !!media, opening, 'mic');
    renderToggle(camToggle, camOn, !!media, opening, 'camera');
    avatar.textContent = initials(name.input.value || '?');
    stage.classList.toggle('preview-off', !camOn);
    const waiting = opening ? t(joining ? 'prejoin.joiningNote' : 'common.startingCamera') : '';
    previewNote.textContent = waiting || (!media ? t('media.noCamera') : camOn ? '' : t('prejoin.cameraIsOff'));
    options.meter.classList.toggle('meter-muted', !micOn);
    // Join stays pressable while the camera starts: it then joins as soon as the camera is ready.
    joinButton.textContent = joining ? t('prejoin.joining') : t('prejoin.join');
    joinButton.disabled = joining;
    joinButton.setAttribute('aria-busy', String(joining));
    joinButton.dataset['state'] = joining ? 'joining' : 'idle';
    name.input.disabled = joining;
  }

  return { el, video, nameInput: name.input, nameError: name.error, problem, joinButton, render };
}
