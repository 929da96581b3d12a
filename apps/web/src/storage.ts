/** localStorage under the app's prefix; storage may be unavailable (private mode, disabled, not a browser). */

const PREFIX = 'rendezvous.';

export function readStored(key: string): string | null {
  try {
    return localStorage.getItem(PREFIX + key);
  } catch {
    return null;
  }
}

export function writeStored(key: string, value: string | null): void {
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
