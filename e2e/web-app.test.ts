/**
 * The web app (apps/web) driven like a person would, in Chromium: landing page, pre-join, the call
 * view, the room-full screen, 1:1 calls from a call link, and the phone-sized layout.
 *
 * Needs the built app (`npm run build -w apps/web`); the test server serves it at its origin.
 * The call-view screenshot shown in the README (docs/screenshot.png) is taken here.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page, Viewport } from 'puppeteer-core';
import type { CallClient, LocalMedia, Room } from '@rendezvous/client';
import { byTestId, closeApps, joinFromPrejoin, openApp, type AppPage } from './harness/app.js';
import { useFixture } from './harness/fixture.js';

const fx = useFixture(['chromium'], { roomCapacity: 2 });

const SCREENSHOT = fileURLToPath(new URL('../docs/screenshot.png', import.meta.url));
const WAIT = { polling: 250, timeout: 20_000 } as const;

/** What the app exposes (apps/web/src/debug.ts) plus the connection tracker installed below. */
type AppWindow = Window & {
  __rendezvous: { room: Room | null; media: LocalMedia | null; callClient: CallClient | null };
  __pcs: RTCPeerConnection[];
  __frames?: Record<string, { frames: number; at: number }>;
};

/**
 * Runs before the app's own scripts: keeps every RTCPeerConnection the page creates in window.__pcs,
 * so a test can tell whether any is still open.
 */
const TRACK_CONNECTIONS = `
window.__pcs = [];
(() => {
  const Native = window.RTCPeerConnection;
  if (!Native) return;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      window.__pcs.push(this);
    }
  };
})();
`;

/** The app with its connections tracked, at 1024×720 unless said otherwise. */
const open = (path: string, viewport: Viewport = { width: 1024, height: 720 }): Promise<AppPage> =>
  openApp(fx, path, { viewport, before: TRACK_CONNECTIONS });

/** Replaces the text of an input the way a person does: click, select everything, type. */
async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await page.click(selector);
  await page.$eval(selector, (el) => (el as HTMLInputElement).select());
  await page.type(selector, text);
  assert.equal(await page.$eval(selector, (el) => (el as HTMLInputElement).value), text);
}

/**
 * Decoded video frames from every remote peer, sampled twice at least a second apart (both samples
 * taken inside the page while polling). Resolves once every peer's count has risen.
 */
async function framesRising(page: Page, peers = 1): Promise<Array<{ first: number; last: number; ms: number }>> {
  const handle = await page.waitForFunction(
    async (peers) => {
      const w = window as unknown as AppWindow;
      const room = w.__rendezvous.room;
      if (!room || room.peers.size < peers) {
        return false;
      }
      const firsts = (w.__frames ??= {});
      const result: Array<{ first: number; last: number; ms: number }> = [];
      for (const peer of room.peers.values()) {
        const frames = (await peer.getStats()).inbound.video.framesDecoded;
        const now = performance.now();
        const key = `${room.name}/${peer.peerId}`;
        const first = firsts[key];
        if (first === undefined) {
          if (frames > 0) {
            firsts[key] = { frames, at: now };
          }
          continue;
        }
        if (now - first.at >= 1000 && frames > first.frames) {
          result.push({ first: first.frames, last: frames, ms: now - first.at });
        }
      }
      return result.length >= peers ? result : false;
    },
    WAIT,
    peers,
  );
  const samples = (await handle.jsonValue()) as Array<{ first: number; last: number; ms: number }>;
  assert.equal(samples.length, peers);
  for (const s of samples) {
    assert.ok(s.first > 0 && s.last > s.first, `framesDecoded rose: ${JSON.stringify(s)}`);
    assert.ok(s.ms >= 1000, `samples a second apart: ${JSON.stringify(s)}`);
  }
  return samples;
}

/** Connections the page created, and how many of them are not closed. */
function connections(page: Page): Promise<{ created: number; open: number }> {
  return page.evaluate(() => {
    const pcs = (window as unknown as AppWindow).__pcs;
    return { created: pcs.length, open: pcs.filter((pc) => pc.signalingState !== 'closed').length };
  });
}

async function waitAllClosed(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const w = window as unknown as AppWindow;
    return w.__rendezvous.room === null && w.__pcs.every((pc) => pc.signalingState === 'closed');
  }, WAIT);
}

/** Waits until the remote tile is connected and plays video with real dimensions. */
async function remoteTileConnected(page: Page, peerId: string): Promise<void> {
  const tile = `${byTestId('tile')}[data-peer-id="${peerId}"]`;
  await page.waitForFunction(
    (tile) => {
      const el = document.querySelector(tile);
      const video = el?.querySelector('video');
      return el?.querySelector('[data-testid="tile-state"]')?.textContent === 'connected' && (video?.videoWidth ?? 0) > 0;
    },
    WAIT,
    tile,
  );
  assert.equal(await page.$eval(`${tile} ${byTestId('tile-state')}`, (el) => el.textContent), 'connected');
  assert.ok((await page.$eval(`${tile} video`, (el) => el.videoWidth)) > 0);
}

function tileCount(page: Page): Promise<number> {
  return page.$$eval(`${byTestId('call-view')} ${byTestId('tile')}`, (els) => els.length);
}

/** Dismisses every toast (joins, leaves) and waits until none is left on screen. */
async function clearToasts(page: Page): Promise<void> {
  await page.$$eval('.toast-close', (buttons) => buttons.forEach((b) => (b as HTMLButtonElement).click()));
  await page.waitForFunction(() => document.querySelector('[data-testid="toast"]') === null, WAIT);
}

test('a room from the landing page: join by link, media flows, mute shows, leave is announced', async () => {
  const alice = await open('/', { width: 1280, height: 720 });
  await alice.page.waitForSelector(byTestId('landing-new-room'), WAIT);
  await alice.page.click(byTestId('landing-new-room'));
  await alice.page.waitForSelector(byTestId('prejoin'), WAIT);
  const path = await alice.page.evaluate(() => location.pathname);
  assert.match(path, /^\/room\/[a-z]+-[a-z]+-[a-z]+-[a-z]+$/, 'a new room is named with four random words');
  const aliceId = await joinFromPrejoin(alice.page, 'Alice');

  const bob = await open(path);
  const bobId = await joinFromPrejoin(bob.page, 'Bob');
  assert.notEqual(aliceId, bobId);

  await Promise.all([remoteTileConnected(alice.page, bobId), remoteTileConnected(bob.page, aliceId)]);
  assert.equal(await tileCount(alice.page), 2);
  assert.equal(await tileCount(bob.page), 2);
  await Promise.all([framesRising(alice.page), framesRising(bob.page)]);
  assert.equal(await alice.page.$eval(`${byTestId('tile')}[data-peer-id="${bobId}"] .tile-name`, (el) => el.textContent), 'Bob');
  assert.equal(
    await bob.page.$eval(`${byTestId('tile')}[data-peer-id="${aliceId}"] .tile-name`, (el) => el.textContent),
    'Alice',
  );

  // The README's screenshot: Alice's call view with both videos playing and nothing in front of them.
  await alice.page.bringToFront();
  await clearToasts(alice.page);
  await alice.page.mouse.move(640, 20);
  await alice.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await alice.page.waitForFunction(
    () =>
      [...document.querySelectorAll<HTMLElement>('[data-testid="tile"]')].every((tile) => {
        const video = tile.querySelector('video');
        return !tile.classList.contains('tile-no-video') && video !== null && !video.paused && video.videoWidth > 0;
      }) && document.querySelectorAll('.tile-unblock:not([hidden])').length === 0,
    WAIT,
  );
  await alice.page.screenshot({ path: SCREENSHOT });

  // Alice mutes: her button says so, and Bob's tile for her shows the microphone-off indicator.
  await alice.page.click(byTestId('control-mic'));
  await alice.page.waitForSelector(`${byTestId('control-mic')}[aria-pressed="true"]`, WAIT);
  const aliceOnBob = `${byTestId('tile')}[data-peer-id="${aliceId}"]`;
  await bob.page.waitForSelector(
    `${aliceOnBob}[data-audio-muted="true"] .tile-indicator[title="Microphone off"]:not([hidden])`,
    WAIT,
  );
  assert.equal(
    await bob.page.$eval(`${aliceOnBob} .tile-indicator[title="Camera off"]`, (el) => (el as HTMLElement).hidden),
    true,
  );

  // Bob leaves: Alice is told, her grid shrinks to herself, Bob sees the "you left" screen.
  await bob.page.bringToFront();
  await bob.page.click(byTestId('control-leave'));
  await bob.page.waitForSelector(byTestId('left-screen'), WAIT);
  const toast = await alice.page.waitForFunction(
    () =>
      [...document.querySelectorAll('[data-testid="toast"]')]
        .map((t) => t.textContent ?? '')
        .find((t) => t.includes('Bob') && t.includes('left')),
    WAIT,
  );
  assert.match(String(await toast.jsonValue()), /Bob left/);
  await alice.page.waitForFunction(
    () => document.querySelectorAll('[data-testid="call-view"] [data-testid="tile"]').length === 1,
    WAIT,
  );
  assert.equal(await tileCount(alice.page), 1);
  assert.equal(await alice.page.$eval(`${byTestId('tile')}[data-self="true"]`, (el) => el.getAttribute('data-peer-id')), aliceId);
  await waitAllClosed(bob.page);
  const bobConnections = await connections(bob.page);
  assert.ok(bobConnections.created >= 1);
  assert.equal(bobConnections.open, 0, 'Bob left: no RTCPeerConnection still open');
  await closeApps(alice, bob);
});

test('the landing page refuses an invalid room name inline and stays put', async () => {
  const app = await open('/');
  await app.page.waitForSelector(byTestId('landing-room-input'), WAIT);
  await typeInto(app.page, byTestId('landing-room-input'), 'bad name!');
  await app.page.click(byTestId('landing-join'));
  await app.page.waitForFunction(() => (document.getElementById('landing-room-error')?.textContent ?? '') !== '', WAIT);
  assert.match(await app.page.$eval('#landing-room-error', (el) => el.textContent ?? ''), /no spaces|letters, digits/i);
  assert.equal(await app.page.$eval(byTestId('landing-room-input'), (el) => el.getAttribute('aria-invalid')), 'true');
  assert.equal(await app.page.evaluate(() => location.pathname), '/');
  assert.equal(await app.page.$(byTestId('prejoin')), null);
  await closeApps(app);
});

test('a name with hidden characters is refused next to the field and does not join; a clean name joins', async () => {
  const app = await open('/room/name-check');
  const { page } = app;
  await page.waitForSelector(byTestId('prejoin-name'), WAIT);
  await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('[data-testid="prejoin-join"]')?.disabled, WAIT);
  await typeInto(page, byTestId('prejoin-name'), 'Bob\u200B');
  await page.keyboard.press('Enter'); // submits from the keyboard, like the Join button
  await page.waitForFunction(
    () => (document.querySelector('[data-testid="prejoin-name-error"]')?.textContent ?? '') !== '',
    WAIT,
  );
  const field = await page.$eval(byTestId('prejoin-name'), (el) => {
    const error = document.getElementById(el.getAttribute('aria-describedby') ?? '');
    return {
      invalid: el.getAttribute('aria-invalid'),
      error: error?.textContent ?? '',
      live: error?.getAttribute('aria-live'),
      focused: el === document.activeElement,
    };
  });
  assert.match(field.error, /invisible/i, 'the error says what is wrong');
  assert.deepEqual({ ...field, error: '' }, { invalid: 'true', error: '', live: 'polite', focused: true });
  assert.equal(
    await page.$eval(byTestId('prejoin-join'), (el) => (el as HTMLButtonElement).disabled),
    false,
    'Join stays usable',
  );
  assert.equal(await page.$(byTestId('call-view')), null, 'did not join');
  assert.equal(await page.evaluate(() => (window as unknown as AppWindow).__rendezvous.room), null);

  const id = await joinFromPrejoin(page, 'Bob');
  assert.equal(await page.$eval(`${byTestId('tile')}[data-peer-id="${id}"] .tile-name`, (el) => el.textContent), 'Bob (you)');

  // The 1:1 page's name field: a refused name is explained and not sent; the current name stays.
  const phone = await open('/call');
  const before = await phone.page.waitForFunction(
    () => (window as unknown as AppWindow).__rendezvous.callClient?.signaling.displayName,
    WAIT,
  );
  await typeInto(phone.page, byTestId('oneone-name'), 'Eve\u202Eevil');
  await phone.page.keyboard.press('Tab'); // "change" commits a name
  await phone.page.waitForFunction(
    () => (document.querySelector('[data-testid="oneone-name-error"]')?.textContent ?? '') !== '',
    WAIT,
  );
  assert.equal(await phone.page.$eval(byTestId('oneone-name'), (el) => el.getAttribute('aria-invalid')), 'true');
  assert.equal(
    await phone.page.evaluate(() => (window as unknown as AppWindow).__rendezvous.callClient?.signaling.displayName),
    await before.jsonValue(),
  );
  await closeApps(app, phone);
});

test('a third person sees "room full" when the room holds two', async () => {
  const a = await open('/room/full-house');
  await joinFromPrejoin(a.page, 'Ann');
  const b = await open('/room/full-house');
  await joinFromPrejoin(b.page, 'Ben');
  const c = await open('/room/full-house');
  await c.page.waitForSelector(byTestId('prejoin-name'), WAIT);
  await c.page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('[data-testid="prejoin-join"]')?.disabled, WAIT);
  await typeInto(c.page, byTestId('prejoin-name'), 'Cat');
  await c.page.click(byTestId('prejoin-join'));
  await c.page.waitForSelector(byTestId('room-full'), WAIT);
  assert.match(await c.page.$eval(`${byTestId('room-full')} h1`, (el) => el.textContent ?? ''), /full \(2 of 2\)/);
  assert.equal(await c.page.$(byTestId('call-view')), null);
  // The two inside are not disturbed.
  assert.equal(await tileCount(a.page), 2);
  assert.equal(await tileCount(b.page), 2);
  await closeApps(a, b, c);
});

/** Opens a 1:1 page, sets "Your name", and waits until the page is online under that name. */
async function openPhone(path: string, name: string): Promise<AppPage & { link: string; peerId: string }> {
  const app = await open(path);
  const ready = (): Promise<unknown> =>
    app.page.waitForFunction(() => {
      const client = (window as unknown as AppWindow).__rendezvous.callClient;
      const link = document.querySelector('[data-testid="oneone-my-link"]')?.textContent;
      return client !== null && link === `${location.origin}/call/${client.peerId}`;
    }, WAIT);
  await ready(); // renaming while the first connection is still being made is a different story
  await typeInto(app.page, '#oneone-name', name);
  await app.page.keyboard.press('Tab'); // "change" commits the name (and reconnects when it differs)
  await app.page.waitForFunction(
    (name) => {
      const client = (window as unknown as AppWindow).__rendezvous.callClient;
      const link = document.querySelector('[data-testid="oneone-my-link"]')?.textContent;
      return client !== null && client.signaling.displayName === name && link === `${location.origin}/call/${client.peerId}`;
    },
    WAIT,
    name,
  );
  const link = await app.page.$eval(byTestId('oneone-my-link'), (el) => el.textContent ?? '');
  const peerId = await app.page.evaluate(() => (window as unknown as AppWindow).__rendezvous.callClient!.peerId);
  return { ...app, link, peerId };
}

/** Bob opens Alice's call link and presses Call; Alice's incoming-call overlay shows Bob. */
async function ringAliceFromBob(): Promise<{ alice: AppPage; bob: AppPage }> {
  const alice = await openPhone('/call', 'Alice');
  assert.match(alice.link, /\/call\/[A-Za-z0-9_-]{8,64}$/);
  const bob = await openPhone(new URL(alice.link).pathname, 'Bob');
  assert.equal(await bob.page.evaluate(() => location.pathname), `/call/${alice.peerId}`);
  await bob.page.bringToFront();
  await bob.page.waitForSelector(`${byTestId('oneone-call')}:not([disabled])`, WAIT);
  await bob.page.click(byTestId('oneone-call'));
  await alice.page.waitForSelector(byTestId('incoming-call'), WAIT);
  assert.equal(await alice.page.$eval(`${byTestId('incoming-call')} .incoming-name`, (el) => el.textContent), 'Bob');
  return { alice, bob };
}

test('1:1 from a call link: accept with the keyboard, media flows, hang-up ends it on both sides', async () => {
  const { alice, bob } = await ringAliceFromBob();
  await alice.page.bringToFront();
  assert.equal(
    await alice.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset['testid']),
    'incoming-accept',
  );
  await alice.page.keyboard.press('Enter');

  await Promise.all([
    alice.page.waitForSelector(byTestId('call-view'), WAIT),
    bob.page.waitForSelector(byTestId('call-view'), WAIT),
  ]);
  assert.equal(await alice.page.$(byTestId('incoming-call')), null);
  await Promise.all([framesRising(alice.page), framesRising(bob.page)]);
  assert.equal(await tileCount(alice.page), 2);

  await bob.page.bringToFront();
  await bob.page.click(byTestId('control-hangup'));
  const ended = `${byTestId('call-ended')} ${byTestId('call-status')}`;
  await Promise.all([alice.page.waitForSelector(ended, WAIT), bob.page.waitForSelector(ended, WAIT)]);
  assert.equal(await alice.page.$eval(ended, (el) => el.getAttribute('data-reason')), 'hangup');
  assert.match(await alice.page.$eval(ended, (el) => el.textContent ?? ''), /Bob hung up/);
  assert.equal(await bob.page.$eval(ended, (el) => el.getAttribute('data-reason')), 'self');

  for (const side of [alice, bob]) {
    await waitAllClosed(side.page);
    const { created, open } = await connections(side.page);
    assert.ok(created >= 1, 'a peer connection was made during the call');
    assert.equal(open, 0, 'no RTCPeerConnection left open after hang-up');
    assert.equal(await side.page.evaluate(() => (window as unknown as AppWindow).__rendezvous.room), null);
  }
  await closeApps(alice, bob);
});

test('1:1 rejected: the caller is told the call was declined', async () => {
  const { alice, bob } = await ringAliceFromBob();
  await alice.page.bringToFront();
  await alice.page.click(byTestId('incoming-reject'));
  await alice.page.waitForFunction(() => document.querySelector('[data-testid="incoming-call"]') === null, WAIT);
  const status = await bob.page.waitForFunction(() => {
    const text = document.querySelector('[data-testid="call-status"]')?.textContent ?? '';
    return /declined|rejected/i.test(text) ? text : false;
  }, WAIT);
  assert.match(String(await status.jsonValue()), /Alice declined the call/);
  assert.equal(await bob.page.$(byTestId('call-view')), null);
  assert.deepEqual(await connections(bob.page), { created: 0, open: 0 });
  assert.deepEqual(await connections(alice.page), { created: 0, open: 0 });
  await closeApps(alice, bob);
});

test('on a phone-sized screen the controls are all on screen and reachable with Tab', async () => {
  const phone = await open('/room/phone-check', { width: 360, height: 740, isMobile: true, hasTouch: true });
  const phoneId = await joinFromPrejoin(phone.page, 'Pat');
  const other = await open('/room/phone-check');
  const otherId = await joinFromPrejoin(other.page, 'Quinn');
  await remoteTileConnected(phone.page, otherId);
  await remoteTileConnected(other.page, phoneId);
  await phone.page.bringToFront();

  const layout = await phone.page.evaluate(() => {
    const inside = (r: DOMRect): boolean =>
      r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
    const bar = document.querySelector('[data-testid="call-view"] [role="toolbar"]');
    const buttons = [...(bar?.querySelectorAll<HTMLElement>('button') ?? [])].filter((b) => b.offsetParent !== null);
    return {
      viewport: [window.innerWidth, window.innerHeight],
      bar: bar ? inside(bar.getBoundingClientRect()) : false,
      outside: buttons.filter((b) => !inside(b.getBoundingClientRect())).map((b) => b.dataset['testid']),
      buttons: buttons.length,
      scrollsSideways: document.documentElement.scrollWidth > window.innerWidth,
    };
  });
  assert.deepEqual(layout.viewport, [360, 740]);
  assert.equal(layout.bar, true, 'the control bar is inside the viewport');
  assert.deepEqual(layout.outside, [], 'every control is inside the viewport');
  assert.ok(layout.buttons >= 5);
  assert.equal(layout.scrollsSideways, false);

  const focused: string[] = [];
  for (let i = 0; i < 25; i++) {
    await phone.page.keyboard.press('Tab');
    focused.push(
      await phone.page.evaluate(
        () => (document.activeElement as HTMLElement | null)?.dataset['testid'] ?? document.activeElement?.tagName ?? '',
      ),
    );
  }
  for (const id of ['control-mic', 'control-camera', 'control-devices', 'control-invite', 'control-leave']) {
    assert.ok(focused.includes(id), `${id} is reachable with Tab (focused: ${focused.join(', ')})`);
  }
  await closeApps(phone, other);
});
