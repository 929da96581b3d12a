import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { DataConnection, Peer, PeerOptions } from 'peerjs';
import { launchBrowser, type LaunchedBrowser } from './harness/browsers.js';
import { startTestServer } from './harness/server.js';

/** The unmodified peerjs client, as npm ships it for a script tag (it sets window.Peer). */
const CLIENT = new URL('../node_modules/peerjs/dist/peerjs.min.js', import.meta.url);

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>peerjs e2e</title></head>
<body><script>window.__name = (f) => f;</script><script src="/peerjs.min.js"></script></body></html>`;

interface PeerWindow {
  Peer: new (id: string | undefined, options: PeerOptions) => Peer;
  peer: Peer;
}

let server: Awaited<ReturnType<typeof startTestServer>>;
let pages: Server;
let pageUrl: string;
let chromium: LaunchedBrowser;

before(async () => {
  server = await startTestServer();
  const client = await readFile(CLIENT, 'utf8');
  // Served from another origin than the server, as a peerjs app usually is.
  pages = createServer((req, res) => {
    const script = req.url === '/peerjs.min.js';
    res.writeHead(200, { 'content-type': script ? 'text/javascript; charset=utf-8' : 'text/html; charset=utf-8' });
    res.end(script ? client : PAGE);
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}/`;
  chromium = await launchBrowser('chromium');
});

after(async () => {
  await chromium?.close();
  pages?.closeAllConnections();
  await new Promise((resolve) => pages?.close(resolve));
  await server?.close();
});

async function openPage(): Promise<Page> {
  const page = await chromium.browser.newPage();
  page.on('pageerror', (error) => console.error('[peerjs page error]', error));
  await page.goto(pageUrl);
  await page.waitForFunction(() => 'Peer' in window, { polling: 100, timeout: 10_000 });
  return page;
}

/** Creates window.peer (with `id`, or one from the server) and resolves with its id once open, or the error type. */
function openPeer(page: Page, id: string | undefined): Promise<{ id?: string; error?: string }> {
  const options: PeerOptions = { host: '127.0.0.1', port: server.port, path: '/peerjs', key: 'peerjs', secure: false };
  return page.evaluate(
    (id, options) =>
      new Promise<{ id?: string; error?: string }>((resolve) => {
        const w = window as unknown as PeerWindow;
        w.peer = new w.Peer(id ?? undefined, { ...options, config: { iceServers: [] }, debug: 0 });
        w.peer.on('open', (opened) => resolve({ id: opened }));
        w.peer.on('error', (error) => resolve({ error: error.type }));
        setTimeout(() => resolve({ error: 'timeout in page' }), 10_000);
      }),
    id ?? null,
    options,
  );
}

test('the unmodified peerjs client: json and binary data connection round trips, ID-TAKEN and peer-unavailable', async () => {
  const [alicePage, bobPage, thirdPage] = [await openPage(), await openPage(), await openPage()];
  const alice = await openPeer(alicePage, 'alice-e2e');
  assert.deepEqual(alice, { id: 'alice-e2e' });
  await alicePage.evaluate(() => {
    const w = window as unknown as PeerWindow;
    w.peer.on('connection', (conn: DataConnection) => conn.on('data', (data) => void conn.send({ echo: data })));
  });

  // Without an id, the client asks GET /peerjs/peerjs/id from another origin.
  const bob = await openPeer(bobPage, undefined);
  assert.match(bob.id ?? String(bob.error), /^[0-9a-f-]{36}$/);

  for (const serialization of ['json', 'binary'] as const) {
    const echoed = await bobPage.evaluate(
      (serialization) =>
        new Promise<unknown>((resolve, reject) => {
          const w = window as unknown as PeerWindow;
          const conn = w.peer.connect('alice-e2e', { serialization, reliable: true });
          conn.on('open', () => void conn.send({ hello: 'world', n: [1, 2, 3] }));
          conn.on('data', resolve);
          conn.on('error', (error) => reject(new Error(error.type)));
          setTimeout(() => reject(new Error('no echo within 15 s')), 15_000);
        }),
      serialization,
    );
    assert.deepEqual(echoed, { echo: { hello: 'world', n: [1, 2, 3] } }, serialization);
  }

  // The same id from another client (another token) is refused while alice holds it.
  assert.deepEqual(await openPeer(thirdPage, 'alice-e2e'), { error: 'unavailable-id' });

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
});
