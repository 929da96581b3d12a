/** Preferences remembered in localStorage (display name, chosen devices). Storage may be unavailable. */

import { validDisplayName } from './display-name.js';

const PREFIX = 'rendezvous.';

function read(key: string): string | null {
  try {
    return localStorage.getItem(PREFIX + key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null || value === '') {
      localStorage.removeItem(PREFIX + key);
    } else {
      localStorage.setItem(PREFIX + key, value);
    }
  } catch {
    // Private mode or storage disabled: nothing is remembered.
  }
}

export const settings = {
  /** The remembered name, or '' when none is stored or the stored one is no longer a valid display name. */
  get displayName(): string {
    return validDisplayName(read('displayName') ?? '') ?? '';
  },
  set displayName(value: string) {
    write('displayName', value.trim());
  },
  get cameraId(): string | null {
    return read('cameraId');
  },
  set cameraId(value: string | null) {
    write('cameraId', value);
  },
  get micId(): string | null {
    return read('micId');
  },
  set micId(value: string | null) {
    write('micId', value);
  },
};
