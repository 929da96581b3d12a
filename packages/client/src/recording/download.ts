import type { RecordingResult } from './recorder.js';

/**
 * Saves a finished recording through the browser's download (an `<a download>` over an object URL, revoked
 * once the browser has had time to read it).
 */
export function downloadRecording(result: Pick<RecordingResult, 'blob' | 'fileName'>): void {
  const url = URL.createObjectURL(result.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = result.fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // Browsers resolve the URL after the click returns; FileSaver.js waits 40 s for the same reason.
    setTimeout(() => URL.revokeObjectURL(url), 40_000);
  }
}
