/**
 * /live/<name> in real browsers: a Chromium presenter goes live; a Chromium and a Firefox viewer decode the broadcast
 * without ever calling getUserMedia and see 2 watching; a viewer's chat message reaches the presenter and the other
 * viewer; the presenter invites the Chromium viewer up, who accepts and is then seen presenting by the Firefox viewer.
 * Screenshots (English and Chinese, presenter and viewers) go to /tmp/live-shots.
 *
 * Needs the built app (`npm run build -w apps/web`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { byTestId } from './harness/app.js';
import { useFixture } from './harness/fixture.js';
import {
  WAIT,
  enterLive,
  getUserMediaCalls,
  openLive,
  screenshot,
  sendChat,
  startBroadcast,
  waitChatText,
  waitDecoding,
  waitRole,
  waitStageVideo,
  waitViewerCount,
  type LivePage,
} from './live-pages.js';

const fx = useFixture(['chromium', 'firefox']);
const ROOM = 'live-e2e';

interface ModeWindow {
  __rendezvous: { room: { mode: string } | null };
}

/** The presenter's upload health shows a rating and its numbers (kbps first). */
async function waitHealth(page: Page): Promise<void> {
  await page.bringToFront();
  await page.waitForFunction(() => {
    const bar = document.querySelector<HTMLElement>('[data-testid="live-health"]');
    return bar !== null && !bar.hidden && bar.dataset['level'] !== 'none';
  }, WAIT);
  const [level, details] = await page.$eval(byTestId('live-health'), (el) => [
    (el as HTMLElement).dataset['level'],
    el.querySelector('[data-testid="live-health-details"]')?.textContent ?? '',
  ]);
  assert.ok(['good', 'fair', 'poor'].includes(level ?? ''), `a rating: ${level}`);
  assert.match(details ?? '', /^[\d,]+ kbps · /, 'the numbers, bitrate first');
}

async function closeAll(pages: LivePage[]): Promise<void> {
  for (const { page } of pages) {
    if (!page.isClosed()) {
      await page.close();
    }
  }
  for (const { browser, errors } of pages) {
    assert.deepEqual(errors.map(String), [], `uncaught errors in the ${browser} page`);
  }
}

/** The presenter invites `viewerId` from the People tab; the viewer accepts. */
async function inviteUp(presenter: Page, viewer: Page, viewerId: string): Promise<void> {
  await presenter.bringToFront();
  await presenter.click(byTestId('live-tab-people'));
  const button = `${byTestId('live-person')}[data-peer-id="${viewerId}"] ${byTestId('live-invite')}`;
  await presenter.waitForSelector(button, WAIT);
  await presenter.click(button);
  await viewer.bringToFront();
  await viewer.waitForSelector(byTestId('live-invite-accept'), WAIT);
  await viewer.click(byTestId('live-invite-accept'));
  await waitRole(viewer, 'presenter');
}

async function shootAll(pages: Record<string, LivePage>, language: 'en' | 'zh'): Promise<void> {
  for (const [role, live] of Object.entries(pages)) {
    if (language === 'zh') {
      await live.page.bringToFront();
      await live.page.select(byTestId('live-language'), 'zh-CN');
      await live.page.waitForFunction(() => document.documentElement.lang === 'zh-CN', WAIT);
    }
    await screenshot(live.page, `${role}-${live.browser}-${language}`);
  }
}

test('a live broadcast: viewers in Chromium and Firefox watch without devices, chat, and one is invited up', async () => {
  const presenter = await openLive(fx, 'chromium', ROOM);
  const pages = [presenter];
  try {
    const presenterId = await enterLive(presenter, 'Presenter', true);
    await startBroadcast(presenter);
    assert.equal(await presenter.page.evaluate(() => (window as unknown as ModeWindow).__rendezvous.room?.mode), 'sfu');
    const chromeViewer = await openLive(fx, 'chromium', ROOM);
    const foxViewer = await openLive(fx, 'firefox', ROOM);
    pages.push(chromeViewer, foxViewer);
    const chromeId = await enterLive(chromeViewer, 'Chrome viewer');
    await enterLive(foxViewer, 'Firefox viewer');

    for (const viewer of [chromeViewer, foxViewer]) {
      await viewer.page.bringToFront();
      await waitDecoding(viewer.page, presenterId);
      await waitStageVideo(viewer.page, presenterId);
    }
    for (const { page } of pages) {
      await page.bringToFront();
      await waitViewerCount(page, 2);
    }
    await waitHealth(presenter.page);
    await shootAll({ presenter, viewer: foxViewer }, 'en');

    await sendChat(chromeViewer.page, 'Hello from the audience');
    for (const { page } of [presenter, foxViewer]) {
      await page.bringToFront();
      await waitChatText(page, 'Hello from the audience');
    }
    for (const viewer of [chromeViewer, foxViewer]) {
      assert.equal(await getUserMediaCalls(viewer.page), 0, `the ${viewer.browser} viewer never asked for a device`);
    }

    await inviteUp(presenter.page, chromeViewer.page, chromeId);
    await foxViewer.page.bringToFront();
    await waitDecoding(foxViewer.page, chromeId);
    await waitStageVideo(foxViewer.page, chromeId);
    await waitViewerCount(foxViewer.page, 1);
    assert.equal(await getUserMediaCalls(foxViewer.page), 0, 'the Firefox viewer never asked for a device');
    await shootAll({ presenter, invited: chromeViewer, viewer: foxViewer }, 'zh');
    for (const { page, browser } of [presenter, foxViewer]) {
      await page.setViewport({ width: 390, height: 844 });
      await screenshot(page, `phone-${browser === 'firefox' ? 'viewer' : 'presenter'}-${browser}-zh`);
    }
  } finally {
    await closeAll(pages);
  }
});
