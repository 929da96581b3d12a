/**
 * QR codes in e2e/pair.test.ts: reading the code a page drew (with `jsqr`, inside the page), and a short Y4M
 * video of a QR code for Chromium's fake camera (`--use-file-for-fake-video-capture`), made with `qrcode` and
 * ffmpeg.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'puppeteer-core';
import QRCode from 'qrcode';

const require = createRequire(import.meta.url);
const JSQR_SOURCE = readFileSync(require.resolve('jsqr'), 'utf8');

/** The text of the QR code drawn on the canvas `selector`, read by `jsqr` in the page (null: no code read). */
export async function readQrInPage(page: Page, selector: string): Promise<string | null> {
  await page.bringToFront();
  // Evaluated through DevTools, so the page's CSP (no inline scripts) does not apply; defines window.jsQR.
  await page.evaluate(JSQR_SOURCE);
  return page.$eval(selector, (el) => {
    const canvas = el as HTMLCanvasElement;
    const context = canvas.getContext('2d');
    type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
    const decode = (window as unknown as { jsQR: Decode }).jsQR;
    if (context === null) {
      return null;
    }
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    return decode(image.data, image.width, image.height)?.data ?? null;
  });
}

/**
 * A one-second 640x480 Y4M video (10 fps, I420) showing `text` as a QR code on white, for Chromium's fake camera.
 * Returns its path.
 */
export async function qrCameraFile(text: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'rdv-pair-qr-'));
  const png = join(dir, 'qr.png');
  const y4m = join(dir, 'qr.y4m');
  await QRCode.toFile(png, text, { errorCorrectionLevel: 'L', margin: 4, width: 480 });
  const filter = 'scale=480:480:flags=neighbor,pad=640:480:80:0:white,format=yuv420p';
  await promisify(execFile)('ffmpeg', ['-v', 'error', '-loop', '1', '-i', png, '-vf', filter, '-r', '10', '-t', '1', '-y', y4m]);
  return y4m;
}
