/**
 * Opening the built web app in Chromium the way the web e2e tests do: chosen browser languages, a Content-Security-Policy
 * violation recorder, uncaught page errors collected, and closing that checks neither happened.
 */
import assert from 'node:assert/strict';
import type { Page, Viewport } from 'puppeteer-core';
import { browserOf, type Fixture } from './fixture.js';

export interface AppPage {
  page: Page;
  /** Uncaught exceptions in the page. */
  errors: Error[];
}

export interface OpenAppOptions {
  /** navigator.languages and Accept-Language. Default ['en-US', 'en']. */
  languages?: string[];
  /** Default 1280×720. */
  viewport?: Viewport;
  /** A script run before the app's own, after the languages are set. */
  before?: string;
  /** Keep a language chosen earlier in the same browser profile (by default it is forgotten, so `languages` decide). */
  keepLanguageChoice?: boolean;
}

export const byTestId = (id: string): string => `[data-testid="${id}"]`;

/**
 * Runs before the app: `__name` is the helper tsx's keepNames adds to functions handed to page.evaluate; the
 * languages are the browser's; every Content-Security-Policy violation lands in window.__csp.
 */
const setupScript = (languages: string[], keepChoice: boolean): string => `
window.__name = (f) => f;
Object.defineProperty(Navigator.prototype, 'languages', { get: () => ${JSON.stringify(languages)} });
Object.defineProperty(Navigator.prototype, 'language', { get: () => ${JSON.stringify(languages[0])} });
${keepChoice ? '' : "try { localStorage.removeItem('rendezvous.language'); } catch {} // no storage in an opaque-origin document"}
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber);
});
`;

/** Opens `path` of the fixture's server in a new Chromium page. */
export async function openApp(fx: Fixture, path: string, options: OpenAppOptions = {}): Promise<AppPage> {
  const page = await browserOf(fx, 'chromium').browser.newPage();
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error as Error));
  const languages = options.languages ?? ['en-US', 'en'];
  await page.setExtraHTTPHeaders({ 'Accept-Language': languages.join(',') });
  await page.evaluateOnNewDocument(setupScript(languages, options.keepLanguageChoice === true));
  if (options.before !== undefined) {
    await page.evaluateOnNewDocument(options.before);
  }
  await page.setViewport(options.viewport ?? { width: 1280, height: 720 });
  await page.goto(new URL(path, fx.server.origin).href);
  return { page, errors };
}

/** The Content-Security-Policy violations the page reported so far. */
export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
}

/** Closes the pages, then fails on any Content-Security-Policy violation or uncaught error they saw. */
export async function closeApps(...apps: AppPage[]): Promise<void> {
  const violations: string[] = [];
  for (const { page } of apps) {
    if (!page.isClosed()) {
      violations.push(...(await cspViolations(page)));
      await page.close();
    }
  }
  assert.deepEqual(violations, [], 'no Content-Security-Policy violations');
  for (const { errors } of apps) {
    assert.deepEqual(errors.map(String), [], 'uncaught errors in the page');
  }
}

const WAIT = { polling: 250, timeout: 20_000 } as const;

/**
 * On the pre-join screen: waits for the camera and an enabled Join button, replaces the name the way a person
 * does (click, select all, type), joins, and resolves with this page's peer id once its own tile is in the call.
 */
export async function joinFromPrejoin(page: Page, name: string): Promise<string> {
  const field = byTestId('prejoin-name');
  await page.waitForSelector(field, WAIT);
  await page.waitForFunction(
    () =>
      (window as unknown as { __rendezvous: { media: unknown } }).__rendezvous.media !== null &&
      !document.querySelector<HTMLButtonElement>('[data-testid="prejoin-join"]')?.disabled,
    WAIT,
  );
  await page.click(field);
  await page.$eval(field, (el) => (el as HTMLInputElement).select());
  await page.type(field, name);
  assert.equal(await page.$eval(field, (el) => (el as HTMLInputElement).value), name);
  await page.click(byTestId('prejoin-join'));
  const self = await page.waitForSelector(`${byTestId('call-view')} ${byTestId('tile')}[data-self="true"]`, WAIT);
  const id = await self!.evaluate((el) => el.getAttribute('data-peer-id'));
  assert.ok(id, 'the self tile carries the peer id');
  return id;
}
