import { test } from 'node:test';
import { browserOf, useFixture } from './harness/fixture.js';
import { joinRoom, openPeerPage, waitMediaFlowing } from './harness/peer.js';

const fx = useFixture(['chromium']);

test("in a 4-peer mesh every peer decodes every other peer's video", async () => {
  const chromium = browserOf(fx, 'chromium');
  const pages = [];
  for (const name of ['Ada', 'Grace', 'Linus', 'Margaret']) {
    const page = await openPeerPage(chromium, fx.pages.url);
    await joinRoom(page, fx.server.wsUrl, 'mesh-4', name);
    pages.push(page);
  }
  await Promise.all(pages.map((page) => waitMediaFlowing(page, 3, { timeout: 60_000 })));
  for (const page of pages) {
    await page.close();
  }
});
