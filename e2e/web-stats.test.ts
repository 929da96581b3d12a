/**
 * The call view's live statistics in Chromium, two app pages in one room on loopback: the panel shows
 * non-zero bitrates and frame rates and a host candidate, the quality badge shows on the remote tile, the
 * export downloads JSON with samples, and choosing VP9 on both pages makes the panel show VP9 (remembered
 * after a reload). In zh-CN the panel shows no English beyond technical tokens.
 *
 * Needs the built app (`npm run build -w apps/web`). Screenshots go to /tmp/ui-stats-*.png.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { byTestId, closeApps, joinFromPrejoin, openApp, type AppPage } from './harness/app.js';
import { useFixture } from './harness/fixture.js';

// TURN on a free port with loopback peers allowed, for the relay-only test (on this machine every relayed
// address is 127.0.0.1); the other tests still get their direct host pair.
const fx = useFixture(['chromium'], { turn: true, turnHost: '127.0.0.1', turnPort: 0, turnAllowPeers: ['127.0.0.0/8'] });
const WAIT = { polling: 250, timeout: 20_000 } as const;

/** Runs before the app: every peer connection may use relayed candidates only. */
const RELAY_ONLY = `
(() => {
  const Native = window.RTCPeerConnection;
  const relay = (config) => ({ ...(config ?? {}), iceTransportPolicy: 'relay' });
  window.RTCPeerConnection = class extends Native {
    constructor(config, ...rest) { super(relay(config), ...rest); }
    setConfiguration(config) { return super.setConfiguration(relay(config)); }
  };
})();
`;

/** The app, with an earlier test's codec choice (same browser profile) forgotten: it would be applied on joining. */
async function open(path: string, languages: string[] | undefined, before: string | undefined): Promise<AppPage> {
  const app = await openApp(fx, path, {
    ...(languages === undefined ? {} : { languages }),
    ...(before === undefined ? {} : { before }),
  });
  await app.page.evaluate(() => localStorage.removeItem('rendezvous.videoCodec'));
  return app;
}

async function connected(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="tile-state"]')?.getAttribute('data-state') === 'connected' &&
      (document.querySelector<HTMLVideoElement>('[data-testid="tile"]:not([data-self]) video')?.videoWidth ?? 0) > 0,
    WAIT,
  );
}

/** Two people in a new room, connected to each other. */
async function twoInARoom(room: string, languages?: string[], before?: string): Promise<[AppPage, AppPage]> {
  const alice = await open(`/room/${room}`, languages, before);
  await joinFromPrejoin(alice.page, 'Alice');
  const bob = await open(`/room/${room}`, languages, before);
  await joinFromPrejoin(bob.page, 'Bob');
  await Promise.all([connected(alice.page), connected(bob.page)]);
  return [alice, bob];
}

async function openPanel(page: Page): Promise<void> {
  await page.bringToFront(); // a page in the background answers evaluations late or not at all
  await page.click(byTestId('control-stats'));
  await page.waitForSelector(`${byTestId('stats-panel')} ${byTestId('stats-values')}`, { ...WAIT, visible: true });
}

/** The raw value (`data-value`) of a stats row once it is `expected` (or, with null, once it is known). */
async function valueOnce(page: Page, row: string, expected: string | null = null): Promise<string> {
  await page.waitForFunction(
    (selector, expected) => {
      const value = document.querySelector<HTMLElement>(selector)?.dataset['value'] ?? '';
      return expected === null ? value !== '' : value === expected;
    },
    WAIT,
    byTestId(`stats-${row}`),
    expected,
  );
  return page.$eval(byTestId(`stats-${row}`), (el) => (el as HTMLElement).dataset['value'] ?? '');
}

async function waitForNumber(page: Page, row: string): Promise<number> {
  await page.waitForFunction(
    (selector) => Number(document.querySelector<HTMLElement>(selector)?.dataset['value'] ?? '') > 0,
    WAIT,
    byTestId(`stats-${row}`),
  );
  return Number(await page.$eval(byTestId(`stats-${row}`), (el) => (el as HTMLElement).dataset['value']));
}

async function exportedJson(page: Page): Promise<{ format: string; peers: { samples: unknown[] }[] }> {
  const dir = await mkdtemp(joinPath(tmpdir(), 'stats-export-'));
  try {
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir, eventsEnabled: true });
    const done = new Promise<void>((resolve) =>
      cdp.on('Browser.downloadProgress', (event: { state: string }) => void (event.state === 'completed' && resolve())),
    );
    await page.click(byTestId('stats-export'));
    await done;
    const files = await readdir(dir);
    assert.equal(files.length, 1, 'one file downloaded');
    assert.match(files[0]!, /^rendezvous-stats-web-stats-values-\d{8}-\d{6}\.json$/);
    return JSON.parse(await readFile(joinPath(dir, files[0]!), 'utf8')) as { format: string; peers: { samples: unknown[] }[] };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The panel's top and its charts, wide and phone-sized. */
async function screenshots(page: Page, name: string): Promise<void> {
  const shoot = async (size: string): Promise<void> => {
    await page.$eval('.panel-body', (el) => el.scrollTo(0, 0));
    await page.screenshot({ path: `/tmp/ui-stats-${name}-${size}.png` });
    await page.$eval(byTestId('stats-chart-bitrate'), (el) => el.scrollIntoView());
    await page.screenshot({ path: `/tmp/ui-stats-${name}-${size}-charts.png` });
    await page.$eval(byTestId('stats-codec-select'), (el) => el.scrollIntoView());
    await page.screenshot({ path: `/tmp/ui-stats-${name}-${size}-codec.png` });
  };
  await shoot('wide');
  await page.setViewport({ width: 390, height: 844 });
  await page.waitForFunction(() => window.innerWidth === 390, WAIT);
  await shoot('phone');
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scroll');
  await page.setViewport({ width: 1280, height: 720 });
}

test('the stats panel shows live values, a host pair and charts; the tile has a quality badge; export gives JSON', async () => {
  const [alice, bob] = await twoInARoom('web-stats-values');
  const { page } = alice;
  await page.bringToFront();
  await page.waitForSelector(`${byTestId('tile')}:not([data-self]) ${byTestId('tile-quality')}:not([hidden])`, WAIT);
  const badge = await page.$eval(byTestId('tile-quality'), (el) => ({
    quality: (el as HTMLElement).dataset['quality'],
    label: el.getAttribute('aria-label'),
    text: el.textContent,
  }));
  assert.ok(['excellent', 'good'].includes(badge.quality ?? ''), `quality on loopback: ${badge.quality}`);
  assert.match(badge.label ?? '', /^Connection quality: (Excellent|Good)$/);
  assert.match(badge.text ?? '', /^(Excellent|Good)$/);

  await openPanel(page);
  assert.equal(await page.$eval(byTestId('control-stats'), (el) => el.getAttribute('aria-pressed')), 'true');
  assert.ok((await waitForNumber(page, 'bitrate-in')) > 0);
  assert.ok((await waitForNumber(page, 'bitrate-out')) > 0);
  assert.ok((await waitForNumber(page, 'video-in')) > 0, 'frames per second received');
  assert.ok((await waitForNumber(page, 'video-out')) > 0, 'frames per second sent');
  assert.equal(await valueOnce(page, 'local'), 'host');
  assert.match(await page.$eval(byTestId('stats-local'), (el) => el.textContent ?? ''), /^Local network \(host\)$/);
  assert.equal(await valueOnce(page, 'protocol'), 'udp');
  assert.match(await valueOnce(page, 'codec-video-in'), /^(VP8|VP9|H264|AV1)$/);
  assert.equal(await valueOnce(page, 'codec-audio-in'), 'opus');
  assert.equal(await page.$$eval(`${byTestId('stats-panel')} canvas`, (canvases) => canvases.length), 4, 'four charts');

  const json = await exportedJson(page);
  assert.equal(json.format, 'rendezvous-stats');
  assert.equal(json.peers.length, 1);
  assert.ok(json.peers[0]!.samples.length > 0, 'samples exported');
  await screenshots(page, 'en');

  await page.click(byTestId('control-stats'));
  await page.waitForSelector(byTestId('stats-panel'), { ...WAIT, hidden: true });
  assert.equal(await page.$(byTestId('stats-panel')), null, 'the panel (and its charts) are gone once closed');
  await closeApps(alice, bob);
});

test('in zh-CN, choosing VP9 (then H.264 where offered) on both pages makes the panel show it, remembered after a reload; no English', async () => {
  const zh = ['zh-CN', 'zh'];
  const [alice, bob] = await twoInARoom('web-stats-codec', zh);
  for (const { page } of [alice, bob]) {
    await openPanel(page);
    await page.select(byTestId('stats-codec-select'), 'VP9');
  }
  for (const { page } of [alice, bob]) {
    await page.bringToFront();
    assert.equal(await valueOnce(page, 'codec-video-in', 'VP9'), 'VP9');
    assert.equal(await valueOnce(page, 'codec-video-out', 'VP9'), 'VP9');
    assert.equal(await page.$eval(byTestId('stats-codec-video-in'), (el) => el.textContent), 'VP9');
  }
  await waitForNumber(alice.page, 'video-in');
  const words = await alice.page.$$eval(
    `${byTestId('stats-panel')}, ${byTestId('call-panel')} .panel-head, ${byTestId('tile-quality')}`,
    (roots) => {
      const found: string[] = [];
      for (const root of roots) {
        for (const el of [root, ...root.querySelectorAll('*')]) {
          if (!((el as HTMLElement).checkVisibility?.() ?? true)) {
            continue;
          }
          const texts = [el.getAttribute('aria-label'), el.getAttribute('title')];
          for (const node of el.childNodes) {
            if (node.nodeType === Node.TEXT_NODE && (el.tagName !== 'OPTION' || (el as HTMLOptionElement).selected)) {
              texts.push(node.textContent);
            }
          }
          found.push(...texts.flatMap((text) => (text ?? '').match(/[A-Za-z]{2,}/g) ?? []));
        }
      }
      return found;
    },
  );
  const allowed = new Set(['VP', 'AV', 'UDP', 'TCP', 'TLS', 'host', 'srflx', 'prflx', 'relay', 'opus', 'Bob']);
  assert.deepEqual(
    words.filter((word) => !allowed.has(word)),
    [],
    'English left in the zh-CN stats panel',
  );
  await screenshots(alice.page, 'zh');

  // H.264 too, where this browser can both send and receive it.
  const offers = async ({ page }: AppPage): Promise<boolean> =>
    (await page.$(`${byTestId('stats-codec-select')} option[value="H264"]`)) !== null;
  const expected = (await offers(alice)) && (await offers(bob)) ? 'H264' : 'VP9';
  if (expected === 'H264') {
    for (const { page } of [alice, bob]) {
      await page.bringToFront();
      await page.select(byTestId('stats-codec-select'), 'H264');
    }
    for (const { page } of [alice, bob]) {
      await page.bringToFront();
      assert.equal(await valueOnce(page, 'codec-video-in', 'H264'), 'H264');
      assert.equal(await page.$eval(byTestId('stats-codec-video-in'), (el) => el.textContent), 'H.264');
    }
  }

  // Bob comes back: the remembered choice applies as the call view mounts.
  await bob.page.bringToFront();
  await bob.page.reload();
  await joinFromPrejoin(bob.page, 'Bob');
  const codec = await bob.page.evaluate(
    () => (window as unknown as { __rendezvous: { room: { videoCodec: string | null } } }).__rendezvous.room.videoCodec,
  );
  assert.equal(codec, expected);
  await closeApps(alice, bob);
});

test('forced relay-only, the panel reads relay on our side, over UDP to the relay server', async () => {
  const [alice, bob] = await twoInARoom('web-stats-relay', undefined, RELAY_ONLY);
  const { page } = alice;
  await openPanel(page);
  assert.equal(await valueOnce(page, 'local'), 'relay');
  assert.equal(await page.$eval(byTestId('stats-local'), (el) => el.textContent), 'Relay server (relay)');
  assert.ok((await waitForNumber(page, 'bitrate-in')) > 0);
  const relayProtocol = await page.$eval(byTestId('stats-relay-protocol'), (el) => (el as HTMLElement).dataset['value']);
  if (relayProtocol !== '') {
    assert.equal(relayProtocol, 'udp'); // where the browser says
    assert.equal(await page.$eval(byTestId('stats-relay-protocol'), (el) => el.textContent), 'UDP');
  }
  await closeApps(alice, bob);
});
