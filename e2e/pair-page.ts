/**
 * Driving /pair in e2e/pair.test.ts: the server as its own process (so the test can kill it), opening /pair in a
 * page, the page's own text fields and status line, and the remote video's frames.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'puppeteer-core';
import { byTestId } from './harness/app.js';

export { byTestId };

export const WAIT = { polling: 250, timeout: 30_000 } as const;
const ROOT = new URL('..', import.meta.url).pathname;

export interface ServerProcess {
  child: ChildProcess;
  origin: string;
}

/** Runs `rendezvous start` as its own process on a free port; resolves with its origin from the start-up lines. */
export function startServerProcess(): Promise<ServerProcess> {
  const args = ['--conditions=source', '--import', 'tsx', 'apps/server/src/main.ts', 'start'];
  const child = spawn(process.execPath, [...args, '--host', '127.0.0.1', '--port', '0', '--no-turn'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
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

export function killServer(server: ServerProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      return resolve();
    }
    server.child.once('exit', () => resolve());
    server.child.kill('SIGKILL');
  });
}

export interface PairPage {
  page: Page;
  errors: string[];
  /** Requests to /ws or /api made after the page loaded. */
  serverCalls: string[];
}

export async function openPair(browser: Browser, origin: string, languages = ['en-US', 'en']): Promise<PairPage> {
  const page = await browser.newPage();
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
  await page.goto(`${origin}/pair`, { waitUntil: 'load' });
  await page.waitForSelector(byTestId('pair-start'), WAIT);
  return { page, errors, serverCalls };
}

/** Puts `text` in the text area `testid` as a paste would (one input event), then clicks its button. */
export async function pasteAndSubmit(page: Page, testid: string, text: string): Promise<void> {
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

export const valueOf = (page: Page, testid: string): Promise<string> =>
  page.$eval(byTestId(testid), (el) => (el as HTMLTextAreaElement).value);

export async function waitForValue(page: Page, testid: string): Promise<string> {
  await page.bringToFront();
  await page.waitForFunction(
    (id) => (document.querySelector<HTMLTextAreaElement>(`[data-testid="${id}"]`)?.value ?? '') !== '',
    WAIT,
    testid,
  );
  return valueOf(page, testid);
}

export async function waitForState(page: Page, state: string): Promise<void> {
  await page.bringToFront();
  await page.waitForSelector(`${byTestId('pair-status')}[data-state="${state}"]`, WAIT);
}

/** The error under the box: its code and text, once shown. */
export async function shownError(page: Page): Promise<{ code: string; text: string }> {
  await page.bringToFront();
  const el = await page.waitForSelector(`${byTestId('pair-error')}[data-code]:not([data-code=""])`, WAIT);
  return el!.evaluate((node) => ({ code: node.getAttribute('data-code') ?? '', text: node.textContent ?? '' }));
}

/** A (the inviter) and B (the joiner) paired by copy and paste; resolves once both say connected. */
export async function pairByText(a: Page, b: Page): Promise<{ offer: string; answer: string }> {
  await a.bringToFront();
  await a.click(byTestId('pair-start'));
  const offer = await waitForValue(a, 'pair-offer');
  await b.bringToFront();
  await b.click(byTestId('pair-join'));
  await pasteAndSubmit(b, 'pair-offer-input', offer);
  const answer = await waitForValue(b, 'pair-answer');
  await pasteAndSubmit(a, 'pair-answer-input', answer);
  await waitForState(a, 'connected');
  await waitForState(b, 'connected');
  return { offer, answer };
}

/**
 * Counts the frames the page's own remote video presents (requestVideoFrameCallback) and resolves once `frames`
 * more were presented than when called, with the video's size. Fails (WAIT) when the video stays still.
 */
export async function remoteVideoPlays(page: Page, frames = 10): Promise<{ width: number; height: number; presented: number }> {
  await page.bringToFront();
  const video = byTestId('pair-remote-video');
  await page.waitForSelector(`${video}:not([hidden])`, WAIT);
  const from = await page.$eval(video, (el) => {
    const v = el as HTMLVideoElement & { presented?: number };
    if (v.presented === undefined) {
      v.presented = 0;
      const count = (): void => {
        v.presented = (v.presented ?? 0) + 1;
        v.requestVideoFrameCallback(count);
      };
      v.requestVideoFrameCallback(count);
    }
    return v.presented;
  });
  await page.waitForFunction(
    (selector, wanted) => ((document.querySelector(selector) as { presented?: number } | null)?.presented ?? 0) >= wanted,
    WAIT,
    video,
    from + frames,
  );
  return page.$eval(video, (el) => {
    const v = el as HTMLVideoElement & { presented?: number };
    return { width: v.videoWidth, height: v.videoHeight, presented: v.presented ?? 0 };
  });
}
