import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { launchBrowser, type LaunchedBrowser } from './harness/browsers.js';
import {
  answerEverything,
  callPeer,
  decodedFrames,
  echoThrough,
  logged,
  openPage,
  openPeer,
  startPeerjsPages,
  type PeerWindow,
} from './harness/peerjs-client.js';
import { startTestServer } from './harness/server.js';
import { loadPeerjsStandaloneConfig } from '../apps/server/src/peerjs-standalone-options.js';
import { startPeerjsStandalone } from '../apps/server/src/peerjs-standalone.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
let pages: Awaited<ReturnType<typeof startPeerjsPages>>;
let chromium: LaunchedBrowser;
let firefox: LaunchedBrowser | undefined;

before(async () => {
  server = await startTestServer();
  pages = await startPeerjsPages();
  chromium = await launchBrowser('chromium');
});

after(async () => {
  await firefox?.close();
  await chromium?.close();
  await pages?.close();
  await server?.close();
});

const inChromium = (): Promise<Page> => openPage(chromium.browser, pages.url);

async function closePages(...list: Page[]): Promise<void> {
  await Promise.all(list.map((page) => page.close()));
}

/** Frames decoded on both pages' latest call, and still being decoded. */
async function assertVideoBothWays(a: Page, b: Page): Promise<void> {
  const [fromB, fromA] = await Promise.all([decodedFrames(a), decodedFrames(b)]);
  for (const [label, frames] of [
    ['decoded by the first page', fromB],
    ['decoded by the second page', fromA],
  ] as const) {
    assert.ok(frames.first > 0 && frames.later > frames.first, `${label}: ${JSON.stringify(frames)}`);
  }
}

test('the unmodified peerjs client: json and binary data connection round trips, ID-TAKEN and peer-unavailable', async () => {
  const [alicePage, bobPage, thirdPage] = await Promise.all([inChromium(), inChromium(), inChromium()]);
  const alice = await openPeer(alicePage, 'alice-e2e', server.port);
  assert.deepEqual(alice, { id: 'alice-e2e' });
  await answerEverything(alicePage);

  // Without an id, the client asks GET /peerjs/peerjs/id from another origin.
  const bob = await openPeer(bobPage, undefined, server.port);
  assert.match(bob.id ?? String(bob.error), /^[0-9a-f-]{36}$/);

  for (const serialization of ['json', 'binary'] as const) {
    const echoed = await echoThrough(bobPage, 'alice-e2e', serialization);
    assert.deepEqual(echoed, { echo: { hello: 'world', n: [1, 2, 3] } }, serialization);
  }

  // The same id from another client (another token) is refused while alice holds it.
  assert.deepEqual(await openPeer(thirdPage, 'alice-e2e', server.port), { error: 'unavailable-id' });

  // An id nobody holds: the offer waits on the server, then EXPIRE comes back as peer-unavailable.
  const unknown = await bobPage.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const w = window as unknown as PeerWindow;
        w.peer.on('error', (error) => resolve(error.type));
        w.peer.connect('nobody-here', { serialization: 'json' });
        setTimeout(() => resolve('no error within 10 s'), 10_000);
      }),
  );
  assert.equal(unknown, 'peer-unavailable');
  await closePages(alicePage, bobPage, thirdPage);
});

test('a media call with frames decoded both ways; when the caller drops, the callee gets LEAVE and its call closes', async () => {
  const [callerPage, calleePage] = await Promise.all([inChromium(), inChromium()]);
  assert.deepEqual(await openPeer(callerPage, 'caller-e2e', server.port), { id: 'caller-e2e' });
  assert.deepEqual(await openPeer(calleePage, 'callee-e2e', server.port), { id: 'callee-e2e' });
  await Promise.all([answerEverything(callerPage), answerEverything(calleePage)]);

  await callPeer(callerPage, 'callee-e2e');
  await assertVideoBothWays(callerPage, calleePage);

  // The caller's socket to the server drops; its page, and so the media path, stay up. Only the server's
  // LEAVE (after leave_timeout without the id coming back) tells the callee, whose peerjs then closes the call.
  // (One connection only: peerjs 1.5 closes every other connection to the peer that left, see docs/peerjs.md.)
  await callerPage.evaluate(() => (window as unknown as PeerWindow).peer.disconnect());
  const log = await logged(calleePage, ['server:LEAVE:caller-e2e', 'media:caller-e2e']);
  assert.equal(log.filter((entry) => entry === 'server:LEAVE:caller-e2e').length, 1, log.join(', '));
  await closePages(callerPage, calleePage);
});

test('a peer in Firefox: json and binary data connections and a media call with a Chromium peer', async () => {
  firefox = await launchBrowser('firefox');
  const [foxPage, chromePage] = await Promise.all([openPage(firefox.browser, pages.url), inChromium()]);
  assert.deepEqual(await openPeer(foxPage, 'fox-e2e', server.port), { id: 'fox-e2e' });
  assert.deepEqual(await openPeer(chromePage, 'chrome-e2e', server.port), { id: 'chrome-e2e' });
  await Promise.all([answerEverything(foxPage), answerEverything(chromePage)]);

  for (const serialization of ['json', 'binary'] as const) {
    const echoed = await echoThrough(foxPage, 'chrome-e2e', serialization);
    assert.deepEqual(echoed, { echo: { hello: 'world', n: [1, 2, 3] } }, `Firefox → Chromium, ${serialization}`);
  }
  await callPeer(chromePage, 'fox-e2e');
  await assertVideoBothWays(chromePage, foxPage);
  await closePages(foxPage, chromePage);
});

test('rendezvous peerjs (standalone, PeerServer flags): the unmodified client opens a data connection through it', async () => {
  const argv = ['--port', '0', '--host', '127.0.0.1', '--path', '/myapp', '--key', 'k1', '--log-level', 'silent'];
  const standalone = await startPeerjsStandalone(loadPeerjsStandaloneConfig(argv, {}));
  const [one, two] = await Promise.all([inChromium(), inChromium()]);
  try {
    const endpoint = { path: '/myapp', key: 'k1' };
    assert.deepEqual(await openPeer(one, 'one-e2e', standalone.port, endpoint), { id: 'one-e2e' });
    await answerEverything(one);
    const other = await openPeer(two, undefined, standalone.port, endpoint);
    assert.match(other.id ?? String(other.error), /^[0-9a-f-]{36}$/, 'an id from GET /myapp/k1/id');
    assert.deepEqual(await echoThrough(two, 'one-e2e', 'binary'), { echo: { hello: 'world', n: [1, 2, 3] } });
  } finally {
    await closePages(one, two);
    await standalone.close();
  }
});
