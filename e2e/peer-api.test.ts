import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { DataConnection as PjsData, MediaConnection as PjsMedia, Peer as PjsPeer, PeerOptions as PjsOptions } from 'peerjs';
import type { DataConnection, MediaConnection, Peer } from '../packages/client/src/peer/index.js';
import { launchBrowser, type LaunchedBrowser } from './harness/browsers.js';
import { startTestServer } from './harness/server.js';
import { startPeerPages, type PeerPages } from './page/peer-pages.js';

/** What the pages hold between evaluate calls (window.t). */
interface Scratch {
  peer: Peer;
  pjs: PjsPeer;
  stream: MediaStream;
  call: MediaConnection;
  pjsCall: PjsMedia;
  closed: string[];
}
interface PjsWindow {
  Peer: new (id: string | undefined, options: PjsOptions) => PjsPeer;
}

let server: Awaited<ReturnType<typeof startTestServer>>;
let pages: PeerPages;
let chromium: LaunchedBrowser;

before(async () => {
  server = await startTestServer();
  pages = await startPeerPages();
  chromium = await launchBrowser('chromium');
});

after(async () => {
  await chromium?.close();
  await pages?.close();
  await server?.close();
});

async function openPage(): Promise<Page> {
  const page = await chromium.browser.newPage();
  page.on('pageerror', (error) => console.error('[peer-api page error]', error));
  await page.goto(pages.url);
  await page.waitForFunction(() => 'RendezvousPeer' in window && 'Peer' in window, { polling: 100, timeout: 10_000 });
  return page;
}

/** An SDK Peer in `page` (window.t.peer) that echoes data and answers calls with the camera; resolves with its id. */
function sdkPeer(page: Page, id: string | null, storage = false): Promise<string> {
  return page.evaluate(
    async (id, url, storage) => {
      const { Peer, camera } = window.RendezvousPeer;
      const t = window.t as unknown as Scratch;
      t.stream = await camera();
      t.closed = [];
      const options = { url, ...(storage ? { storage: sessionStorage } : {}) };
      t.peer = id === null ? new Peer(options) : new Peer(id, options);
      t.peer.on('connection', (conn: DataConnection) => {
        conn.on('data', (data) => conn.send({ echo: data }));
        conn.on('close', () => t.closed.push(`data:${conn.serialization}`));
      });
      t.peer.on('call', (call: MediaConnection) => {
        t.call = call;
        call.on('close', () => t.closed.push('call'));
        call.answer(t.stream);
      });
      return new Promise<string>((resolve, reject) => {
        t.peer.on('open', resolve);
        t.peer.on('error', (error) => reject(new Error(`${error.type} ${error.message}`)));
        setTimeout(() => reject(new Error('no open within 10 s')), 10_000);
      });
    },
    id,
    server.origin,
    storage,
  );
}

/** The unmodified peerjs client in `page` (window.t.pjs), echoing data and answering calls with the camera. */
function peerjsPeer(page: Page, id: string): Promise<string> {
  const options: PjsOptions = { host: '127.0.0.1', port: server.port, path: '/peerjs', key: 'peerjs', secure: false };
  return page.evaluate(
    async (id, options) => {
      const t = window.t as unknown as Scratch;
      t.stream = await window.RendezvousPeer.camera();
      t.closed = [];
      t.pjs = new (window as unknown as PjsWindow).Peer(id, { ...options, config: { iceServers: [] }, debug: 0 });
      t.pjs.on('connection', (conn: PjsData) => conn.on('data', (data) => void conn.send({ echo: data })));
      t.pjs.on('call', (call: PjsMedia) => {
        t.pjsCall = call;
        call.on('close', () => t.closed.push('call'));
        call.answer(t.stream);
      });
      return new Promise<string>((resolve, reject) => {
        t.pjs.on('open', resolve);
        t.pjs.on('error', (error) => reject(new Error(error.type)));
        setTimeout(() => reject(new Error('no open within 10 s')), 10_000);
      });
    },
    id,
    options,
  );
}

/** From the SDK Peer in `page`: a data connection to `to`; sends a small value and a chunked 100 kB one, returns what came back. */
function sdkRoundTrip(page: Page, to: string, serialization: 'json' | 'binary'): Promise<{ small: unknown; large: boolean }> {
  return page.evaluate(
    (to, serialization) =>
      new Promise<{ small: unknown; large: boolean }>((resolve, reject) => {
        const { pattern, isPattern } = window.RendezvousPeer;
        const conn = (window.t as unknown as Scratch).peer.connect(to, { serialization, metadata: { via: 'sdk' } });
        const replies: unknown[] = [];
        conn.on('open', () => {
          conn.send({ hello: 'world', n: [1, 2, 3] });
          if (serialization === 'binary') {
            conn.send(pattern(100_000));
          }
        });
        conn.on('data', (data) => {
          replies.push((data as { echo: unknown }).echo);
          if (replies.length === (serialization === 'binary' ? 2 : 1)) {
            resolve({ small: replies[0], large: serialization === 'json' || isPattern(replies[1], 100_000) });
          }
        });
        conn.on('error', (error) => reject(new Error(`${error.type} ${error.message}`)));
        setTimeout(() => reject(new Error('no echo within 15 s')), 15_000);
      }),
    to,
    serialization,
  );
}

/** From the SDK Peer in `page`: calls `to` with the camera; resolves once the remote stream arrived (window.t.call). */
function sdkCall(page: Page, to: string): Promise<void> {
  return page.evaluate(
    (to) =>
      new Promise<void>((resolve, reject) => {
        const t = window.t as unknown as Scratch;
        t.call = t.peer.call(to, t.stream, { metadata: { hi: 1 } });
        t.call.on('close', () => t.closed.push('call'));
        t.call.on('stream', () => resolve());
        t.call.on('error', (error) => reject(new Error(`${error.type} ${error.message}`)));
        setTimeout(() => reject(new Error('no remote stream within 15 s')), 15_000);
      }),
    to,
  );
}

/** Waits for the first decoded frame of the SDK call in `page`, then checks frames keep rising. */
async function sdkFramesRising(page: Page): Promise<boolean> {
  await page.waitForFunction(async () => (await window.RendezvousPeer.framesDecoded((window.t as unknown as Scratch).call)) > 0, {
    polling: 200,
    timeout: 15_000,
  });
  return page.evaluate(() => window.RendezvousPeer.framesRising((window.t as unknown as Scratch).call));
}

/** The same for the peerjs client's call in `page`. */
async function pjsFramesRising(page: Page): Promise<boolean> {
  await page.waitForFunction(
    async () => {
      const pc = (window.t as unknown as Scratch).pjsCall.peerConnection;
      return (await window.RendezvousPeer.framesDecoded({ getStats: () => pc.getStats() })) > 0;
    },
    { polling: 200, timeout: 15_000 },
  );
  return page.evaluate(() => {
    const pc = (window.t as unknown as Scratch).pjsCall.peerConnection;
    return window.RendezvousPeer.framesRising({ getStats: () => pc.getStats() });
  });
}

async function waitClosed(page: Page, what: string): Promise<void> {
  await page.waitForFunction(
    (what) => (window.t as unknown as Scratch).closed.includes(what),
    { polling: 100, timeout: 10_000 },
    what,
  );
}

test('SDK Peer to SDK Peer: json and binary data, a call with frames both ways, close on both sides', async () => {
  const [a, b] = [await openPage(), await openPage()];
  assert.equal(await sdkPeer(a, 'sdk-a'), 'sdk-a');
  assert.equal(await sdkPeer(b, 'sdk-b'), 'sdk-b');
  for (const serialization of ['json', 'binary'] as const) {
    const echoed = await sdkRoundTrip(b, 'sdk-a', serialization);
    assert.deepEqual(echoed, { small: { hello: 'world', n: [1, 2, 3] }, large: true }, serialization);
  }
  await sdkCall(b, 'sdk-a');
  assert.equal(await sdkFramesRising(b), true, 'the caller decodes the callee’s video');
  assert.equal(await sdkFramesRising(a), true, 'the callee decodes the caller’s video');
  assert.deepEqual(await a.evaluate(() => (window.t as unknown as Scratch).call.metadata), { hi: 1 });

  await b.evaluate(() => (window.t as unknown as Scratch).call.close());
  await waitClosed(a, 'call');
  await a.evaluate(() => (window.t as unknown as Scratch).peer.destroy());
  await b.evaluate(() => (window.t as unknown as Scratch).peer.destroy());
  await Promise.all([a.close(), b.close()]);
});

test('an unmodified peerjs client and an SDK Peer: calls both ways with frames, json and binary data both ways', async () => {
  const [pj, sdk] = [await openPage(), await openPage()];
  assert.equal(await peerjsPeer(pj, 'pjs-1'), 'pjs-1');
  assert.equal(await sdkPeer(sdk, 'sdk-1'), 'sdk-1');

  // The peerjs client connects to the SDK peer.
  for (const serialization of ['json', 'binary'] as const) {
    const echoed = await pj.evaluate(
      (serialization) =>
        new Promise<unknown>((resolve, reject) => {
          const conn = (window.t as unknown as Scratch).pjs.connect('sdk-1', { serialization, reliable: true });
          conn.on('open', () => void conn.send({ hello: 'peerjs', n: [4, 5] }));
          conn.on('data', resolve);
          conn.on('error', (error) => reject(new Error(error.type)));
          setTimeout(() => reject(new Error('no echo within 15 s')), 15_000);
        }),
      serialization,
    );
    assert.deepEqual(echoed, { echo: { hello: 'peerjs', n: [4, 5] } }, serialization);
  }
  // The SDK peer connects to the peerjs client (binary includes a message peerjs must put together from chunks).
  for (const serialization of ['json', 'binary'] as const) {
    const echoed = await sdkRoundTrip(sdk, 'pjs-1', serialization);
    assert.deepEqual(echoed, { small: { hello: 'world', n: [1, 2, 3] }, large: true }, serialization);
  }

  // The SDK peer calls the peerjs client.
  await sdkCall(sdk, 'pjs-1');
  assert.equal(await sdkFramesRising(sdk), true, 'SDK caller decodes peerjs video');
  assert.equal(await pjsFramesRising(pj), true, 'peerjs callee decodes SDK video');
  await sdk.evaluate(() => (window.t as unknown as Scratch).call.close());

  // The peerjs client calls the SDK peer.
  await pj.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const t = window.t as unknown as Scratch;
        t.pjsCall = t.pjs.call('sdk-1', t.stream);
        t.pjsCall.on('close', () => t.closed.push('call'));
        t.pjsCall.on('stream', () => resolve());
        setTimeout(() => reject(new Error('no remote stream within 15 s')), 15_000);
      }),
  );
  assert.equal(await pjsFramesRising(pj), true, 'peerjs caller decodes SDK video');
  assert.equal(await sdkFramesRising(sdk), true, 'SDK callee decodes peerjs video');

  // Hanging up on the SDK side: the last connection to the peerjs client ends with a LEAVE, which closes its call.
  await sdk.evaluate(() => (window.t as unknown as Scratch).peer.destroy());
  await waitClosed(pj, 'call');
  await pj.evaluate(() => (window.t as unknown as Scratch).pjs.destroy());
  await Promise.all([pj.close(), sdk.close()]);
});

test('SDK Peer reconnect: after a reload the stored session brings the same id back, and others reach it again', async () => {
  const [page, other] = [await openPage(), await openPage()];
  const first = await sdkPeer(page, null, true);
  assert.match(first, /\S/);
  await page.reload();
  await page.waitForFunction(() => 'RendezvousPeer' in window, { polling: 100, timeout: 10_000 });
  assert.equal(await sdkPeer(page, null, true), first, 'the reloaded page gets its id back');

  assert.equal(await sdkPeer(other, 'sdk-other'), 'sdk-other');
  const echoed = await sdkRoundTrip(other, first, 'json');
  assert.deepEqual(echoed, { small: { hello: 'world', n: [1, 2, 3] }, large: true });
  await page.evaluate(() => (window.t as unknown as Scratch).peer.destroy());
  await other.evaluate(() => (window.t as unknown as Scratch).peer.destroy());
  await Promise.all([page.close(), other.close()]);
});
