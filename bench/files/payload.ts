/**
 * The payload every contender sends: random bytes made in the sending page (crypto.getRandomValues in 64 KiB
 * slices, gathered into 16 MiB Blob parts), kept as window.t['payload']. Nothing crosses puppeteer but its size.
 */
import type { Page } from 'puppeteer-core';

export const MB = 1024 * 1024;

export async function makePayload(page: Page, size: number): Promise<void> {
  await page.evaluate(async (size) => {
    const slice = 65536;
    const part = 16 * 1024 * 1024;
    const parts: Blob[] = [];
    for (let at = 0; at < size; at += part) {
      const bytes = new Uint8Array(Math.min(part, size - at));
      for (let i = 0; i < bytes.byteLength; i += slice) {
        crypto.getRandomValues(bytes.subarray(i, Math.min(i + slice, bytes.byteLength)));
      }
      parts.push(new Blob([bytes]));
      await new Promise((resolve) => setTimeout(resolve, 0)); // lets the part's bytes go to blob storage
    }
    window.t['payload'] = new Blob(parts, { type: 'application/octet-stream' });
  }, size);
}

export async function dropPayload(page: Page): Promise<void> {
  await page.evaluate(() => {
    delete window.t['payload'];
  });
}
