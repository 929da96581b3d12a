/**
 * Driving /live/<name> in Chromium or Firefox: opening it with getUserMedia counted (window.__gum), entering as a
 * viewer or going live, reading what the page decodes, chatting, and screenshots.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Page } from 'puppeteer-core';
import { byTestId } from './harness/app.js';
import type { BrowserName } from './harness/browsers.js';
import { browserOf, type Fixture } from './harness/fixture.js';

export const WAIT = { polling: 250, timeout: 20_000 } as const;
export const SHOTS = '/tmp/live-shots';

export interface LivePage {
  page: Page;
  browser: BrowserName;
  errors: Error[];
}

/** Runs before the app: the browser's languages, and a counter around getUserMedia. */
const setupScript = (languages: string[]): string => `
window.__name = (f) => f;
Object.defineProperty(Navigator.prototype, 'languages', { get: () => ${JSON.stringify(languages)} });
Object.defineProperty(Navigator.prototype, 'language', { get: () => ${JSON.stringify(languages[0])} });
try { localStorage.removeItem('rendezvous.language'); } catch {}
window.__gum = 0;
if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = (constraints) => { window.__gum++; return original(constraints); };
}
`;

export async function openLive(fx: Fixture, browser: BrowserName, room: string, languages = ['en-US', 'en']): Promise<LivePage> {
  const page = await browserOf(fx, browser).browser.newPage();
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error as Error));
  await page.evaluateOnNewDocument(setupScript(languages));
  await page.setViewport({ width: 1280, height: 720 });
  await page.goto(new URL(`/live/${room}`, fx.server.origin).href);
  await page.waitForSelector(byTestId('live-name'), WAIT);
  return { page, browser, errors };
}

/** Types a name and presses Watch (or Go live); resolves with this page's peer id once the live view shows. */
export async function enterLive({ page }: LivePage, name: string, goLive = false): Promise<string> {
  await page.bringToFront();
  await page.click(byTestId('live-name'));
  await page.$eval(byTestId('live-name'), (el) => ((el as HTMLInputElement).value = ''));
  await page.type(byTestId('live-name'), name);
  await page.click(byTestId(goLive ? 'live-enter-go-live' : 'live-watch'));
  await page.waitForSelector(byTestId('live-view'), WAIT);
  const id = await page.evaluate(() => (window as unknown as LiveWindow).__rendezvous.room?.peerId ?? null);
  assert.ok(id, 'the page exposes its room');
  return id;
}

/** In the Go live dialog: keeps camera and microphone, starts, waits until the page presents. */
export async function startBroadcast({ page }: LivePage): Promise<void> {
  await page.bringToFront();
  await page.waitForSelector(byTestId('live-golive-start'), WAIT);
  await page.click(byTestId('live-golive-start'));
  await waitRole(page, 'presenter');
}

export async function waitRole(page: Page, role: 'presenter' | 'viewer'): Promise<void> {
  await page.waitForFunction(
    (role) => document.querySelector('[data-testid="live-view"]')?.getAttribute('data-role') === role,
    WAIT,
    role,
  );
}

interface LiveWindow {
  __gum: number;
  __frames?: Record<string, number>;
  __rendezvous: {
    room: {
      peerId: string;
      peers: Map<string, { getStats(): Promise<{ inbound: { video: { framesDecoded: number } } }> }>;
    } | null;
  };
}

export function getUserMediaCalls(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as LiveWindow).__gum);
}

/** Waits until this page has decoded at least 10 more video frames of `peerId` than when first asked. */
export async function waitDecoding(page: Page, peerId: string): Promise<void> {
  await page.waitForFunction(
    async (id) => {
      const w = window as unknown as LiveWindow;
      const peer = w.__rendezvous.room?.peers.get(id);
      if (peer === undefined) {
        return false;
      }
      const decoded = (await peer.getStats()).inbound.video.framesDecoded;
      w.__frames ??= {};
      const first = (w.__frames[id] ??= decoded);
      return decoded >= first + 10;
    },
    { polling: 250, timeout: 30_000 },
    peerId,
  );
}

/** Waits until the header says `count` watch. */
export async function waitViewerCount(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (count) => document.querySelector('[data-testid="live-viewer-count"]')?.getAttribute('data-count') === String(count),
    WAIT,
    count,
  );
}

export async function sendChat(page: Page, text: string): Promise<void> {
  await page.bringToFront();
  await page.click(byTestId('live-tab-chat'));
  await page.click(byTestId('chat-input'));
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

export async function waitChatText(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    (text) =>
      [...document.querySelectorAll('[data-testid="chat-log"] [data-testid="chat-text"]')].some((el) => el.textContent === text),
    WAIT,
    text,
  );
}

/** A stage tile of `peerId` showing decoded video. */
export async function waitStageVideo(page: Page, peerId: string): Promise<void> {
  await page.waitForFunction(
    (id) =>
      [...document.querySelectorAll<HTMLElement>('[data-testid="live-tile"]')].some(
        (tile) => tile.dataset['owner'] === id && (tile.querySelector('video')?.videoWidth ?? 0) > 0,
      ),
    WAIT,
    peerId,
  );
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.bringToFront();
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}
