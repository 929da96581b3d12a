/** The container a recording is written in. */
export type RecordingContainer = 'mp4' | 'webm';

export interface RecordingFormat {
  /** The exact type MediaRecorder is given. */
  mimeType: string;
  container: RecordingContainer;
}

/**
 * What MediaRecorder is asked for, best first: MP4 (H.264 with AAC, then Opus) where the browser records it,
 * then WebM (VP9 or VP8 with Opus). Bare container types come last: the browser then picks the codecs.
 */
export const RECORDING_MIME_CANDIDATES: readonly string[] = [
  'video/mp4;codecs=avc1.42E01F,mp4a.40.2',
  'video/mp4;codecs=avc1,mp4a.40.2',
  'video/mp4;codecs=avc1,mp4a',
  'video/mp4;codecs=avc1,opus',
  'video/mp4',
  'video/webm;codecs=vp9,opus',
  'video/webm;codecs=vp8,opus',
  'video/webm',
];

/** The container a MIME type names, or null when it is neither MP4 nor WebM. */
export function containerOf(mimeType: string): RecordingContainer | null {
  const base = mimeType.split(';')[0]?.trim().toLowerCase();
  if (base === 'video/mp4' || base === 'audio/mp4') {
    return 'mp4';
  }
  if (base === 'video/webm' || base === 'audio/webm') {
    return 'webm';
  }
  return null;
}

/**
 * The first candidate the browser records (`isTypeSupported` is MediaRecorder.isTypeSupported), or the
 * `preferred` type when given and supported. Null when nothing usable is offered.
 */
export function chooseRecordingFormat(
  isTypeSupported: (mimeType: string) => boolean,
  preferred?: string,
): RecordingFormat | null {
  const candidates = preferred === undefined ? RECORDING_MIME_CANDIDATES : [preferred, ...RECORDING_MIME_CANDIDATES];
  for (const mimeType of candidates) {
    const container = containerOf(mimeType);
    if (container !== null && safeSupported(isTypeSupported, mimeType)) {
      return { mimeType, container };
    }
  }
  return null;
}

function safeSupported(isTypeSupported: (mimeType: string) => boolean, mimeType: string): boolean {
  try {
    return isTypeSupported(mimeType);
  } catch {
    return false;
  }
}

/** `recording-2024-05-01-14-03-09.webm` for a recording that started at `startedAt` (local time). */
export function recordingFileName(startedAt: Date, container: RecordingContainer, prefix = 'recording'): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const date = `${startedAt.getFullYear()}-${pad(startedAt.getMonth() + 1)}-${pad(startedAt.getDate())}`;
  const time = `${pad(startedAt.getHours())}-${pad(startedAt.getMinutes())}-${pad(startedAt.getSeconds())}`;
  return `${prefix}-${date}-${time}.${container}`;
}
