/**
 * Rendezvous on the same two pages: both join one room (no media). `filesRun` is the feature under test:
 * `room.files.send(payload)`, the receiver accepting into its default sink (the Origin Private File System), so
 * the bytes are chunked, hashed with SHA-256 on both sides and written to disk; the clock runs on the sender from
 * `send` to its `done` (the receiver verified the hash and said so). `streamRun` isolates the data layer: a bare
 * `room.openStream` carrying the same bytes (64 KiB slices of the Blob, the next one read while the current one is
 * written), the receiver iterating and only counting, no hash, no disk.
 */
import type { Page } from 'puppeteer-core';
import type { IncomingTransfer, Room } from '@rendezvous/client';

/** Joins `page` to `room` without media; resolves with its peer id. The receiving side accepts every offer. */
export async function joinBench(page: Page, wsUrl: string, room: string, name: string): Promise<string> {
  return page.evaluate(
    async (wsUrl, room, name) => {
      const joined = await window.Rendezvous.Room.join(wsUrl, room, { displayName: name, media: null });
      window.t['room'] = joined;
      joined.files.on('incoming', (transfer: IncomingTransfer) => {
        // With t.discard, a sink that only counts: the transfer without the disk.
        const discard = window.t['discard'] === true;
        let written = 0;
        const counting = {
          write: (chunk: Uint8Array) => Promise.resolve(void (written += chunk.byteLength)),
          close: () => Promise.resolve(new Blob()),
          abort: () => Promise.resolve(),
        };
        transfer.on('done', (result) => {
          window.t['received'] = { sha256: result.sha256, size: discard ? written : result.file.size };
          // The stored copy is not needed: drop it so the disk does not fill over the rounds.
          void window.Rendezvous.FileTransfers.clearStoredFiles();
        });
        transfer.on('error', (error) => (window.t['received'] = { error: error.message }));
        void transfer.accept(discard ? counting : undefined);
      });
      joined.on('stream', (incoming) => {
        void (async () => {
          let total = 0;
          for await (const chunk of incoming) {
            total += chunk.byteLength;
          }
          window.t['streamed'] = total;
        })();
      });
      return joined.peerId;
    },
    wsUrl,
    room,
    name,
  );
}

export async function waitConnected(page: Page, peerId: string): Promise<void> {
  await page.waitForFunction(
    (id) => (window.t['room'] as Room).peers.get(id)?.connectionState === 'connected',
    { polling: 100, timeout: 30_000 },
    peerId,
  );
}

export interface FilesRun {
  ms: number;
  sha256: string;
}

/**
 * One file transfer of the payload to `to`; checks the receiver got it whole and verified. With `discard`, the
 * receiver accepts into a sink that only counts bytes (hashing and the protocol without the disk).
 */
export async function filesRun(sender: Page, receiver: Page, to: string, discard = false): Promise<FilesRun> {
  await receiver.evaluate((discard) => {
    delete window.t['received'];
    window.t['discard'] = discard;
  }, discard);
  // Started in the page and polled: a 1 GiB transfer outlasts puppeteer's protocol timeout for one call.
  await sender.evaluate((to) => {
    const room = window.t['room'] as Room;
    const blob = window.t['payload'] as Blob;
    delete window.t['sent'];
    const started = performance.now();
    const [transfer] = room.files.send(blob, { to, name: 'bench.bin' });
    const settle = (outcome: { sha256?: string; error?: string }) =>
      (window.t['sent'] = { ms: performance.now() - started, ...outcome });
    transfer!.on('done', (result) => settle({ sha256: result.sha256 }));
    transfer!.on('error', (error) => settle({ error: error.message }));
    transfer!.on('cancelled', (by) => settle({ error: `cancelled by ${by}` }));
  }, to);
  const run = await settled<{ ms: number; sha256?: string; error?: string }>(sender, 'sent');
  if (run.sha256 === undefined) {
    throw new Error(`the transfer failed: ${run.error}`);
  }
  const received = await receiver.evaluate(() => window.t['received'] as { sha256?: string; size?: number; error?: string });
  const size = await sender.evaluate(() => (window.t['payload'] as Blob).size);
  if (received.sha256 !== run.sha256 || received.size !== size) {
    throw new Error(`the receiver did not get the file whole: ${JSON.stringify(received)} (sent ${size} bytes, ${run.sha256})`);
  }
  return { ms: run.ms, sha256: run.sha256 };
}

/** Polls window.t[key] every 250 ms until it is set. */
async function settled<T>(page: Page, key: string): Promise<T> {
  for (;;) {
    const value = await page.evaluate((key) => window.t[key] ?? null, key);
    if (value !== null) {
      return value as T;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** One `room.openStream` of the payload to `to`; resolves with the milliseconds until the receiver had every byte. */
export async function streamRun(sender: Page, receiver: Page, to: string): Promise<number> {
  await receiver.evaluate(() => {
    delete window.t['streamed'];
  });
  const ms = await sender.evaluate(async (to) => {
    const room = window.t['room'] as Room;
    const blob = window.t['payload'] as Blob;
    const slice = 64 * 1024;
    const started = performance.now();
    const stream = room.openStream(to, { name: 'bench.bin', size: blob.size });
    let next: Promise<ArrayBuffer> | null = blob.slice(0, slice).arrayBuffer();
    for (let at = 0; next !== null; at += slice) {
      const bytes = await next;
      next = at + slice < blob.size ? blob.slice(at + slice, at + 2 * slice).arrayBuffer() : null;
      await stream.write(bytes);
    }
    await stream.end();
    return performance.now() - started;
  }, to);
  const counted = await receiver.waitForFunction(() => window.t['streamed'], { polling: 50, timeout: 10_000 });
  const size = await sender.evaluate(() => (window.t['payload'] as Blob).size);
  if ((await counted.jsonValue()) !== size) {
    throw new Error(`the stream delivered ${String(await counted.jsonValue())} of ${size} bytes`);
  }
  return ms;
}

export async function leaveBench(pages: Page[]): Promise<void> {
  for (const page of pages) {
    await page.evaluate(() => (window.t['room'] as Room | undefined)?.leave());
  }
}
