/**
 * Scanning a QR code with the camera: the browser's BarcodeDetector where it has one, else `jsqr` on video frames.
 * Frames are looked at every SCAN_INTERVAL_MS; the first code that reads is handed over and the camera stops.
 */
import jsQR from 'jsqr';

const SCAN_INTERVAL_MS = 250;

interface Detector {
  detect(source: CanvasImageSource): Promise<Array<{ rawValue: string }>>;
}
type DetectorConstructor = new (options: { formats: string[] }) => Detector;

/** Whether this browser can scan at all (a camera API). */
export function canScan(): boolean {
  return typeof navigator.mediaDevices?.getUserMedia === 'function';
}

async function detectorOrNull(): Promise<Detector | null> {
  const ctor = (window as unknown as { BarcodeDetector?: DetectorConstructor & { getSupportedFormats?(): Promise<string[]> } })
    .BarcodeDetector;
  if (ctor === undefined) {
    return null;
  }
  try {
    const formats = (await ctor.getSupportedFormats?.()) ?? ['qr_code'];
    return formats.includes('qr_code') ? new ctor({ formats: ['qr_code'] }) : null;
  } catch {
    return null;
  }
}

function readWithJsQr(video: HTMLVideoElement, canvas: HTMLCanvasElement): string | null {
  const width = video.videoWidth;
  const height = video.videoHeight;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (width === 0 || height === 0 || context === null) {
    return null;
  }
  canvas.width = width;
  canvas.height = height;
  context.drawImage(video, 0, 0, width, height);
  return jsQR(context.getImageData(0, 0, width, height).data, width, height)?.data ?? null;
}

/** Starts the camera into `video` and calls `onText` with the first QR code read. Returns the stop function. */
export async function startScan(video: HTMLVideoElement, onText: (text: string) => void): Promise<() => void> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  const detector = await detectorOrNull();
  // Which reader runs, for tests and for anyone inspecting the page (on the page: the box is redrawn after a read).
  for (const el of [video, video.closest('main')]) {
    el?.setAttribute('data-qr-reader', detector === null ? 'jsqr' : 'barcode-detector');
  }
  const canvas = document.createElement('canvas');
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = (): void => {
    stopped = true;
    clearTimeout(timer);
    stream.getTracks().forEach((track) => track.stop());
    video.srcObject = null;
  };
  const tick = async (): Promise<void> => {
    if (stopped) {
      return;
    }
    let text: string | null = null;
    if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) {
      text =
        detector === null ? readWithJsQr(video, canvas) : ((await detector.detect(video).catch(() => []))[0]?.rawValue ?? null);
    }
    if (text !== null && text !== '' && !stopped) {
      stop();
      onText(text);
      return;
    }
    timer = setTimeout(() => void tick(), SCAN_INTERVAL_MS);
  };
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  await video.play().catch(() => undefined);
  void tick();
  return stop;
}
