/** The call's control bar: microphone, camera, device menu, invite link, leave or hang up. */
import type { LocalMedia } from '@rendezvous/client';
import { describeError } from '../errors-text.js';
import { setMuted } from '../media.js';
import { settings } from '../settings.js';
import { createDevicePickers, type DevicePickers } from './device-pickers.js';
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
  /** Re-reads the media state (mute flags, which devices exist). */
  update(): void;
  toggleMic(): void;
  toggleCamera(): void;
  destroy(): void;
}

function toggleButton(testid: string, label: string, shortcut: string, onClick: () => void): HTMLButtonElement {
  return h('button', {
    class: 'ctrl',
    type: 'button',
    testid,
    'aria-label': label,
    'aria-pressed': 'false',
    'aria-keyshortcuts': shortcut,
    on: { click: onClick },
  });
}

export function createControls(options: ControlsOptions): Controls {
  const { media } = options;
  const disposer = new Disposer();

  const mic = toggleButton('control-mic', 'Mute microphone', 'M', () => controls.toggleMic());
  const camera = toggleButton('control-camera', 'Turn camera off', 'V', () => controls.toggleCamera());

  // Device menu: a popover with the camera and microphone pickers.
  const menuId = 'device-menu';
  const devicesButton = h(
    'button',
    {
      class: 'ctrl',
      type: 'button',
      testid: 'control-devices',
      'aria-label': 'Choose camera and microphone',
      title: 'Choose camera and microphone',
      'aria-expanded': 'false',
      'aria-controls': menuId,
      on: { click: () => setMenu(menu.hidden) },
    },
    icon(icons.settings),
  );
  let pickers: DevicePickers | null = null;
  const menu = h('div', { id: menuId, class: 'device-menu card', hidden: true, role: 'dialog', 'aria-label': 'Devices' });
  function setMenu(open: boolean): void {
    menu.hidden = !open;
    devicesButton.setAttribute('aria-expanded', String(open));
    if (open && !pickers && media) {
      pickers = createDevicePickers({
        idPrefix: 'call',
        testids: { camera: 'control-camera-select', mic: 'control-mic-select' },
        getMedia: () => media,
        onPick: async (kind, id) => {
          await media.switchDevice(kind, id);
          if (kind === 'videoinput') {
            settings.cameraId = id;
          } else {
            settings.micId = id;
          }
        },
      });
      menu.appendChild(pickers.el);
      disposer.add(() => pickers?.destroy());
    }
    if (open) {
      void pickers?.refresh().then(() => menu.querySelector('select')?.focus());
    }
  }
  disposer.listen(document, 'keydown', (event) => {
    if (event.key === 'Escape' && !menu.hidden) {
      setMenu(false);
      devicesButton.focus();
    }
  });
  disposer.listen(document, 'pointerdown', (event) => {
    const target = event.target as Node | null;
    if (!menu.hidden && target && !menu.contains(target) && !devicesButton.contains(target)) {
      setMenu(false);
    }
  });

  const invite =
    options.mode === 'room'
      ? h(
          'button',
          {
            class: 'ctrl',
            type: 'button',
            testid: 'control-invite',
            'aria-label': 'Copy invite link',
            title: 'Copy invite link',
            on: { click: () => options.onInvite?.() },
          },
          icon(icons.link),
        )
      : null;

  const end =
    options.mode === 'room'
      ? h(
          'button',
          {
            class: 'ctrl ctrl-danger',
            type: 'button',
            testid: 'control-leave',
            'aria-label': 'Leave room',
            title: 'Leave room',
            on: { click: () => options.onEnd() },
          },
          icon(icons.leave),
        )
      : h(
          'button',
          {
            class: 'ctrl ctrl-danger',
            type: 'button',
            testid: 'control-hangup',
            'aria-label': 'Hang up',
            title: 'Hang up',
            on: { click: () => options.onEnd() },
          },
          icon(icons.phoneOff),
        );

  const el = h(
    'div',
    { class: 'controls', role: 'toolbar', 'aria-label': 'Call controls' },
    mic,
    camera,
    h('div', { class: 'ctrl-wrap' }, devicesButton, menu),
    invite,
    end,
  );

  function render(button: HTMLButtonElement, on: boolean, available: boolean, kind: 'mic' | 'camera'): void {
    const [onIcon, offIcon] = kind === 'mic' ? [icons.mic, icons.micOff] : [icons.camera, icons.cameraOff];
    const noun = kind === 'mic' ? 'microphone' : 'camera';
    const key = kind === 'mic' ? 'M' : 'V';
    button.replaceChildren(icon(on ? onIcon : offIcon));
    button.setAttribute('aria-pressed', String(!on));
    button.disabled = !available;
    button.classList.toggle('ctrl-off', !on);
    button.title = available ? `${on ? 'Turn off' : 'Turn on'} ${noun} (${key})` : `No ${noun}`;
  }

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
    update() {
      const state = media?.state;
      // With media, a toggle also works for a device that was missing: unmuting tries to open one.
      render(mic, !!state && !state.audioMuted, !!media, 'mic');
      render(camera, !!state && !state.videoMuted, !!media, 'camera');
      devicesButton.disabled = !media;
    },
    toggleMic() {
      toggle('audio');
    },
    toggleCamera() {
      toggle('video');
    },
    destroy: () => disposer.dispose(),
  };
  if (media) {
    disposer.add(media.on('state', () => controls.update()));
  }
  controls.update();
  return controls;
}
