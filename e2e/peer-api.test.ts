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

const fx = usePeerApiFixture(['chromium']);

const openPage = (): Promise<Page> => fx.open();

test('SDK Peer to SDK Peer: json and binary data, a call with frames both ways, close on both sides', async () => {
  const [a, b] = [await openPage(), await openPage()];
  assert.equal(await sdkPeer(a, fx.server, 'sdk-a'), 'sdk-a');
  assert.equal(await sdkPeer(b, fx.server, 'sdk-b'), 'sdk-b');
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
  assert.equal(await peerjsPeer(pj, fx.server, 'pjs-1'), 'pjs-1');
  assert.equal(await sdkPeer(sdk, fx.server, 'sdk-1'), 'sdk-1');

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
  const first = await sdkPeer(page, fx.server, null, { storage: true });
  assert.match(first, /\S/);
  await page.reload();
  await page.waitForFunction(() => 'RendezvousPeer' in window, { polling: 100, timeout: 10_000 });
  assert.equal(await sdkPeer(page, fx.server, null, { storage: true }), first, 'the reloaded page gets its id back');

  assert.equal(await sdkPeer(other, fx.server, 'sdk-other'), 'sdk-other');
  const echoed = await sdkRoundTrip(other, first, 'json');
  assert.deepEqual(echoed, { small: { hello: 'world', n: [1, 2, 3] }, large: true });
  await page.evaluate(() => (window.t as unknown as Scratch).peer.destroy());
  await other.evaluate(() => (window.t as unknown as Scratch).peer.destroy());
  await Promise.all([page.close(), other.close()]);
});
