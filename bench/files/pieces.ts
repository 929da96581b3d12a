/**
 * The pieces a file transfer is made of, measured alone in a page (MB/s over PIECE_BYTES each): SHA-256 with
 * @noble/hashes (what the SDK hashes with, incrementally, 64 KiB per update), crypto.subtle's native SHA-256 on
 * the same 64 KiB chunks (one-shot: it has no incremental form, so only a reference), reading the payload Blob in
 * 64 KiB slices one ahead (as the sender does), and writing 64 KiB chunks to an OPFS file with `createWritable`,
 * each write awaited (as the receiver's default sink does), then closing it; and the same in 1 MiB writes.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';

export const PIECE_BYTES = 128 * 1024 * 1024;

export interface PieceRates {
  nobleSha256: number;
  subtleSha256: number;
  blobRead: number;
  opfsWrite: number;
  opfsWriteAndClose: number;
  /** The same bytes written 1 MiB at a time. */
  opfsWrite1MiB: number;
}

async function nobleBundle(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./noble-entry.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** Measures on `page`, which holds window.t['payload'] (read up to PIECE_BYTES of it). */
export async function measurePieces(page: Page): Promise<PieceRates> {
  await page.addScriptTag({ content: await nobleBundle() });
  return page.evaluate(async (total) => {
    type Hasher = { create(): { update(b: Uint8Array): unknown; digest(): Uint8Array } };
    const sha256 = (window as unknown as { benchSha256: Hasher }).benchSha256;
    const chunk = 64 * 1024;
    const rate = (started: number, bytes = total) => bytes / 1048576 / ((performance.now() - started) / 1000);
    const data = crypto.getRandomValues(new Uint8Array(chunk));
    let started = performance.now();
    const hasher = sha256.create();
    for (let at = 0; at < total; at += chunk) {
      hasher.update(data);
    }
    hasher.digest();
    const nobleSha256 = rate(started);
    started = performance.now();
    for (let at = 0; at < total; at += chunk) {
      await crypto.subtle.digest('SHA-256', data);
    }
    const subtleSha256 = rate(started);
    const blob = window.t['payload'] as Blob;
    const readTotal = Math.min(total, blob.size);
    started = performance.now();
    let next: Promise<ArrayBuffer> | null = blob.slice(0, chunk).arrayBuffer();
    for (let at = 0; next !== null; at += chunk) {
      await next;
      next = at + chunk < readTotal ? blob.slice(at + chunk, at + 2 * chunk).arrayBuffer() : null;
    }
    const blobRead = rate(started, readTotal);
    const root = await navigator.storage.getDirectory();
    const handle = await root.getFileHandle('bench-pieces.bin', { create: true });
    const writable = await handle.createWritable({ keepExistingData: false });
    started = performance.now();
    for (let at = 0; at < total; at += chunk) {
      await writable.write(data.slice());
    }
    const opfsWrite = rate(started);
    await writable.close();
    const opfsWriteAndClose = rate(started);
    const big = new Uint8Array(16 * chunk);
    const bigWritable = await handle.createWritable({ keepExistingData: false });
    started = performance.now();
    for (let at = 0; at < total; at += big.byteLength) {
      await bigWritable.write(big.slice());
    }
    await bigWritable.close();
    const opfsWrite1MiB = rate(started);
    await root.removeEntry('bench-pieces.bin');
    return { nobleSha256, subtleSha256, blobRead, opfsWrite, opfsWriteAndClose, opfsWrite1MiB };
  }, PIECE_BYTES);
}
