/**
 * Screen sharing and recording in the web app, in Chromium, two people in a room:
 * - Alice shares her screen with the share button. The screen comes from the browser's real getDisplayMedia:
 *   with the fixture's `--use-fake-ui-for-media-stream` and `--use-fake-device-for-media-stream`, Chromium
 *   picks a fake screen (and fake system audio) without a picker, so nothing is stubbed in the page. Bob sees
 *   it in the large spot with frames decoding, the tiles in a strip and a "sharing" badge on Alice's tile;
 *   pressing the button again restores the grid. Sharing again and ending the screen track the way the
 *   browser's own "stop sharing" does (the track ends) updates the button and Bob's layout.
 * - Alice records the whole call for about 3 s: her timer and size rise, Bob sees the REC badge and the notice;
 *   stopping downloads a file (caught by the browser's download behaviour into a temporary directory: its size
 *   and its WebM or MP4 signature are checked), and Bob's indicator goes away.
 *
 * Needs the built app (`npm run build -w apps/web`).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { CDPSession, Page } from 'puppeteer-core';
import type { LocalMedia } from '@rendezvous/client';
import { byTestId, openApp } from './harness/app.js';
import { useFixture } from './harness/fixture.js';

const fx = useFixture(['chromium']);
const WAIT = { polling: 250, timeout: 20_000 } as const;
const downloads = mkdtempSync(join(tmpdir(), 'rendezvous-downloads-'));
after(() => rmSync(downloads, { recursive: true, force: true }));

type AppWindow = Window & { __rendezvous: { media: LocalMedia | null }; __played?: number };

async function joinAs(page: Page, name: string): Promise<string> {
  await page.waitForSelector(byTestId('prejoin-name'), WAIT);
  await page.waitForFunction(
    () =>
      (window as unknown as AppWindow).__rendezvous.media !== null &&
      !document.querySelector<HTMLButtonElement>('[data-testid="prejoin-join"]')?.disabled,
    WAIT,
  );
  await page.click(byTestId('prejoin-name'));
  await page.$eval(byTestId('prejoin-name'), (el) => (el as HTMLInputElement).select());
  await page.type(byTestId('prejoin-name'), name);
  await page.click(byTestId('prejoin-join'));
  const self = await page.waitForSelector(`${byTestId('tile')}[data-self="true"]`, WAIT);
  return (await self!.evaluate((el) => el.getAttribute('data-peer-id')))!;
}

async function tileConnected(page: Page, peerId: string): Promise<void> {
  await page.waitForFunction(
    (id) => {
      const tile = document.querySelector(`[data-testid="tile"][data-peer-id="${id}"]`);
      return tile?.getAttribute('data-state') === 'connected' && (tile.querySelector('video')?.videoWidth ?? 0) > 0;
    },
    WAIT,
    peerId,
  );
}

/** The large spot shows `owner`'s screen with decoded frames: a width, and playback time moving on. */
async function spotlightPlaying(page: Page, owner: string): Promise<{ width: number; height: number }> {
  await page.bringToFront();
  const handle = await page.waitForFunction(
    (owner) => {
      const w = window as unknown as AppWindow;
      const spot = document.querySelector<HTMLElement>('[data-testid="spotlight"]');
      const video = spot?.querySelector('video');
      if (!spot || spot.hidden || spot.dataset['owner'] !== owner || !video || video.videoWidth === 0) {
        return false;
      }
      if (w.__played === undefined) {
        w.__played = video.currentTime;
        return false;
      }
      return video.currentTime > w.__played + 0.5 ? { width: video.videoWidth, height: video.videoHeight } : false;
    },
    WAIT,
    owner,
  );
  await page.evaluate(() => delete (window as unknown as AppWindow).__played);
  return (await handle.jsonValue()) as { width: number; height: number };
}

/** The layout: is the large spot shown, and are the tiles a strip (one row, short) or the grid? */
function layoutOf(page: Page): Promise<{ spot: boolean; rows: number; tallest: number }> {
  return page.evaluate(() => {
    const spot = document.querySelector<HTMLElement>('[data-testid="spotlight"]');
    const tiles = [...document.querySelectorAll<HTMLElement>('[data-testid="tile"]')].map((t) => t.getBoundingClientRect());
    return {
      spot: spot !== null && !spot.hidden && document.querySelector('.call-stage.has-spotlight') !== null,
      rows: new Set(tiles.map((r) => Math.round(r.top))).size,
      tallest: Math.max(...tiles.map((r) => r.height)),
    };
  });
}

async function waitLayout(page: Page, spot: boolean): Promise<{ spot: boolean; rows: number; tallest: number }> {
  await page.waitForFunction((spot) => (document.querySelector('.call-stage.has-spotlight') !== null) === spot, WAIT, spot);
  return layoutOf(page);
}

const badgeShown = (page: Page, peerId: string, testid: string, shown: boolean): Promise<unknown> =>
  page.waitForFunction(
    (peerId, testid, shown) => {
      const badge = document.querySelector<HTMLElement>(
        `[data-testid="tile"][data-peer-id="${peerId}"] [data-testid="${testid}"]`,
      );
      return (badge !== null && !badge.hidden) === shown;
    },
    WAIT,
    peerId,
    testid,
    shown,
  );

async function shareScreenAndStop(alice: Page, bob: Page, aliceId: string): Promise<void> {
  await alice.bringToFront();
  await alice.click(byTestId('control-screen'));
  await alice.waitForSelector(`${byTestId('control-screen')}[aria-pressed="true"]`, WAIT);
  // Alice sees her own screen, labelled as hers.
  await alice.waitForSelector(`${byTestId('spotlight')}[data-owner="${aliceId}"]:not([hidden])`, WAIT);
  assert.equal(await alice.$eval('.spotlight-label', (el) => el.textContent), 'Your screen');

  const shown = await spotlightPlaying(bob, aliceId);
  assert.ok(shown.width > 0 && shown.height > 0, `the screen decodes: ${JSON.stringify(shown)}`);
  assert.equal(await bob.$eval('.spotlight-label', (el) => el.textContent), "Alice's screen");
  await badgeShown(bob, aliceId, 'tile-sharing', true);
  const strip = await waitLayout(bob, true);
  assert.deepEqual({ spot: strip.spot, rows: strip.rows }, { spot: true, rows: 1 }, 'the cameras form a strip');
  assert.ok(strip.tallest <= 130, `strip tiles are short: ${strip.tallest}px`);
  await tileConnected(bob, aliceId); // the camera still plays beside the screen

  // Pressing the button again stops sharing: Bob's grid comes back.
  await alice.bringToFront();
  await alice.click(byTestId('control-screen'));
  await alice.waitForSelector(`${byTestId('control-screen')}[aria-pressed="false"]`, WAIT);
  await bob.bringToFront();
  const grid = await waitLayout(bob, false);
  assert.ok(grid.tallest > 130, `the grid is back: ${grid.tallest}px`);
  await badgeShown(bob, aliceId, 'tile-sharing', false);
}

async function shareAndEndFromBrowser(alice: Page, bob: Page, aliceId: string): Promise<void> {
  await alice.bringToFront();
  await alice.click(byTestId('control-screen'));
  await alice.waitForSelector(`${byTestId('control-screen')}[aria-pressed="true"]`, WAIT);
  await spotlightPlaying(bob, aliceId);
  // The browser's own "stop sharing" ends the screen track, which fires `ended` on it.
  await alice.bringToFront();
  await alice.evaluate(() => {
    const track = (window as unknown as AppWindow).__rendezvous.media?.screenTrack;
    track?.stop();
    track?.dispatchEvent(new Event('ended'));
  });
  await alice.waitForSelector(`${byTestId('control-screen')}[aria-pressed="false"]`, WAIT);
  await bob.bringToFront();
  await waitLayout(bob, false);
  await badgeShown(bob, aliceId, 'tile-sharing', false);
}

/** Bytes from the indicator's size text ("512 kB", "1.2 MB"). */
function bytesOf(text: string): number {
  const match = /([\d.,]+)\s*(kB|MB|GB)/.exec(text);
  assert.ok(match, `a size: ${text}`);
  const scale = { kB: 1e3, MB: 1e6, GB: 1e9 }[match[2] as 'kB' | 'MB' | 'GB'];
  return Number(match[1]!.replace(/,/g, '')) * scale;
}

/** Waits until the timer reads at least `seconds`; returns the timer and the size then shown. */
async function recordedAtLeast(page: Page, seconds: number): Promise<{ elapsed: string; size: string }> {
  const handle = await page.waitForFunction(
    (seconds) => {
      const elapsed = document.querySelector('[data-testid="recording-elapsed"]')?.textContent ?? '';
      const size = document.querySelector('[data-testid="recording-size"]')?.textContent ?? '';
      const [m, s] = elapsed.split(':').map(Number);
      return (m ?? 0) * 60 + (s ?? 0) >= seconds ? { elapsed, size } : false;
    },
    WAIT,
    seconds,
  );
  return (await handle.jsonValue()) as { elapsed: string; size: string };
}

/** Lets the browser save downloads into `downloads`; resolves the next finished download's file name. */
async function catchDownloads(page: Page): Promise<{ cdp: CDPSession; next: Promise<string> }> {
  const cdp = await page.browser().target().createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, eventsEnabled: true });
  const names = new Map<string, string>();
  const next = new Promise<string>((resolve, reject) => {
    cdp.on('Browser.downloadWillBegin', (event) => names.set(event.guid, event.suggestedFilename));
    cdp.on('Browser.downloadProgress', (event) => {
      if (event.state === 'completed') {
        resolve(names.get(event.guid) ?? '');
      } else if (event.state === 'canceled') {
        reject(new Error('the download was cancelled'));
      }
    });
  });
  return { cdp, next };
}

async function recordWholeCall(alice: Page, bob: Page, aliceId: string): Promise<void> {
  const download = await catchDownloads(alice);
  await alice.bringToFront();
  await alice.click(byTestId('control-record'));
  await alice.waitForSelector(`${byTestId('record-menu')}:not([hidden])`, WAIT);
  const items = await alice.$$eval(`${byTestId('record-menu')} [role="menuitem"]`, (els) => els.map((el) => el.textContent));
  assert.deepEqual(items, ['My camera and microphone', 'Bob', 'Whole call']);
  await alice.click(byTestId('record-choice-call'));
  await alice.waitForSelector(`${byTestId('recording-indicator')}:not([hidden])`, WAIT);
  assert.equal(await alice.$eval(byTestId('control-record'), (el) => el.getAttribute('aria-pressed')), 'true');
  const early = await recordedAtLeast(alice, 1);
  const late = await recordedAtLeast(alice, 3);
  assert.ok(bytesOf(late.size) > bytesOf(early.size), `the size rises: ${early.size} -> ${late.size}`);

  await bob.bringToFront();
  await badgeShown(bob, aliceId, 'tile-recording', true);
  assert.equal(await bob.$eval(byTestId('recording-others'), (el) => el.textContent), 'Alice is recording this call');

  await alice.bringToFront();
  await alice.click(byTestId('control-record'));
  const fileName = await download.next;
  assert.match(fileName, /^recording-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.(webm|mp4)$/);
  const file = readFileSync(join(downloads, fileName));
  assert.ok(file.length > 10_000, `the file has the recording: ${file.length} bytes`);
  const webm = file.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]));
  const mp4 = file.subarray(4, 8).toString('latin1') === 'ftyp';
  assert.ok(fileName.endsWith('.webm') ? webm : mp4, 'the file is what its name says');
  await alice.waitForSelector(`${byTestId('recording-notice')}[hidden]`, WAIT);
  await alice.waitForFunction(
    (name) => [...document.querySelectorAll('[data-testid="toast"]')].some((el) => el.textContent?.includes(name)),
    WAIT,
    fileName,
  );
  await download.cdp.detach();

  await bob.bringToFront();
  await badgeShown(bob, aliceId, 'tile-recording', false);
  await bob.waitForSelector(`${byTestId('recording-notice')}[hidden]`, WAIT);
}

test('share a screen into the large spot, stop it two ways; record the whole call and download it', async () => {
  const room = `/room/screen-rec-${Date.now().toString(36)}`;
  const alice = await openApp(fx, room);
  const aliceId = await joinAs(alice.page, 'Alice');
  const bob = await openApp(fx, room);
  const bobId = await joinAs(bob.page, 'Bob');
  await Promise.all([tileConnected(alice.page, bobId), tileConnected(bob.page, aliceId)]);

  await shareScreenAndStop(alice.page, bob.page, aliceId);
  await shareAndEndFromBrowser(alice.page, bob.page, aliceId);
  await recordWholeCall(alice.page, bob.page, aliceId);

  for (const app of [alice, bob]) {
    await app.page.close();
    assert.deepEqual(app.errors.map(String), [], 'uncaught errors in the page');
  }
});
