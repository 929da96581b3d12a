import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { browserOf, useFixture } from './harness/fixture.js';
import { joinRoom, leftovers, openPeerPage, roomPeerIds, waitMediaFlowing } from './harness/peer.js';
import { waitFor } from './harness/wait-for.js';

const fx = useFixture(['chromium', 'firefox']);

/** The room's mode as the page's Room reports it. */
function modeOf(page: Page): Promise<string> {
  return page.evaluate(() => (window.t['room'] as { mode: string }).mode);
}

test('an SFU room: one Chromium publisher; six subscribers, in Chromium and Firefox, decode its video and audio', async () => {
  const chromium = browserOf(fx, 'chromium');
  const firefox = browserOf(fx, 'firefox');
  const publisher = await openPeerPage(chromium, fx.pages.url);
  const presenterId = await joinRoom(publisher, fx.server.wsUrl, 'sfu-basic', 'Presenter', { mode: 'sfu' });
  assert.equal(await modeOf(publisher), 'sfu');
  const viewers: Page[] = [];
  for (const [i, browser] of [chromium, firefox, chromium, firefox, chromium, firefox].entries()) {
    const page = await openPeerPage(browser, fx.pages.url);
    await joinRoom(page, fx.server.wsUrl, 'sfu-basic', `Viewer ${i}`, { video: false, audio: false });
    viewers.push(page);
  }
  for (const [i, page] of viewers.entries()) {
    await waitMediaFlowing(page, 1, { timeout: 30_000 }).catch((error: unknown) => {
      throw new Error(`viewer ${i} decodes nothing`, { cause: error });
    });
  }
  const upload = await publisher.evaluate(async () => {
    const room = window.t['room'] as { uploadStats(): Promise<{ bitrateKbps: number; frameWidth: number | null } | null> };
    await room.uploadStats();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return room.uploadStats();
  });
  assert.ok(upload !== null && upload.bitrateKbps > 50 && (upload.frameWidth ?? 0) > 0, JSON.stringify(upload));
  // Two publications (audio, video), one connection each; one subscription (both in one connection) per viewer.
  assert.equal(fx.server.sfu?.stats().connections, 2 + viewers.length);
  await publisher.close();
  for (const page of viewers) {
    await page.waitForFunction(
      (id) => !(window.t['room'] as { peers: Map<string, unknown> }).peers.has(id),
      { polling: 250 },
      presenterId,
    );
    assert.equal((await roomPeerIds(page)).length, viewers.length - 1);
  }
  await waitFor(() => fx.server.sfu?.stats().connections === 0, 'the server closes every connection of and to the publisher');
  for (const page of viewers) {
    assert.deepEqual(await leftovers(page), { openConnections: 0, liveTracks: 0 });
    await page.close();
  }
});
