/**
 * The quick start of docs/sdk.md, run as written in two browsers (Chromium and Firefox): the code block is
 * read from the doc and run as a module script. Only its import line is replaced: here the SDK is
 * window.Rendezvous, and the page's origin is the test page server, so `SignalingClient.urlFor()` points at
 * the test's signaling server instead.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { browserOf, useFixture } from './harness/fixture.js';
import { leftovers, openPeerPage } from './harness/peer.js';

const fx = useFixture(['chromium', 'firefox']);
const WAIT = { polling: 200, timeout: 30_000 };

/** The first ```js block after "## Quick start" in docs/sdk.md. */
function quickStart(): string {
  const doc = readFileSync(new URL('../docs/sdk.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## Quick start'));
  const match = /```js\n([\s\S]*?)```/.exec(section);
  assert.ok(match?.[1] !== undefined, 'docs/sdk.md has a ```js quick start');
  return match[1];
}

const IMPORT = "import { LocalMedia, Room, SignalingClient } from '@rendezvous/client';";

/** Runs the quick start in `page` and resolves once it has joined (the module's top level finished). */
async function runQuickStart(page: Page, wsUrl: string): Promise<void> {
  const code = quickStart();
  assert.ok(code.includes(IMPORT), 'the quick start imports what it uses');
  const wired = code.replace(
    IMPORT,
    `const { LocalMedia, Room } = window.Rendezvous;\nconst SignalingClient = { urlFor: () => ${JSON.stringify(wsUrl)} };`,
  );
  await page.addScriptTag({ type: 'module', content: `${wired}\nwindow.quickStartDone = true;` });
  await page.waitForFunction(() => (window as unknown as { quickStartDone?: boolean }).quickStartDone === true, WAIT);
}

/** True once one <video> plays the other side's camera (frames of a real size, time moving). */
function videoPlaying(page: Page): Promise<unknown> {
  return page.waitForFunction(() => {
    const videos = [...document.querySelectorAll('video')];
    return videos.length === 1 && videos[0]!.videoWidth > 0 && videos[0]!.currentTime > 0.5;
  }, WAIT);
}

test('the quick start of docs/sdk.md works as written: Chromium and Firefox see each other, the message arrives, leave cleans up', async () => {
  const first = await openPeerPage(browserOf(fx, 'chromium'), fx.pages.url);
  const second = await openPeerPage(browserOf(fx, 'firefox'), fx.pages.url);
  const logged: string[] = [];
  const hello = new Promise<void>((resolve) =>
    first.on('console', (message) => {
      logged.push(message.text());
      if (message.text() === 'Ada: hello from Ada') {
        resolve();
      }
    }),
  );

  await runQuickStart(first, fx.server.wsUrl); // alone: nobody to show yet
  await runQuickStart(second, fx.server.wsUrl); // finds the first one already in the room
  await Promise.all([videoPlaying(first), videoPlaying(second)]);
  await first.waitForFunction(() => document.querySelectorAll('video').length === 1, WAIT);
  // The second one said hello right after joining; the first one logged it with the sender's name.
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no hello; console: ${logged.join(' | ')}`)), WAIT.timeout);
  });
  await Promise.race([hello, late]).finally(() => clearTimeout(timer));

  // The second one leaves: its video element goes from the first page, and nothing runs on in it.
  await second.evaluate(() => (window as unknown as { leaveRoom(): Promise<void> }).leaveRoom());
  await first.waitForFunction(() => document.querySelectorAll('video').length === 0, WAIT);
  assert.deepEqual(await leftovers(second), { openConnections: 0, liveTracks: 0 });
  await first.evaluate(() => (window as unknown as { leaveRoom(): Promise<void> }).leaveRoom());
  assert.deepEqual(await leftovers(first), { openConnections: 0, liveTracks: 0 });
  await first.close();
  await second.close();
});
