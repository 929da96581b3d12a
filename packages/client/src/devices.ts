import { missingMediaDevicesError } from './media-errors.js';

function mediaDevices(): MediaDevices {
  const missing = missingMediaDevicesError();
  if (missing !== null) {
    throw missing;
  }
  return navigator.mediaDevices;
}

/** Every camera, microphone and speaker the page may see. Labels are empty until a permission was granted. */
export async function listDevices(): Promise<MediaDeviceInfo[]> {
  return mediaDevices().enumerateDevices();
}

/** Calls `callback` with the new device list whenever a device is plugged in or removed. Returns unsubscribe. */
export function onDevicesChanged(callback: (devices: MediaDeviceInfo[]) => void): () => void {
  const missing = missingMediaDevicesError();
  if (missing !== null) {
    return () => undefined;
  }
  const devices = navigator.mediaDevices;
  let active = true;
  const handler = (): void => {
    devices.enumerateDevices().then(
      (list) => {
        if (!active) {
          return;
        }
        try {
          callback(list);
        } catch (error) {
          console.error('[rendezvous] a devices listener threw:', error);
        }
      },
      (error: unknown) => console.error('[rendezvous] enumerateDevices failed:', error),
    );
  };
  devices.addEventListener('devicechange', handler);
  return () => {
    active = false;
    devices.removeEventListener('devicechange', handler);
  };
}
