/** The call's device menu: a button opening a popover with the camera and microphone pickers. */
import type { LocalMedia } from '@rendezvous/client';
import { t } from '../i18n/index.js';
import { settings } from '../settings.js';
import { createDevicePickers, type DevicePickers } from './device-pickers.js';
import { Disposer, h, icon } from './dom.js';
import { icons } from './icons.js';

export interface DeviceMenu {
  /** The button and its popover. */
  el: HTMLElement;
  button: HTMLButtonElement;
  relabel(): void;
  destroy(): void;
}

export function createDeviceMenu(media: LocalMedia | null): DeviceMenu {
  const disposer = new Disposer();
  const menuId = 'device-menu';
  const button = h(
    'button',
    {
      class: 'ctrl',
      type: 'button',
      testid: 'control-devices',
      'aria-expanded': 'false',
      'aria-controls': menuId,
      on: { click: () => setOpen(menu.hidden) },
    },
    icon(icons.settings),
  );
  const menu = h('div', { id: menuId, class: 'device-menu card', hidden: true, role: 'dialog' });
  let pickers: DevicePickers | null = null;

  function createPickers(current: LocalMedia): DevicePickers {
    const created = createDevicePickers({
      idPrefix: 'call',
      testids: { camera: 'control-camera-select', mic: 'control-mic-select' },
      getMedia: () => current,
      onPick: async (kind, id) => {
        await current.switchDevice(kind, id);
        if (kind === 'videoinput') {
          settings.cameraId = id;
        } else {
          settings.micId = id;
        }
      },
    });
    disposer.add(() => created.destroy());
    return created;
  }

  function setOpen(open: boolean): void {
    menu.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open && !pickers && media) {
      pickers = createPickers(media);
      menu.appendChild(pickers.el);
    }
    if (open) {
      void pickers?.refresh().then(() => menu.querySelector('select')?.focus());
    }
  }

  disposer.listen(document, 'keydown', (event) => {
    if (event.key === 'Escape' && !menu.hidden) {
      setOpen(false);
      button.focus();
    }
  });
  disposer.listen(document, 'pointerdown', (event) => {
    const target = event.target as Node | null;
    if (!menu.hidden && target && !menu.contains(target) && !button.contains(target)) {
      setOpen(false);
    }
  });

  function relabel(): void {
    button.setAttribute('aria-label', t('controls.devices'));
    button.title = t('controls.devices');
    menu.setAttribute('aria-label', t('controls.devicesDialog'));
  }
  relabel();
  return { el: h('div', { class: 'ctrl-wrap' }, button, menu), button, relabel, destroy: () => disposer.dispose() };
}
