/** Camera and microphone <select>s that follow plugged/unplugged devices and the devices in use. */
import { LocalMedia } from '@rendezvous/client';
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
  const el = h(
    'div',
    { class: 'device-pickers' },
    h('label', { class: 'field', for: camera.id }, h('span', { class: 'field-label', text: 'Camera' }), camera),
    h('label', { class: 'field', for: mic.id }, h('span', { class: 'field-label', text: 'Microphone' }), mic),
  );

  function inUse(kind: InputKind): string | undefined {
    const media = options.getMedia();
    const track = kind === 'videoinput' ? media?.videoTrack : media?.audioTrack;
    return track?.getSettings().deviceId;
  }

  function fill(select: HTMLSelectElement, devices: MediaDeviceInfo[], kind: InputKind, hidden: boolean): void {
    const noun = kind === 'videoinput' ? 'Camera' : 'Microphone';
    const selected = inUse(kind) ?? select.value;
    select.replaceChildren();
    if (devices.length === 0) {
      const text = hidden ? `Allow access to choose a ${noun.toLowerCase()}` : `No ${noun.toLowerCase()} found`;
      select.appendChild(h('option', { value: '', text }));
      select.disabled = true;
      return;
    }
    devices.forEach((device, index) => {
      const option = h('option', { value: device.deviceId, text: device.label || `${noun} ${index + 1}` });
      select.appendChild(option);
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
