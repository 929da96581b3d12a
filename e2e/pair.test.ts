/**
 * /pair, pairing with no server, in two Chromium pages on the built app (`npm run build -w apps/web`), driven
 * through the page's own text fields: A creates an invitation, B pastes it and answers, A pastes the answer; then
 * the server process is killed, and chat goes both ways, a file arrives with the same SHA-256, and each side's
 * camera reaches the other (its video presents frames), negotiated over the pairing's own data channel. Also: a
 * malformed, a truncated and a stale invitation each get their message (by data-testid and code), the QR code on
 * the page reads back as the invitation (jsqr in the page), a second Chromium whose fake camera films that QR
 * code (a Y4M file) scans it and pairs, and nothing on the page asks /ws or /api for anything. Screenshots
 * (English and Chinese, wide and phone) go to /tmp/ui-pair-*.png and /tmp/ui-pair2-*.png.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ElementHandle, Page } from 'puppeteer-core';
import { encodePairingBlob } from '../packages/client/src/pairing/blob-codec.js';
import { launchBrowser, type LaunchedBrowser } from './harness/browsers.js';
import { camerasBothWays, leaves, stopsAndSharesAgain } from './pair-camera.js';
import { qrCameraFile, readQrInPage } from './pair-qr.js';
import {
  byTestId,
  killServer,
  openPair as openPairIn,
  pasteAndSubmit,
  shownError,
  startServerProcess,
  WAIT,
  waitForState,
  waitForValue,
  type PairPage,
  type ServerProcess,
} from './pair-page.js';

let server: ServerProcess;
let chromium: LaunchedBrowser;
before(async () => {
  server = await startServerProcess();
  chromium = await launchBrowser('chromium');
});
after(async () => {
  await chromium?.close();
  if (server !== undefined) {
    await killServer(server);
  }
});

const openPair = (languages?: string[]): Promise<PairPage> => openPairIn(chromium.browser, server.origin, languages);

test('a malformed, a truncated and a stale invitation each get their own message', async () => {
  const { page, errors } = await openPair();
  await page.click(byTestId('pair-join'));
  await page.waitForSelector(byTestId('pair-offer-input'), WAIT);
  const fresh = await encodePairingBlob({
    kind: 'offer',
    sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n',
    createdAt: Date.now(),
    tag: 1,
  });
  const stale = await encodePairingBlob({ kind: 'offer', sdp: 'v=0\r\n', createdAt: Date.now() - 60 * 60_000, tag: 1 });
  const cases: Array<[string, string, RegExp]> = [
    ['this is not an invitation', 'PAIRING_MALFORMED', /not a pairing code/],
    [fresh.slice(0, Math.floor(fresh.length / 2)), 'PAIRING_TRUNCATED', /cut short/],
    [stale, 'PAIRING_STALE', /too old \(more than 15 minutes\)/],
  ];
  for (const [text, code, words] of cases) {
    await page.$eval(byTestId('pair-error'), (el) => el.removeAttribute('data-code'));
    await pasteAndSubmit(page, 'pair-offer-input', text);
    const shown = await shownError(page);
    assert.equal(shown.code, code);
    assert.match(shown.text, words);
  }
  await page.screenshot({ path: '/tmp/ui-pair-en-wide-error.png' });
  assert.deepEqual(errors, []);
  await page.close();
});

test("an invitation scanned with another browser's camera lands in the field, and the two pair", async () => {
  const a = await openPair();
  await a.page.bringToFront();
  await a.page.click(byTestId('pair-start'));
  const offer = await waitForValue(a.page, 'pair-offer');
  // A second Chromium whose camera films A's QR code (a Y4M file made from the invitation).
  const file = await qrCameraFile(offer);
  const filming = await launchBrowser('chromium', [`--use-file-for-fake-video-capture=${file}`]);
  try {
    const c = await openPairIn(filming.browser, server.origin);
    await c.page.evaluate(() => {
      // Keeps the camera streams the page opens, to check the scanner stops them.
      const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      const streams: MediaStream[] = [];
      Object.assign(window, { streams });
      navigator.mediaDevices.getUserMedia = async (constraints) => {
        const stream = await open(constraints);
        streams.push(stream);
        return stream;
      };
    });
    await c.page.click(byTestId('pair-join'));
    await c.page.click(byTestId('pair-scan'));
    const answer = await waitForValue(c.page, 'pair-answer');
    assert.equal(await c.page.$eval(byTestId('pair-offer-input'), (el) => (el as HTMLTextAreaElement).value), offer);
    const reader = await c.page.$eval(byTestId('pair-page'), (el) => el.getAttribute('data-qr-reader'));
    const detector = await c.page.evaluate(() => ('BarcodeDetector' in window ? 'present' : 'absent'));
    console.log(`the QR code was read by ${reader} (BarcodeDetector ${detector} in this Chromium)`);
    assert.ok(reader === 'jsqr' || reader === 'barcode-detector');
    const cameras = await c.page.evaluate(() =>
      (window as unknown as { streams: MediaStream[] }).streams.flatMap((stream) =>
        stream.getTracks().map((track) => track.readyState),
      ),
    );
    assert.deepEqual(cameras, ['ended'], 'the scanner opened one camera and stopped it after reading');
    await pasteAndSubmit(a.page, 'pair-answer-input', answer);
    await waitForState(a.page, 'connected');
    await waitForState(c.page, 'connected');
    assert.deepEqual([...a.errors, ...c.errors], []);
  } finally {
    await filming.close();
    await a.page.close();
  }
});

test('paired by copy and paste, then with the server process killed: chat both ways, a file arrives intact, cameras both ways', async () => {
  const a = await openPair();
  const b = await openPair();
  await a.page.bringToFront();
  await a.page.click(byTestId('pair-start'));
  const offer = await waitForValue(a.page, 'pair-offer');
  assert.match(offer, /^RZP1[A-Za-z0-9_-]+$/);
  assert.equal(await a.page.$eval(byTestId('pair-offer-qr'), (el) => (el as HTMLCanvasElement).hidden), false);
  assert.equal(await readQrInPage(a.page, byTestId('pair-offer-qr')), offer, 'the QR code on the page reads as the invitation');
  await a.page.screenshot({ path: '/tmp/ui-pair-en-wide-invite.png' });
  await a.page.setViewport({ width: 390, height: 844 });
  await a.page.screenshot({ path: '/tmp/ui-pair2-en-phone-invite.png', fullPage: true });
  await a.page.setViewport({ width: 1280, height: 800 });

  await b.page.bringToFront();
  await b.page.click(byTestId('pair-join'));
  await pasteAndSubmit(b.page, 'pair-offer-input', offer);
  const answer = await waitForValue(b.page, 'pair-answer');
  await waitForState(b.page, 'waiting');
  // An invitation pasted where the answer belongs is refused by kind.
  await pasteAndSubmit(a.page, 'pair-answer-input', offer);
  assert.equal((await shownError(a.page)).code, 'PAIRING_WRONG_KIND');
  await pasteAndSubmit(a.page, 'pair-answer-input', answer);
  await waitForState(a.page, 'connected');
  await waitForState(b.page, 'connected');
  console.log(`offer blob ${offer.length} characters, answer blob ${answer.length}`);

  await killServer(server);
  await assert.rejects(fetch(`${server.origin}/healthz`), 'the server is gone');

  await sendChat(a.page, 'hello from A, no server');
  await seesMessage(b.page, 'hello from A, no server');
  await sendChat(b.page, 'and back from B');
  await seesMessage(a.page, 'and back from B');

  await sendsFile(a.page, b.page);
  await a.page.screenshot({ path: '/tmp/ui-pair-en-wide-connected.png' });

  await dropsFile(b.page, a.page);

  await camerasBothWays(a.page, b.page);
  await screenshotsOf(a.page, b.page);
  await stopsAndSharesAgain(a.page, b.page);
  await leaves(a.page, b.page);
  await b.page.screenshot({ path: '/tmp/ui-pair2-zh-phone-ended.png', fullPage: true });
  for (const side of [a, b]) {
    assert.deepEqual(side.serverCalls, [], 'the page never asks /ws or /api');
    assert.deepEqual(side.errors, []);
  }
  await a.page.close();
  await b.page.close();
});

async function sendChat(page: Page, text: string): Promise<void> {
  await page.bringToFront();
  await page.click(byTestId('chat-input'));
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

async function seesMessage(page: Page, text: string): Promise<void> {
  await page.bringToFront();
  await page.waitForFunction(
    (text) => [...document.querySelectorAll('[data-testid="chat-message"]')].some((el) => el.textContent?.includes(text)),
    WAIT,
    text,
  );
}

async function sendsFile(from: Page, to: Page): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rdv-pair-'));
  const bytes = randomBytes(1024 * 1024 + 123);
  writeFileSync(join(dir, 'notes.bin'), bytes);
  await from.bringToFront();
  const input = (await from.$(byTestId('files-input'))) as ElementHandle<HTMLInputElement>;
  await input.uploadFile(join(dir, 'notes.bin'));
  await to.bringToFront();
  await (await to.waitForSelector(byTestId('file-accept'), WAIT))!.click();
  const row = `${byTestId('file-row')}[data-direction="in"]`;
  await to.waitForSelector(`${row} ${byTestId('file-leg')}[data-state="done"]`, WAIT);
  const downloads = join(dir, 'downloads');
  mkdirSync(downloads);
  const cdp = await to.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, eventsEnabled: true });
  const completed = new Promise<void>((resolve) =>
    cdp.on('Browser.downloadProgress', (event) => event.state === 'completed' && resolve()),
  );
  await to.click(`${row} ${byTestId('file-save')}`);
  await completed;
  await cdp.detach();
  const hash = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
  assert.equal(hash(readFileSync(join(downloads, 'notes.bin'))), hash(bytes), 'the file arrives intact');
}

/** A file dropped anywhere on `from`'s page is offered to `to`. */
async function dropsFile(from: Page, to: Page): Promise<void> {
  await from.bringToFront();
  await from.evaluate(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['dropped on the page'], 'dropped.txt', { type: 'text/plain' }));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      document.body.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  });
  await to.bringToFront();
  await to.waitForFunction(
    () =>
      [...document.querySelectorAll('[data-testid="file-row"][data-direction="in"]')].some((row) =>
        row.textContent?.includes('dropped.txt'),
      ),
    WAIT,
  );
}

/** Wide and phone-sized, English and Chinese views of both pages with both cameras on, after the test proper. */
async function screenshotsOf(a: Page, b: Page): Promise<void> {
  await a.bringToFront();
  await a.screenshot({ path: '/tmp/ui-pair2-en-wide.png' });
  await b.bringToFront();
  await b.setViewport({ width: 390, height: 844 });
  await b.screenshot({ path: '/tmp/ui-pair2-en-phone.png', fullPage: true });
  for (const page of [a, b]) {
    await page.bringToFront();
    await page.select(byTestId('language-picker'), 'zh-CN');
  }
  await b.screenshot({ path: '/tmp/ui-pair2-zh-phone.png', fullPage: true });
  await a.bringToFront();
  await a.screenshot({ path: '/tmp/ui-pair2-zh-wide.png' });
}
