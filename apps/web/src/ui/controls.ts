/** The call's control bar: microphone, camera, device menu, invite link, leave or hang up. */
import type { LocalMedia } from '@rendezvous/client';
import { describeError } from '../errors-text.js';
import { onLanguageChange, t, type PlainKey } from '../i18n/index.js';
import { setMuted } from '../media.js';
import { createDeviceMenu } from './device-menu.js';
import { Disposer, h, icon } from './dom.js';
import { icons } from './icons.js';
import { toast } from './toasts.js';

export interface ControlsOptions {
  media: LocalMedia | null;
  mode: 'room' | 'call';
  onInvite?(): void;
  onEnd(): void;
}

export interface Controls {
  el: HTMLElement;
  /** Where call features put their buttons (before invite and leave). */
  slot: HTMLElement;
  /** Re-reads the media state (mute flags, which devices exist) and re-applies every label. */
  update(): void;
  toggleMic(): void;
  toggleCamera(): void;
  destroy(): void;
}

const TOGGLES = {
  mic: {
    on: icons.mic,
    off: icons.micOff,
    key: 'M',
    aria: 'media.muteMic',
    turnOff: 'media.turnMicOff',
    turnOn: 'media.turnMicOn',
    none: 'media.noMic',
  },
  camera: {
    on: icons.camera,
    off: icons.cameraOff,
    key: 'V',
    aria: 'media.cameraOffAria',
    turnOff: 'media.turnCameraOff',
    turnOn: 'media.turnCameraOn',
    none: 'media.noCamera',
  },
} as const satisfies Record<
  string,
  { on: string; off: string; key: string; aria: PlainKey; turnOff: PlainKey; turnOn: PlainKey; none: PlainKey }
>;

function toggleButton(testid: string, shortcut: string, onClick: () => void): HTMLButtonElement {
  return h('button', {
    class: 'ctrl',
    type: 'button',
    testid,
    'aria-pressed': 'false',
    'aria-keyshortcuts': shortcut,
    on: { click: onClick },
  });
}

/** Shows a toggle's state: icon, pressed, label and title ("Turn off microphone (M)", "No camera"). */
function renderToggle(button: HTMLButtonElement, on: boolean, available: boolean, kind: keyof typeof TOGGLES): void {
  const spec = TOGGLES[kind];
  button.replaceChildren(icon(on ? spec.on : spec.off));
  button.setAttribute('aria-pressed', String(!on));
  button.setAttribute('aria-label', t(spec.aria));
  button.disabled = !available;
  button.classList.toggle('ctrl-off', !on);
  button.title = available ? t('media.withShortcut', { label: t(on ? spec.turnOff : spec.turnOn), key: spec.key }) : t(spec.none);
}

/** Invite (rooms only) and leave or hang up; `relabel` re-applies their words. */
function endButtons(options: ControlsOptions): { invite: HTMLButtonElement | null; end: HTMLButtonElement; relabel(): void } {
  const room = options.mode === 'room';
  const invite = room
    ? h(
        'button',
        { class: 'ctrl', type: 'button', testid: 'control-invite', on: { click: () => options.onInvite?.() } },
        icon(icons.link),
      )
    : null;
  const end = h(
    'button',
    {
      class: 'ctrl ctrl-danger',
      type: 'button',
      testid: room ? 'control-leave' : 'control-hangup',
      on: { click: () => options.onEnd() },
    },
    icon(room ? icons.leave : icons.phoneOff),
  );
  const relabel = (): void => {
    invite?.setAttribute('aria-label', t('controls.invite'));
    invite?.setAttribute('title', t('controls.invite'));
    end.setAttribute('aria-label', t(room ? 'controls.leave' : 'controls.hangUp'));
    end.title = t(room ? 'controls.leave' : 'controls.hangUp');
  };
  return { invite, end, relabel };
}

export function createControls(options: ControlsOptions): Controls {
  const { media } = options;
  const disposer = new Disposer();
  const mic = toggleButton('control-mic', 'M', () => controls.toggleMic());
  const camera = toggleButton('control-camera', 'V', () => controls.toggleCamera());
  const devices = createDeviceMenu(media);
  disposer.add(() => devices.destroy());
  const ends = endButtons(options);
  const slot = h('div', { class: 'ctrl-group' });
  const el = h('div', { class: 'controls', role: 'toolbar' }, mic, camera, devices.el, slot, ends.invite, ends.end);

  function toggle(kind: 'audio' | 'video'): void {
    if (!media) {
      return;
    }
    const muted = kind === 'audio' ? media.state.audioMuted : media.state.videoMuted;
    setMuted(media, kind, !muted)
      .catch((error: unknown) => toast(describeError(error).title, { kind: 'error' }))
      .finally(() => controls.update());
    controls.update();
  }

  const controls: Controls = {
    el,
    slot,
    update() {
      const state = media?.state;
      // With media, a toggle also works for a device that was missing: unmuting tries to open one.
      renderToggle(mic, !!state && !state.audioMuted, !!media, 'mic');
      renderToggle(camera, !!state && !state.videoMuted, !!media, 'camera');
      devices.button.disabled = !media;
      devices.relabel();
      ends.relabel();
      el.setAttribute('aria-label', t('controls.toolbar'));
    },
    toggleMic: () => toggle('audio'),
    toggleCamera: () => toggle('video'),
    destroy: () => disposer.dispose(),
  };
  if (media) {
    disposer.add(media.on('state', () => controls.update()));
  }
  disposer.add(onLanguageChange(() => controls.update()));
  controls.update();
  return controls;
}
