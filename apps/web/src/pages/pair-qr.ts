/** QR codes of pairing blobs: drawn with `qrcode` on a canvas, error correction L (the blobs are long). */
import QRCode from 'qrcode';

const OPTIONS = { errorCorrectionLevel: 'L', margin: 2 } as const;

/** The QR version (1..40) `text` needs, or null when it does not fit in one. */
export function qrVersion(text: string): number | null {
  try {
    return QRCode.create(text, OPTIONS).version;
  } catch {
    return null;
  }
}

/** Draws `text` on `canvas` at `size` CSS pixels (a whole number of device pixels per module). False when too long. */
export async function drawQr(canvas: HTMLCanvasElement, text: string, size: number): Promise<boolean> {
  const version = qrVersion(text);
  if (version === null) {
    return false;
  }
  const modules = version * 4 + 17 + OPTIONS.margin * 2;
  const scale = Math.max(1, Math.floor((size * (window.devicePixelRatio || 1)) / modules));
  await QRCode.toCanvas(canvas, text, { ...OPTIONS, scale, color: { dark: '#000000', light: '#ffffff' } });
  canvas.style.width = `${size}px`;
  canvas.style.height = `${size}px`;
  return true;
}
