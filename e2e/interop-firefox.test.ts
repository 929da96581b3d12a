import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Room } from '@rendezvous/client';
import { browserOf, useFixture } from './harness/fixture.js';
import { joinRoom, leftovers, openPeerPage, waitMediaFlowing } from './harness/peer.js';

const fx = useFixture(['chromium', 'firefox']);

test("a Chromium ↔ Firefox call: both decode each other's video and receive audio", async () => {
  const chrome = await openPeerPage(browserOf(fx, 'chromium'), fx.pages.url);
  const firefox = await openPeerPage(browserOf(fx, 'firefox'), fx.pages.url);
  await joinRoom(chrome, fx.server.wsUrl, 'interop', 'Chromium');
  await joinRoom(firefox, fx.server.wsUrl, 'interop', 'Firefox');
  await Promise.all([waitMediaFlowing(chrome, 1, { timeout: 45_000 }), waitMediaFlowing(firefox, 1, { timeout: 45_000 })]);

  for (const page of [chrome, firefox]) {
    await page.evaluate(() => (window.t['room'] as Room).leave());
    assert.deepEqual(await leftovers(page), { openConnections: 0, liveTracks: 0 });
  }
});
