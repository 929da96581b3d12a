import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { Room } from '@rendezvous/client';
import { browserOf, useFixture } from './harness/fixture.js';
import { leftovers, openPeerPage, recordedEvents } from './harness/peer.js';

const fx = useFixture(['chromium', 'firefox']);

/** Joins the SFU room without media; records chat messages, app messages and finished incoming files (with a hash). */
async function join(page: Page, room: string, name: string): Promise<string> {
  return page.evaluate(
    async (wsUrl, room, name) => {
      const joined = await window.Rendezvous.Room.join(wsUrl, room, { displayName: name, media: null, mode: 'sfu' });
      window.t['room'] = joined;
      joined.chat.on('message', (m) => window.probe.record('chat', { from: m.from, text: m.text }));
      joined.on('message', (from, data) =>
        window.probe.record('app', { from, bytes: data instanceof ArrayBuffer ? [...new Uint8Array(data)] : data }),
      );
      joined.files.on('incoming', (transfer) => {
        transfer.on('done', (result) => {
          void result.file.arrayBuffer().then(async (buffer) => {
            const digest = await crypto.subtle.digest('SHA-256', buffer);
            const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
            window.probe.record('file', { size: buffer.byteLength, sha256: hex, from: transfer.from });
          });
        });
        void transfer.accept();
      });
      return joined.peerId;
    },
    fx.server.wsUrl,
    room,
    name,
  );
}

test('an SFU room carries chat, app messages and a file through the server, between Chromium and Firefox', async () => {
  const pages = [
    await openPeerPage(browserOf(fx, 'chromium'), fx.pages.url),
    await openPeerPage(browserOf(fx, 'firefox'), fx.pages.url),
    await openPeerPage(browserOf(fx, 'chromium'), fx.pages.url),
  ];
  const ids: string[] = [];
  for (const [i, page] of pages.entries()) {
    ids.push(await join(page, 'sfu-data', `Member ${i}`));
  }
  const [chromium, firefox, other] = pages as [Page, Page, Page];
  await firefox.evaluate(() => (window.t['room'] as Room).chat.send('hello from Firefox, 你好'));
  await chromium.evaluate(() => (window.t['room'] as Room).send(new Uint8Array([1, 2, 3, 255]).buffer));
  for (const page of [chromium, other]) {
    const [chat] = await recordedEvents<{ from: string; text: string }>(page, 'chat', 1, 20_000);
    assert.deepEqual(chat?.entry, { from: ids[1], text: 'hello from Firefox, 你好' });
  }
  for (const page of [firefox, other]) {
    const [app] = await recordedEvents<{ from: string; bytes: number[] }>(page, 'app', 1, 20_000);
    assert.deepEqual(app?.entry, { from: ids[0], bytes: [1, 2, 3, 255] });
  }
  await firefox.waitForFunction(() => (window.t['room'] as Room).chat.messages.at(-1)?.delivered === true, {
    polling: 100,
    timeout: 20_000,
  });

  const size = Number(process.env['SFU_DATA_FILE_BYTES'] ?? 2 * 1024 * 1024 + 333);
  const started = Date.now();
  const expected = await firefox.evaluate(
    async (to, size) => {
      const bytes = crypto.getRandomValues(new Uint8Array(size > 65536 ? 65536 : size));
      const parts: Uint8Array<ArrayBuffer>[] = [];
      for (let at = 0; at < size; at += 65536) {
        parts.push(bytes.slice(0, Math.min(65536, size - at)).map((b, i) => b ^ (at >> 16) ^ i));
      }
      const file = new File(parts, 'relay.bin', { type: 'application/octet-stream' });
      const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
      const [transfer] = (window.t['room'] as Room).files.send(file, { to });
      transfer?.on('state', (state) => window.probe.record('sent-state', state));
      transfer?.on('error', (error) => window.probe.record('sent-state', error.code));
      return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    },
    ids[0]!,
    size,
  );
  const [file] = await recordedEvents<{ size: number; sha256: string; from: string }>(
    chromium,
    'file',
    1,
    Number(process.env['SFU_DATA_WAIT_MS'] ?? 90_000),
  ).catch(async (error: unknown) => {
    const states = await firefox.evaluate(() => JSON.stringify(window.t['events']));
    throw new Error(`no file; the sender saw ${states.slice(0, 2000)}`, { cause: error });
  });
  assert.deepEqual(file?.entry, { size, sha256: expected, from: ids[1] });
  const seconds = (Date.now() - started) / 1000;
  console.log(`2 MiB file through the server: ${seconds.toFixed(1)} s (${(size / 1024 / seconds).toFixed(0)} KiB/s)`);

  for (const page of pages) {
    await page.evaluate(() => (window.t['room'] as Room).leave());
    assert.deepEqual(await leftovers(page), { openConnections: 0, liveTracks: 0 });
    await page.close();
  }
});
