/**
 * Hands and reactions in the web app, in Chromium: three people (Ann and Ben in a room, Cat joining later).
 * Raised hands show a numbered badge on the raiser's tile in the server's order on every page (the late
 * joiner's too), lowering one renumbers the rest, the hand button's pressed state follows, a reaction floats
 * over the sender's tile for everyone, and the picker cools down after a burst. One more test checks the
 * words in zh-CN.
 *
 * Needs the built app (`npm run build -w apps/web`). Screenshots go to /tmp/ui-hands-*.png.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page, Viewport } from 'puppeteer-core';
import { byTestId, closeApps, joinFromPrejoin, openApp, type AppPage } from './harness/app.js';
import { useFixture } from './harness/fixture.js';

const fx = useFixture(['chromium']);
const WAIT = { polling: 250, timeout: 20_000 } as const;

/**
 * Runs before the app: the browser's languages, Content-Security-Policy violations in window.__csp, and a
 * recorder of every reaction that appears over a tile and every toast (window.__seen), so short-lived
 * things are not missed while the page is in the background.
 */
const RECORD_SEEN = `
window.__seen = { floats: [], toasts: [] };
new MutationObserver((records) => {
  for (const record of records) {
    for (const node of record.addedNodes) {
      if (!(node instanceof HTMLElement)) continue;
      if (node.dataset.testid === 'reaction-float') {
        window.__seen.floats.push({ emoji: node.dataset.emoji, on: node.closest('[data-testid="tile"]')?.dataset.peerId });
      } else if (node.dataset.testid === 'toast') {
        window.__seen.toasts.push(node.querySelector('.toast-message')?.textContent ?? '');
      }
    }
  }
}).observe(document, { childList: true, subtree: true });
`;

interface Seen {
  floats: { emoji: string; on: string }[];
  toasts: string[];
}
type TestWindow = Window & { __seen: Seen };

interface JoinedApp extends AppPage {
  id: string;
}

const open = (path: string, languages: string[], viewport?: Viewport): Promise<AppPage> =>
  openApp(fx, path, { languages, before: RECORD_SEEN, ...(viewport === undefined ? {} : { viewport }) });

/** Opens the room, types the name and joins; resolves once in the call, with our peer id. */
async function join(room: string, name: string, languages = ['en-US', 'en']): Promise<JoinedApp> {
  const app = await open(`/room/${room}`, languages);
  return { ...app, id: await joinFromPrejoin(app.page, name) };
}

/** Every tile's hand badge: peer id -> its position ("1", "2", …) or null without a badge. */
function badges(page: Page): Promise<Record<string, string | null>> {
  return page.$$eval('[data-testid="tile"]', (tiles) =>
    Object.fromEntries(
      tiles.map((tile) => [
        tile.getAttribute('data-peer-id') ?? '',
        tile.querySelector<HTMLElement>('[data-testid="hand-badge"]')?.dataset['position'] ?? null,
      ]),
    ),
  );
}

/** Waits until `app` shows exactly the `expected` badges on its tiles (every tile listed), then checks them. */
async function expectBadges(app: AppPage, expected: Record<string, string | null>, what: string): Promise<void> {
  await app.page.bringToFront();
  await app.page
    .waitForFunction(
      (expected: Record<string, string | null>) => {
        const tiles = [...document.querySelectorAll<HTMLElement>('[data-testid="tile"]')];
        const shown = tiles.map((t): [string, string | null] => [
          t.dataset['peerId'] ?? '',
          t.querySelector<HTMLElement>('[data-testid="hand-badge"]')?.dataset['position'] ?? null,
        ]);
        return JSON.stringify(shown.sort()) === JSON.stringify(Object.entries(expected).sort());
      },
      WAIT,
      expected,
    )
    .catch(() => undefined);
  assert.deepEqual(await badges(app.page), expected, what);
}

async function pressed(app: AppPage): Promise<string | null> {
  await app.page.bringToFront();
  return app.page.$eval(byTestId('control-hand'), (el) => el.getAttribute('aria-pressed'));
}

async function seen(app: AppPage): Promise<Seen> {
  return app.page.evaluate(() => (window as unknown as TestWindow).__seen);
}

/** Waits until `app` recorded a reaction `emoji` floating over `on`'s tile. */
async function waitForFloat(app: AppPage, emoji: string, on: string): Promise<void> {
  await app.page.bringToFront();
  await app.page.waitForFunction(
    (emoji: string, on: string) => (window as unknown as TestWindow).__seen.floats.some((f) => f.emoji === emoji && f.on === on),
    WAIT,
    emoji,
    on,
  );
}

test('raised hands are numbered in order on every page, late joiners included; reactions float over the sender', async () => {
  const room = `hands-${Date.now().toString(36)}`;
  const ann = await join(room, 'Ann');
  const ben = await join(room, 'Ben');
  const none = { [ann.id]: null, [ben.id]: null };
  await expectBadges(ann, none, "Ann sees Ben's tile, no hands yet");
  await expectBadges(ben, none, "Ben sees Ann's tile, no hands yet");
  assert.equal(await pressed(ann), 'false');

  await ann.page.bringToFront();
  await ann.page.click(byTestId('control-hand'));
  await expectBadges(ann, { [ann.id]: '1', [ben.id]: null }, "Ann's own hand on her tile");
  await expectBadges(ben, { [ann.id]: '1', [ben.id]: null }, "Ann's hand on Ben's page");
  assert.equal(await pressed(ann), 'true', "Ann's hand button is pressed");
  assert.equal(await pressed(ben), 'false');

  await ben.page.bringToFront();
  await ben.page.keyboard.press('h'); // the shortcut
  const order = { [ann.id]: '1', [ben.id]: '2' };
  await expectBadges(ann, order, 'Ann sees both, in order');
  await expectBadges(ben, order, 'Ben sees both, in order');
  assert.equal(await pressed(ben), 'true', "Ben's hand button is pressed after the shortcut");
  await ann.page.bringToFront();
  assert.equal(
    await ann.page
      .$eval(`[data-peer-id="${ben.id}"] ${byTestId('hand-badge')}`, (el) => [el.textContent, el.getAttribute('aria-label')])
      .then(String),
    '✋ 2,Hand raised, second',
  );
  assert.ok((await seen(ann)).toasts.includes('Ben raised a hand'), 'Ann is told Ben raised a hand');
  assert.ok(
    !(await seen(ann)).toasts.some((toast) => toast.includes('raised a hand') && toast.includes('Ann')),
    'no toast for your own hand',
  );

  const cat = await join(room, 'Cat');
  await expectBadges(cat, { ...order, [cat.id]: null }, 'the late joiner sees the same order');
  assert.equal(await pressed(cat), 'false');
  assert.deepEqual(
    (await seen(cat)).toasts.filter((toast) => toast.includes('raised a hand')),
    [],
    'hands already up when joining are shown, not announced',
  );

  await ann.page.bringToFront();
  await ann.page.keyboard.press('H');
  const after = { [ann.id]: null, [ben.id]: '1', [cat.id]: null };
  for (const [app, who] of [
    [ann, 'Ann'],
    [ben, 'Ben'],
    [cat, 'Cat'],
  ] as const) {
    await expectBadges(app, after, `after Ann lowered her hand, Ben is first on ${who}'s page`);
  }
  assert.equal(await pressed(ann), 'false', "Ann's hand button is released");
  assert.equal(await pressed(ben), 'true');

  await ben.page.bringToFront();
  await ben.page.click(byTestId('control-reactions'));
  await ben.page.waitForSelector(`${byTestId('reaction-picker')}:not([hidden])`, WAIT);
  await ben.page.screenshot({ path: '/tmp/ui-hands-en-wide.png' });
  await ben.page.click(`${byTestId('reaction-option')}[data-emoji="👍"]`);
  await waitForFloat(ben, '👍', ben.id);
  await waitForFloat(ann, '👍', ben.id);
  await waitForFloat(cat, '👍', ben.id);
  await cat.page.bringToFront();
  assert.equal(await cat.page.$eval(byTestId('reaction-live'), (el) => el.textContent), 'Ben: 👍', 'announced with the name');
  await cat.page.screenshot({ path: '/tmp/ui-hands-en-float.png' });
  await ben.page.bringToFront();
  await ben.page.setViewport({ width: 390, height: 844 });
  await ben.page.waitForFunction(() => window.innerWidth === 390, WAIT);
  await ben.page.screenshot({ path: '/tmp/ui-hands-en-phone.png' });

  await closeApps(ann, ben, cat);
});

test('the reaction picker cools down after a burst and warms up again', async () => {
  const app = await join(`burst-${Date.now().toString(36)}`, 'Dee');
  await app.page.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: 'reduce' }]);
  await app.page.click(byTestId('control-reactions'));
  await app.page.waitForSelector(`${byTestId('reaction-picker')}:not([hidden])`, WAIT);
  const option = `${byTestId('reaction-option')}[data-emoji="🎉"]`;
  for (let i = 0; i < 7; i++) {
    await app.page.click(option);
  }
  assert.equal(await app.page.$eval(byTestId('reaction-picker'), (el) => el.getAttribute('data-cooling')), 'true');
  const sent = (await seen(app)).floats.filter((f) => f.emoji === '🎉').length;
  assert.equal(sent, 5, 'five reactions went out, the other clicks were held back');
  const animation = await app.page.$eval(byTestId('reaction-float'), (el) => getComputedStyle(el).animationName);
  assert.equal(animation, 'hands-fade', 'with reduced motion a reaction only fades');
  await app.page.waitForSelector(`${byTestId('reaction-picker')}[data-cooling="false"]`, WAIT);
  await app.page.click(option);
  await app.page.waitForFunction(() => (window as unknown as TestWindow).__seen.floats.length === 6, WAIT);
  await closeApps(app);
});

test('in zh-CN the hand and reaction controls speak Chinese', async () => {
  const app = await join(`hands-zh-${Date.now().toString(36)}`, 'Lin', ['zh-CN', 'zh']);
  const { page } = app;
  const labels = (selector: string): Promise<string[]> =>
    page.$eval(selector, (el) => [el.getAttribute('aria-label') ?? '', el.getAttribute('title') ?? '']);
  assert.deepEqual(await labels(byTestId('control-hand')), ['举手', '举手（H）']);
  await page.click(byTestId('control-hand'));
  await page.waitForSelector(`${byTestId('control-hand')}[aria-pressed="true"]`, WAIT);
  assert.deepEqual(await labels(byTestId('control-hand')), ['举手', '放下手（H）']);
  await page.waitForSelector(byTestId('hand-badge'), WAIT);
  assert.deepEqual(await labels(byTestId('hand-badge')), ['举手，第 1 位', '举手，第 1 位']);
  assert.deepEqual(await labels(byTestId('control-reactions')), ['表情回应', '表情回应']);
  await page.click(byTestId('control-reactions'));
  await page.waitForSelector(`${byTestId('reaction-picker')}:not([hidden])`, WAIT);
  assert.equal(await page.$eval(byTestId('reaction-picker'), (el) => el.getAttribute('aria-label')), '发送表情回应');
  assert.equal(
    await page.$eval(`${byTestId('reaction-option')}[data-emoji="👍"]`, (el) => el.getAttribute('aria-label')),
    '点赞',
  );
  await page.click(`${byTestId('reaction-option')}[data-emoji="👏"]`);
  await page.waitForSelector(byTestId('reaction-float'), WAIT);
  await page.screenshot({ path: '/tmp/ui-hands-zh-wide.png' });
  await page.setViewport({ width: 390, height: 844 });
  await page.waitForFunction(() => window.innerWidth === 390, WAIT);
  await page.click(`${byTestId('reaction-option')}[data-emoji="🎉"]`);
  await page.screenshot({ path: '/tmp/ui-hands-zh-phone.png' });
  await closeApps(app);
});
