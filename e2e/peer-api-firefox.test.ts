import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import {
  peerjsPeer,
  pjsFramesRising,
  sdkCall,
  sdkFramesRising,
  sdkPeer,
  sdkRoundTrip,
  waitClosed,
  type Scratch,
} from './page/peer-drive.js';
import { usePeerApiFixture } from './page/peer-pages.js';

const fx = usePeerApiFixture(['chromium', 'firefox']);

const small = { hello: 'world', n: [1, 2, 3] };

async function destroyAll(...list: Page[]): Promise<void> {
  for (const page of list) {
    await page.evaluate(() => {
      const t = window.t as unknown as Partial<Scratch>;
      t.peer?.destroy();
      t.pjs?.destroy();
    });
  }
  await Promise.all(list.map((page) => page.close()));
}

test('an SDK Peer in Firefox and one in Chromium: json and binary data both ways, calls both ways with frames', async () => {
  const [fox, chrome] = [await fx.open('firefox'), await fx.open()];
  assert.equal(await sdkPeer(fox, fx.server, 'fox-sdk'), 'fox-sdk');
  assert.equal(await sdkPeer(chrome, fx.server, 'chrome-sdk'), 'chrome-sdk');
  for (const serialization of ['json', 'binary'] as const) {
    assert.deepEqual(
      await sdkRoundTrip(fox, 'chrome-sdk', serialization),
      { small, large: true },
      `Firefox → Chromium ${serialization}`,
    );
    assert.deepEqual(
      await sdkRoundTrip(chrome, 'fox-sdk', serialization),
      { small, large: true },
      `Chromium → Firefox ${serialization}`,
    );
  }

  await sdkCall(fox, 'chrome-sdk');
  assert.equal(await sdkFramesRising(fox), true, 'Firefox decodes Chromium’s video');
  assert.equal(await sdkFramesRising(chrome), true, 'Chromium decodes Firefox’s video');
  await fox.evaluate(() => (window.t as unknown as Scratch).call.close());
  await waitClosed(chrome, 'call');

  await sdkCall(chrome, 'fox-sdk');
  assert.equal(await sdkFramesRising(chrome), true, 'Chromium (caller) decodes Firefox’s video');
  assert.equal(await sdkFramesRising(fox), true, 'Firefox (callee) decodes Chromium’s video');
  await chrome.evaluate(() => (window.t as unknown as Scratch).call.close());
  await waitClosed(fox, 'call');
  await destroyAll(fox, chrome);
});

test('an SDK Peer in Firefox and the unmodified peerjs client in Chromium: json and binary data, a call with frames both ways', async () => {
  const [fox, pj] = [await fx.open('firefox'), await fx.open()];
  assert.equal(await sdkPeer(fox, fx.server, 'fox-sdk2'), 'fox-sdk2');
  assert.equal(await peerjsPeer(pj, fx.server, 'chrome-pjs'), 'chrome-pjs');
  for (const serialization of ['json', 'binary'] as const) {
    assert.deepEqual(await sdkRoundTrip(fox, 'chrome-pjs', serialization), { small, large: true }, serialization);
  }
  await sdkCall(fox, 'chrome-pjs');
  assert.equal(await sdkFramesRising(fox), true, 'Firefox (SDK) decodes the peerjs client’s video');
  assert.equal(await pjsFramesRising(pj), true, 'the peerjs client decodes Firefox’s video');
  // The SDK hangs up its last connection to the peerjs client: a LEAVE, and peerjs closes its call.
  await fox.evaluate(() => (window.t as unknown as Scratch).peer.destroy());
  await waitClosed(pj, 'call');
  await destroyAll(fox, pj);
});
