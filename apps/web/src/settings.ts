/** Preferences remembered in localStorage (display name, chosen devices). Storage may be unavailable. */

import { validDisplayName } from './display-name.js';
import { readStored as read, writeStored as write } from './storage.js';

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
  // The language is remembered by i18n/index.ts (getLanguage/setLanguage), under the same prefix.
};
