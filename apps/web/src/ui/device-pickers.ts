/** Camera and microphone <select>s that follow plugged/unplugged devices and the devices in use. */
import { LocalMedia } from '@rendezvous/client';
import { onLanguageChange, t } from '../i18n/index.js';
import { listDevices } from '../media.js';
import { Disposer, h } from './dom.js';

export type InputKind = 'audioinput' | 'videoinput';

export interface DevicePickers {
  el: HTMLElement;
  camera: HTMLSelectElement;
  mic: HTMLSelectElement;
  /** Re-reads the device list (labels appear once access was granted). */
  refresh(): Promise<void>;
  destroy(): void;
}

export interface DevicePickerOptions {
  getMedia(): LocalMedia | null;
  /** The user picked another device. Pickers are disabled until it settles. */
  onPick(kind: InputKind, deviceId: string): Promise<void>;
  testids?: { camera: string; mic: string };
  idPrefix: string;
}

export function createDevicePickers(options: DevicePickerOptions): DevicePickers {
  const disposer = new Disposer();
  const camera = h('select', { id: `${options.idPrefix}-camera`, testid: options.testids?.camera });
  const mic = h('select', { id: `${options.idPrefix}-mic`, testid: options.testids?.mic });
  const cameraLabel = h('span', { class: 'field-label' });
  const micLabel = h('span', { class: 'field-label' });
  const el = h(
    'div',
    { class: 'device-pickers' },
    h('label', { class: 'field', for: camera.id }, cameraLabel, camera),
    h('label', { class: 'field', for: mic.id }, micLabel, mic),
  );
  const label = (): void => {
    cameraLabel.textContent = t('devices.camera');
    micLabel.textContent = t('devices.mic');
  };
  label();
  disposer.add(
    onLanguageChange(() => {
      label();
      void refresh();
    }),
  );

  function inUse(kind: InputKind): string | undefined {
    const media = options.getMedia();
    const track = kind === 'videoinput' ? media?.videoTrack : media?.audioTrack;
    return track?.getSettings().deviceId;
  }

  function fill(select: HTMLSelectElement, devices: MediaDeviceInfo[], kind: InputKind, hidden: boolean): void {
    const camera = kind === 'videoinput';
    const selected = inUse(kind) ?? select.value;
    select.replaceChildren();
    if (devices.length === 0) {
      const none = camera
        ? t(hidden ? 'devices.allowCamera' : 'devices.noCamera')
        : t(hidden ? 'devices.allowMic' : 'devices.noMic');
      select.appendChild(h('option', { value: '', text: none }));
      select.disabled = true;
      return;
    }
    devices.forEach((device, index) => {
      const unnamed = camera ? t('devices.cameraN', { n: index + 1 }) : t('devices.micN', { n: index + 1 });
      select.appendChild(h('option', { value: device.deviceId, text: device.label || unnamed }));
    });
    if (devices.some((d) => d.deviceId === selected)) {
      select.value = selected ?? '';
    }
    select.disabled = false;
  }

  async function refresh(): Promise<void> {
    const { cameras, mics, hidden } = await listDevices();
    if (disposer.disposed) {
      return;
    }
    fill(camera, cameras, 'videoinput', hidden.cameras);
    fill(mic, mics, 'audioinput', hidden.mics);
  }

  function onChange(select: HTMLSelectElement, kind: InputKind): void {
    select.addEventListener('change', () => {
      const id = select.value;
      if (!id) {
        return;
      }
      camera.disabled = mic.disabled = true;
      options
        .onPick(kind, id)
        .catch((error: unknown) => console.warn('device switch failed', error))
        .finally(() => void refresh());
    });
  }
  onChange(camera, 'videoinput');
  onChange(mic, 'audioinput');

  disposer.add(LocalMedia.onDevicesChanged(() => void refresh()));
  void refresh();
  return { el, camera, mic, refresh, destroy: () => disposer.dispose() };
}
