/**
 * /pair, pairing with no server, in two Chromium pages on the built app (`npm run build -w apps/web`), driven
 * through the page's own text fields: A creates an invitation, B pastes it and answers, A pastes the answer; then
 * the server process is killed, and chat goes both ways and a file arrives with the same SHA-256. Also: a
 * malformed, a truncated and a stale invitation each get their message (by data-testid and code), and nothing on
 * the page asks /ws or /api for anything. Screenshots (English and Chinese, wide and phone) go to /tmp/ui-pair-*.png.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ElementHandle, Page } from 'puppeteer-core';
import { encodePairingBlob } from '../packages/client/src/pairing/blob-codec.js';
import { launchBrowser, type LaunchedBrowser } from './harness/browsers.js';

const WAIT = { polling: 250, timeout: 30_000 } as const;
const byTestId = (id: string): string => `[data-testid="${id}"]`;
const ROOT = new URL('..', import.meta.url).pathname;

interface ServerProcess {
  child: ChildProcess;
  origin: string;
}

/** Runs `rendezvous start` as its own process on a free port; resolves with its origin from the start-up lines. */
function startServerProcess(): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      'apps/server/src/main.ts',
      'start',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--no-turn',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent' } },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const origin = /Local:\s+(http:\/\/\S+?)\/?\s/.exec(out)?.[1];
      if (origin !== undefined) {
        resolve({ child, origin });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`the server exited (${code}): ${out}`)));
  });
}

function killServer(server: ServerProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      return resolve();
    }
    server.child.once('exit', () => resolve());
    server.child.kill('SIGKILL');
  });
}

let server: ServerProcess;
let chromium: LaunchedBrowser;
before(async () => {
  server = await startServerProcess();
  chromium = await launchBrowser('chromium');
});
after(async () => {
  await chromium?.close();
  if (server !== undefined) {
    await killServer(server);
  }
});

interface PairPage {
  page: Page;
  errors: string[];
  /** Requests to /ws or /api made after the page loaded. */
  serverCalls: string[];
}

async function openPair(languages = ['en-US', 'en']): Promise<PairPage> {
  const page = await chromium.browser.newPage();
  const errors: string[] = [];
  const serverCalls: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/ws') || path.startsWith('/api')) {
      serverCalls.push(request.url());
    }
  });
  await page.evaluateOnNewDocument(`window.__name = (f) => f;
Object.defineProperty(Navigator.prototype, 'languages', { get: () => ${JSON.stringify(languages)} });
localStorage.removeItem('rendezvous.language');`);
  await page.setViewport({ width: 1280, height: 800 });
  await page.goto(`${server.origin}/pair`, { waitUntil: 'load' });
  await page.waitForSelector(byTestId('pair-start'), WAIT);
  return { page, errors, serverCalls };
}

/** Puts `text` in the text area `testid` as a paste would (one input event), then clicks its button. */
async function pasteAndSubmit(page: Page, testid: string, text: string): Promise<void> {
  await page.bringToFront();
  await page.$eval(
    byTestId(testid),
    (el, value) => {
      const area = el as HTMLTextAreaElement;
      area.value = value;
      area.dispatchEvent(new Event('input', { bubbles: true }));
    },
    text,
  );
  await page.click(byTestId(`${testid}-submit`));
}

const valueOf = (page: Page, testid: string): Promise<string> =>
  page.$eval(byTestId(testid), (el) => (el as HTMLTextAreaElement).value);

async function waitForValue(page: Page, testid: string): Promise<string> {
  await page.bringToFront();
  await page.waitForFunction(
    (id) => (document.querySelector<HTMLTextAreaElement>(`[data-testid="${id}"]`)?.value ?? '') !== '',
    WAIT,
    testid,
  );
  return valueOf(page, testid);
}

async function waitForState(page: Page, state: string): Promise<void> {
  await page.bringToFront();
  await page.waitForSelector(`${byTestId('pair-status')}[data-state="${state}"]`, WAIT);
}

/** The error under the box: its code and text, once shown. */
async function shownError(page: Page): Promise<{ code: string; text: string }> {
  await page.bringToFront();
  const el = await page.waitForSelector(`${byTestId('pair-error')}[data-code]:not([data-code=""])`, WAIT);
  return el!.evaluate((node) => ({ code: node.getAttribute('data-code') ?? '', text: node.textContent ?? '' }));
}

test('a malformed, a truncated and a stale invitation each get their own message', async () => {
  const { page, errors } = await openPair();
  await page.click(byTestId('pair-join'));
  await page.waitForSelector(byTestId('pair-offer-input'), WAIT);
  const fresh = await encodePairingBlob({
    kind: 'offer',
    sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n',
    createdAt: Date.now(),
    tag: 1,
  });
  const stale = await encodePairingBlob({ kind: 'offer', sdp: 'v=0\r\n', createdAt: Date.now() - 60 * 60_000, tag: 1 });
  const cases: Array<[string, string, RegExp]> = [
    ['this is not an invitation', 'PAIRING_MALFORMED', /not a pairing code/],
    [fresh.slice(0, Math.floor(fresh.length / 2)), 'PAIRING_TRUNCATED', /cut short/],
    [stale, 'PAIRING_STALE', /too old \(more than 15 minutes\)/],
  ];
  for (const [text, code, words] of cases) {
    await page.$eval(byTestId('pair-error'), (el) => el.removeAttribute('data-code'));
    await pasteAndSubmit(page, 'pair-offer-input', text);
    const shown = await shownError(page);
    assert.equal(shown.code, code);
    assert.match(shown.text, words);
  }
  await page.screenshot({ path: '/tmp/ui-pair-en-wide-error.png' });
  assert.deepEqual(errors, []);
  await page.close();
});

test('paired by copy and paste, then with the server process killed: chat both ways and a file arrives intact', async () => {
  const a = await openPair();
  const b = await openPair();
  await a.page.bringToFront();
  await a.page.click(byTestId('pair-start'));
  const offer = await waitForValue(a.page, 'pair-offer');
  assert.match(offer, /^RZP1[A-Za-z0-9_-]+$/);
  assert.equal(await a.page.$eval(byTestId('pair-offer-qr'), (el) => (el as HTMLCanvasElement).hidden), false);
  await a.page.screenshot({ path: '/tmp/ui-pair-en-wide-invite.png' });

  await b.page.bringToFront();
  await b.page.click(byTestId('pair-join'));
  await pasteAndSubmit(b.page, 'pair-offer-input', offer);
  const answer = await waitForValue(b.page, 'pair-answer');
  await waitForState(b.page, 'waiting');
  // An invitation pasted where the answer belongs is refused by kind.
  await pasteAndSubmit(a.page, 'pair-answer-input', offer);
  assert.equal((await shownError(a.page)).code, 'PAIRING_WRONG_KIND');
  await pasteAndSubmit(a.page, 'pair-answer-input', answer);
  await waitForState(a.page, 'connected');
  await waitForState(b.page, 'connected');
  console.log(`offer blob ${offer.length} characters, answer blob ${answer.length}`);

  await killServer(server);
  await assert.rejects(fetch(`${server.origin}/healthz`), 'the server is gone');

  await sendChat(a.page, 'hello from A, no server');
  await seesMessage(b.page, 'hello from A, no server');
  await sendChat(b.page, 'and back from B');
  await seesMessage(a.page, 'and back from B');

  await sendsFile(a.page, b.page);
  await a.page.screenshot({ path: '/tmp/ui-pair-en-wide-connected.png' });
  await screenshotsOf(a.page, b.page);
  for (const side of [a, b]) {
    assert.deepEqual(side.serverCalls, [], 'the page never asks /ws or /api');
    assert.deepEqual(side.errors, []);
  }
  await a.page.close();
  await b.page.close();
});

async function sendChat(page: Page, text: string): Promise<void> {
  await page.bringToFront();
  await page.click(byTestId('chat-input'));
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

async function seesMessage(page: Page, text: string): Promise<void> {
  await page.bringToFront();
  await page.waitForFunction(
    (text) => [...document.querySelectorAll('[data-testid="chat-message"]')].some((el) => el.textContent?.includes(text)),
    WAIT,
    text,
  );
}

async function sendsFile(from: Page, to: Page): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rdv-pair-'));
  const bytes = randomBytes(1024 * 1024 + 123);
  writeFileSync(join(dir, 'notes.bin'), bytes);
  await from.bringToFront();
  const input = (await from.$(byTestId('files-input'))) as ElementHandle<HTMLInputElement>;
  await input.uploadFile(join(dir, 'notes.bin'));
  await to.bringToFront();
  await (await to.waitForSelector(byTestId('file-accept'), WAIT))!.click();
  const row = `${byTestId('file-row')}[data-direction="in"]`;
  await to.waitForSelector(`${row} ${byTestId('file-leg')}[data-state="done"]`, WAIT);
  const downloads = join(dir, 'downloads');
  mkdirSync(downloads);
  const cdp = await to.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, eventsEnabled: true });
  const completed = new Promise<void>((resolve) =>
    cdp.on('Browser.downloadProgress', (event) => event.state === 'completed' && resolve()),
  );
  await to.click(`${row} ${byTestId('file-save')}`);
  await completed;
  await cdp.detach();
  const hash = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
  assert.equal(hash(readFileSync(join(downloads, 'notes.bin'))), hash(bytes), 'the file arrives intact');
}

/** Phone-sized and Chinese views of both pages, after the test proper. */
async function screenshotsOf(a: Page, b: Page): Promise<void> {
  await b.bringToFront();
  await b.setViewport({ width: 390, height: 844 });
  await b.screenshot({ path: '/tmp/ui-pair-en-phone-connected.png', fullPage: true });
  for (const page of [a, b]) {
    await page.bringToFront();
    await page.select(byTestId('language-picker'), 'zh-CN');
  }
  await b.screenshot({ path: '/tmp/ui-pair-zh-phone-connected.png', fullPage: true });
  await a.bringToFront();
  await a.screenshot({ path: '/tmp/ui-pair-zh-wide-connected.png' });
}
