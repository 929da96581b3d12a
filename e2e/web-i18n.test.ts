/**
 * The web app in Simplified Chinese, in Chromium: with the browser asking for zh-CN, the landing page,
 * pre-join and the call view (two people in a room) show Chinese throughout, with no English word left
 * in any visible text, aria-label, title or placeholder; switching the language in the UI applies at
 * once and survives a reload. Also: Join pressed while the camera is still starting joins once it is ready.
 *
 * Needs the built app (`npm run build -w apps/web`). Screenshots of the Chinese call view go to
 * /tmp/zh-call.png and /tmp/zh-call-phone.png (390x844).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { byTestId, closeApps, joinFromPrejoin, openApp } from './harness/app.js';
import { useFixture } from './harness/fixture.js';

const fx = useFixture(['chromium']);
const WAIT = { polling: 250, timeout: 20_000 } as const;

/** Runs before the app: getUserMedia waits until the test calls window.__releaseCamera(). */
const SLOW_CAMERA = `
(() => {
  const devices = navigator.mediaDevices;
  const original = devices.getUserMedia.bind(devices);
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  window.__releaseCamera = () => release();
  window.__cameraRequests = 0;
  devices.getUserMedia = async (constraints) => {
    window.__cameraRequests++;
    await gate;
    return original(constraints);
  };
})();
`;

/**
 * Every Latin word (two letters or more) in what a person sees or hears under `selector`: visible text
 * nodes, and the aria-label, title and placeholder of visible elements. <option>s are skipped when asked
 * (device names come from the browser).
 */
function latinWords(page: Page, selector: string, skipOptions = false): Promise<string[]> {
  return page.$$eval(
    selector,
    (roots, skipOptions) => {
      const words: string[] = [];
      const add = (text: string | null | undefined, where: string): void => {
        for (const word of (text ?? '').match(/[A-Za-z]{2,}/g) ?? []) {
          words.push(`${word} <${where}>`);
        }
      };
      const visible = (el: Element): boolean => (el as HTMLElement).checkVisibility?.() ?? true;
      for (const root of roots) {
        for (const el of [root, ...root.querySelectorAll('*')]) {
          if (!visible(el) || (skipOptions && el.closest('option, select'))) {
            continue;
          }
          const tag = el.tagName.toLowerCase();
          for (const attr of ['aria-label', 'title', 'placeholder']) {
            add(el.getAttribute(attr), `${tag}[${attr}]`);
          }
          for (const node of el.childNodes) {
            if (node.nodeType === Node.TEXT_NODE && tag !== 'option') {
              add(node.textContent, tag);
            }
          }
          if (tag === 'option' && (el as HTMLOptionElement).selected) {
            add(el.textContent, 'option');
          }
        }
      }
      return words;
    },
    skipOptions,
  );
}

/** Words allowed to stay Latin in Chinese: the brand, technical tokens, and the English language's own name. */
const ALWAYS_ALLOWED = ['Rendezvous', 'TURN', 'STUN', 'UDP', 'TCP', 'TLS', 'host', 'srflx', 'relay', 'English', 'mDNS', 'ID'];

function assertNoEnglish(words: string[], allowed: string[], where: string): void {
  const allow = new Set([...ALWAYS_ALLOWED, ...allowed].map((w) => w.toLowerCase()));
  const left = words.filter((w) => !allow.has(w.split(' ')[0]!.toLowerCase()));
  assert.deepEqual(left, [], `English left on ${where}`);
}

async function remoteConnected(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="tile-state"]')?.getAttribute('data-state') === 'connected' &&
      (document.querySelector<HTMLVideoElement>('[data-testid="tile"]:not([data-self]) video')?.videoWidth ?? 0) > 0,
    WAIT,
  );
}

test('with the browser in zh-CN, landing, pre-join and the call view are Chinese throughout', async () => {
  const zh = ['zh-CN', 'zh'];
  const alice = await openApp(fx, '/', { languages: zh });
  await alice.page.waitForSelector(byTestId('landing-new-room'), WAIT);
  assert.equal(await alice.page.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.match(await alice.page.$eval('h1', (el) => el.textContent ?? ''), /[\u4e00-\u9fff]/);
  assertNoEnglish(await latinWords(alice.page, 'body'), [], 'the landing page');

  await alice.page.click(byTestId('landing-new-room'));
  await alice.page.waitForSelector(byTestId('prejoin'), WAIT);
  const room = decodeURIComponent((await alice.page.evaluate(() => location.pathname)).split('/').pop() ?? '');
  const roomWords = room.split('-');
  await alice.page.waitForFunction(
    () => (window as unknown as { __rendezvous: { media: unknown } }).__rendezvous.media !== null,
    WAIT,
  );
  assertNoEnglish(await latinWords(alice.page, 'body', true), roomWords, 'pre-join');
  assert.equal(await alice.page.$eval(byTestId('prejoin-join'), (el) => el.textContent), '加入');
  await joinFromPrejoin(alice.page, 'Alice');

  const bob = await openApp(fx, `/room/${room}`, { languages: zh });
  await joinFromPrejoin(bob.page, 'Bob');
  await Promise.all([remoteConnected(alice.page), remoteConnected(bob.page)]);

  for (const [side, name] of [
    [alice, 'Alice'],
    [bob, 'Bob'],
  ] as const) {
    await side.page.bringToFront(); // a page in the background answers evaluations late or not at all
    const words = await latinWords(side.page, 'body');
    assertNoEnglish(words, [...roomWords, 'Alice', 'Bob'], `${name}'s call view`);
    assert.equal(await side.page.$eval(byTestId('tile-state'), (el) => el.textContent), '已连接');
    assert.equal(await side.page.$eval(byTestId('control-leave'), (el) => el.getAttribute('aria-label')), '离开房间');
  }
  await alice.page.bringToFront();
  // The settings menu, opened: its labels too (device names come from the browser and stay as they are).
  await alice.page.click(byTestId('control-devices'));
  await alice.page.waitForSelector('#device-menu:not([hidden]) select', WAIT);
  assertNoEnglish(await latinWords(alice.page, '#device-menu', true), [], 'the device menu');
  await alice.page.keyboard.press('Escape');

  await alice.page.$$eval('.toast-close', (buttons) => buttons.forEach((b) => (b as HTMLButtonElement).click()));
  await alice.page.waitForFunction(() => document.querySelector('[data-testid="toast"]') === null, WAIT);
  await alice.page.screenshot({ path: '/tmp/zh-call.png' });
  await alice.page.setViewport({ width: 390, height: 844 }); // isMobile would reload the page
  await alice.page.waitForFunction(() => window.innerWidth === 390, WAIT);
  await alice.page.screenshot({ path: '/tmp/zh-call-phone.png' });
  assert.equal(
    await alice.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    true,
    'no sideways scroll',
  );
  await closeApps(alice, bob);
});

test('switching the language in the call view applies at once, and the choice survives a reload', async () => {
  const app = await openApp(fx, '/room/lang-switch', { languages: ['zh-CN'], keepLanguageChoice: true });
  await joinFromPrejoin(app.page, 'Lin');
  assert.equal(await app.page.$eval(byTestId('control-leave'), (el) => el.getAttribute('aria-label')), '离开房间');
  await app.page.select(byTestId('call-language'), 'en');
  await app.page.waitForFunction(() => document.documentElement.lang === 'en', WAIT);
  assert.equal(await app.page.$eval(byTestId('control-leave'), (el) => el.getAttribute('aria-label')), 'Leave room');
  assert.equal(await app.page.$eval('.call-count', (el) => el.textContent), 'Only you so far');
  assert.equal(await app.page.$eval(`${byTestId('tile')}[data-self="true"] .tile-name`, (el) => el.textContent), 'Lin (you)');
  assert.equal((await app.page.$(byTestId('call-view'))) !== null, true, 'still in the call');

  // Reloaded with the browser still asking for Chinese: the remembered choice wins.
  await app.page.reload();
  await app.page.waitForSelector(byTestId('prejoin-join'), WAIT);
  assert.equal(await app.page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal(await app.page.$eval(byTestId('prejoin-join'), (el) => el.textContent), 'Join');

  // And back to Chinese from the landing page, again surviving a reload.
  await app.page.goto(new URL('/', fx.server.origin).href);
  await app.page.waitForSelector(byTestId('language-picker'), WAIT);
  await app.page.select(byTestId('language-picker'), 'zh-CN');
  await app.page.waitForFunction(
    () => document.querySelector('[data-testid="landing-new-room"]')?.textContent === '新建房间',
    WAIT,
  );
  await app.page.reload();
  await app.page.waitForSelector(byTestId('landing-new-room'), WAIT);
  assert.equal(await app.page.$eval(byTestId('landing-new-room'), (el) => el.textContent), '新建房间');
  assert.equal(await app.page.evaluate(() => localStorage.getItem('rendezvous.language')), 'zh-CN');
  await closeApps(app);
});

test('Join pressed while the camera is still starting joins once the camera is ready', async () => {
  const app = await openApp(fx, '/room/slow-camera', { before: SLOW_CAMERA });
  const { page } = app;
  await page.waitForSelector(byTestId('prejoin-join'), WAIT);
  await page.waitForFunction(() => (window as unknown as { __cameraRequests: number }).__cameraRequests > 0, WAIT);
  await page.$eval(byTestId('prejoin-name'), (el) => ((el as HTMLInputElement).value = '')); // an earlier test's name is remembered
  await page.type(byTestId('prejoin-name'), 'Sam');
  await page.click(byTestId('prejoin-join'));
  await page.waitForSelector(`${byTestId('prejoin-join')}[data-state="joining"]`, WAIT);
  assert.equal(await page.$eval(byTestId('prejoin-join'), (el) => el.textContent), 'Joining…');
  assert.equal(await page.$(byTestId('call-view')), null, 'not joined before the camera is ready');

  await page.evaluate(() => (window as unknown as { __releaseCamera(): void }).__releaseCamera());
  await page.waitForSelector(`${byTestId('call-view')} ${byTestId('tile')}[data-self="true"]`, WAIT);
  const joined = await page.evaluate(() => {
    const w = window as unknown as {
      __rendezvous: { room: { self: { displayName: string } } | null; media: { videoTrack: unknown } | null };
    };
    return { name: w.__rendezvous.room?.self.displayName, video: Boolean(w.__rendezvous.media?.videoTrack) };
  });
  assert.deepEqual(joined, { name: 'Sam', video: true }, 'joined as Sam, with the camera');
  await closeApps(app);
});
