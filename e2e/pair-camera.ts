/**
 * The cameras on /pair in e2e/pair.test.ts, once paired (and with the server gone): each side's camera reaches the
 * other, stopping takes the picture away and sharing again brings it back, and leaving stops everything. Every
 * change is a renegotiation over the pairing's own data channel.
 */
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { byTestId, remoteVideoPlays, WAIT, waitForState } from './pair-page.js';

async function pressCamera(page: Page, pressed: boolean): Promise<void> {
  await page.bringToFront();
  await page.click(byTestId('pair-camera'));
  await page.waitForSelector(`${byTestId('pair-camera')}[aria-pressed="${pressed}"]`, WAIT);
}

/** A shares, B's video plays it; then B shares, A's video plays it. Screenshots of the first half. */
export async function camerasBothWays(a: Page, b: Page): Promise<void> {
  await pressCamera(a, true);
  await a.screenshot({ path: '/tmp/ui-pair2-en-wide-own-camera.png' });
  const seen = await remoteVideoPlays(b);
  assert.ok(seen.width > 0 && seen.height > 0, `B shows A's camera: ${JSON.stringify(seen)}`);
  await b.screenshot({ path: '/tmp/ui-pair2-en-wide-one-camera.png' });
  await pressCamera(b, true);
  const back = await remoteVideoPlays(a);
  assert.ok(back.width > 0 && back.height > 0, `A shows B's camera: ${JSON.stringify(back)}`);
}

/** A stops: B's picture of A goes (no frozen last frame). A shares again: B's video plays again. */
export async function stopsAndSharesAgain(a: Page, b: Page): Promise<void> {
  await pressCamera(a, false);
  await b.bringToFront();
  await b.waitForSelector(`${byTestId('pair-remote-video')}[hidden]`, WAIT);
  await pressCamera(a, true);
  assert.ok((await remoteVideoPlays(b)).width > 0, 'B shows A again');
}

/** A leaves: both see the pairing end, both cameras stop and the videos go. */
export async function leaves(a: Page, b: Page): Promise<void> {
  await a.bringToFront();
  await a.click(byTestId('pair-leave'));
  await waitForState(a, 'closed');
  await waitForState(b, 'failed');
  for (const side of [a, b]) {
    await side.bringToFront();
    await side.waitForSelector(`${byTestId('pair-camera')}[aria-pressed="false"]`, WAIT);
    const view = await side.$eval(byTestId('pair-connected'), (el) => ({
      videos: [...el.querySelectorAll('video')].map((video) => video.srcObject),
      stage: el.querySelector<HTMLElement>('.pair-stage')?.hidden,
    }));
    assert.deepEqual(view, { videos: [null, null], stage: true });
  }
}
