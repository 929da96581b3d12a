/**
 * Serves the Peer API test page: the SDK's `Peer` (built from source, window.RendezvousPeer) and the unmodified
 * peerjs client as npm ships it for a script tag (window.Peer), from an origin other than the server's.
 */
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { launchBrowser, type BrowserName, type LaunchedBrowser } from '../harness/browsers.js';
import { startTestServer } from '../harness/server.js';
import { openPage } from './peer-drive.js';

const PEERJS_CLIENT = new URL('../../node_modules/peerjs/dist/peerjs.min.js', import.meta.url);

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>peer api e2e</title></head>
<body><script>window.__name = (f) => f;</script><script src="/peerjs.min.js"></script><script src="/peer-sdk.js"></script></body></html>`;

export interface PeerPages {
  url: string;
  close(): Promise<void>;
}

async function sdkBundle(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./peer-entry.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    conditions: ['source'],
    target: 'es2022',
    write: false,
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (file === undefined) {
    throw new Error('esbuild produced no output for the Peer page');
  }
  return file.text;
}

export async function startPeerPages(): Promise<PeerPages> {
  const [sdk, peerjs] = await Promise.all([sdkBundle(), readFile(PEERJS_CLIENT, 'utf8')]);
  const server: Server = createServer((req, res) => {
    const script = req.url === '/peer-sdk.js' ? sdk : req.url === '/peerjs.min.js' ? peerjs : null;
    res.writeHead(200, { 'content-type': script === null ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8' });
    res.end(script ?? PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface PeerApiFixture {
  server: Awaited<ReturnType<typeof startTestServer>>;
  pages: PeerPages;
  browsers: Partial<Record<BrowserName, LaunchedBrowser>>;
  /** A new page of `browser` (default Chromium) on the test page, with the SDK and the peerjs client loaded. */
  open(browser?: BrowserName): Promise<Page>;
}

/** A server, the test page and the named browsers for a file's tests (filled in by `before`, stopped by `after`). */
export function usePeerApiFixture(browsers: BrowserName[]): PeerApiFixture {
  const fixture: PeerApiFixture = {
    browsers: {},
    open: (name = 'chromium') => {
      const launched = fixture.browsers[name];
      if (launched === undefined) {
        throw new Error(`${name} was not launched for this file`);
      }
      return openPage(launched.browser, fixture.pages.url);
    },
  } as PeerApiFixture;
  before(async () => {
    fixture.server = await startTestServer();
    fixture.pages = await startPeerPages();
    for (const name of browsers) {
      fixture.browsers[name] = await launchBrowser(name);
    }
  });
  after(async () => {
    for (const launched of Object.values(fixture.browsers)) {
      await launched.close();
    }
    await fixture.pages?.close();
    await fixture.server?.close();
  });
  return fixture;
}
