/**
 * The web app under the server's Content-Security-Policy, in Chromium and Firefox: the page loads,
 * joins a room over /ws (connect-src 'self' must cover the same-host WebSocket), shows camera video,
 * and the browser reports no CSP violation on the way (no inline script or style, no eval, no data:
 * font, nothing from another origin).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { BrowserName } from './harness/browsers.js';
import { browserOf, useFixture } from './harness/fixture.js';

const fx = useFixture(['chromium', 'firefox']);
const WAIT = { polling: 250, timeout: 20_000 } as const;

/** Runs before the app: records every CSP violation the page reports. */
const RECORD_VIOLATIONS = `
window.__name = (f) => f;
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
}, true);
`;

type CspWindow = Window & { __csp: string[]; __rendezvous: { room: { peers: Map<string, unknown> } | null } };

async function joinAs(name: BrowserName, room: string, displayName: string): Promise<{ page: Page; console: string[] }> {
  const page = await browserOf(fx, name).browser.newPage();
  const console: string[] = [];
  page.on('console', (message) => {
    if (/content.security.policy/i.test(message.text())) {
      console.push(message.text());
    }
  });
  await page.evaluateOnNewDocument(RECORD_VIOLATIONS);
  const response = await page.goto(new URL(`/room/${room}`, fx.server.origin).href);
  assert.match(response?.headers()['content-security-policy'] ?? '', /frame-ancestors 'self'/);
  await page.waitForSelector('[data-testid="prejoin-name"]', WAIT);
  await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('[data-testid="prejoin-join"]')?.disabled, WAIT);
  await page.type('[data-testid="prejoin-name"]', displayName);
  await page.click('[data-testid="prejoin-join"]');
  await page.waitForSelector('[data-testid="call-view"] [data-testid="tile"][data-self="true"]', WAIT);
  return { page, console };
}

test('the web app joins a room and shows video in Chromium and Firefox with no CSP violation', async () => {
  const a = await joinAs('chromium', 'csp-check-room', 'Ada');
  const b = await joinAs('firefox', 'csp-check-room', 'Bea');
  try {
    for (const { page } of [a, b]) {
      await page.waitForFunction(() => ((window as unknown as CspWindow).__rendezvous.room?.peers.size ?? 0) >= 1, WAIT);
      await page.waitForFunction(() => [...document.querySelectorAll('video')].some((v) => v.videoWidth > 0), WAIT);
    }
    for (const [label, { page, console }] of [
      ['chromium', a],
      ['firefox', b],
    ] as const) {
      const violations = await page.evaluate(() => (window as unknown as CspWindow).__csp);
      assert.deepEqual(violations, [], `${label}: CSP violation events`);
      assert.deepEqual(console, [], `${label}: CSP console messages`);
    }
  } finally {
    await a.page.close();
    await b.page.close();
  }
});
