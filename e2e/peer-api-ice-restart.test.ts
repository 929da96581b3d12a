/**
 * ICE failing for real, between browsers: every connection is relay-only through a TURN server of the test's own
 * over TCP, and the test closes that server (its TCP connections with it), so every candidate pair dies. A new
 * relay on the same port lets an ICE restart gather again. Between two SDK peers the caller restarts ICE and the
 * connections recover; towards the unmodified peerjs client the SDK closes them with `negotiation-failed`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { createTurnServer, type TurnServer } from '@rendezvous/turn';
import {
  echoOnConnection,
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

/** A TURN server on 127.0.0.1 (relaying between loopback peers), on `port` or a free one. */
async function startRelay(port = 0): Promise<{ turn: TurnServer; port: number; config: RTCConfiguration }> {
  const turn = createTurnServer({
    host: '127.0.0.1',
    port,
    realm: 'e2e',
    users: { e2e: 'e2e-password' },
    allowPeers: ['127.0.0.0/8'],
  });
  const bound = (await turn.listen()).port;
  const relay = { urls: `turn:127.0.0.1:${bound}?transport=tcp`, username: 'e2e', credential: 'e2e-password' };
  return { turn, port: bound, config: { iceTransportPolicy: 'relay', iceServers: [relay] } };
}

/** Records window.t.call's and window.t.conn's `state` events in window.t.states (`call:<state>`, `data:<state>`). */
async function recordStates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const t = window.t as unknown as Scratch & { states: string[] };
    t.states = [];
    t.call.on('state', (state) => t.states.push(`call:${state}`));
    t.conn.on('state', (state) => t.states.push(`data:${state}`));
  });
}

/** Waits until both of the page's connections went `failed` and then `connected` again; returns the states seen. */
async function waitRecovered(page: Page): Promise<string[]> {
  await page.waitForFunction(
    () => {
      const states = (window.t as unknown as { states: string[] }).states;
      return ['call', 'data'].every((kind) => {
        const failed = states.indexOf(`${kind}:failed`);
        return failed >= 0 && states.indexOf(`${kind}:connected`, failed) > failed;
      });
    },
    { polling: 200, timeout: 60_000 },
  );
  return page.evaluate(() => (window.t as unknown as { states: string[] }).states);
}

const signals = (page: Page): Promise<string[]> => page.evaluate(() => [...window.RendezvousPeer.sentSignals]);
const scratch = (page: Page): Promise<{ closed: string[]; errors: string[] }> =>
  page.evaluate(() => {
    const t = window.t as unknown as Scratch;
    return { closed: t.closed, errors: t.errors };
  });

test('two SDK peers, relay-only: the relay dies, the caller restarts ICE with an OFFER marked restart, media and data recover', async () => {
  let relay = await startRelay();
  const [a, b] = [await openPage(), await openPage()];
  assert.equal(await sdkPeer(a, fx.server, 'ice-a', { config: relay.config }), 'ice-a');
  assert.equal(await sdkPeer(b, fx.server, 'ice-b', { config: relay.config }), 'ice-b');
  assert.deepEqual(await sdkRoundTrip(b, 'ice-a', 'json'), { small: { hello: 'world', n: [1, 2, 3] }, large: true });
  await sdkCall(b, 'ice-a');
  assert.equal(await sdkFramesRising(b), true);
  assert.equal(await sdkFramesRising(a), true);
  await Promise.all([recordStates(a), recordStates(b)]);
  const before = await signals(b);
  assert.ok(!before.includes('OFFER:restart'), before.join());

  // Every candidate pair runs through the relay's TCP connections: closing it fails ICE. The relay comes back
  // on the same port, so the restart's gathering finds it.
  await relay.turn.close();
  relay = await startRelay(relay.port);
  try {
    const statesB = await waitRecovered(b);
    const statesA = await waitRecovered(a);
    const restarts = (await signals(b)).slice(before.length).filter((kind) => kind === 'OFFER:restart');
    assert.equal(restarts.length, 2, `one restart OFFER per connection: ${JSON.stringify({ statesA, statesB })}`);
    assert.ok(!(await signals(a)).includes('OFFER:restart'), 'the callee waits for the caller’s restart');

    const [framesA, framesB] = await Promise.all(
      [a, b].map((page) => page.evaluate(() => window.RendezvousPeer.framesDecoded((window.t as unknown as Scratch).call))),
    );
    assert.equal(await sdkFramesRising(b, framesB), true, 'the caller decodes again after the restart');
    assert.equal(await sdkFramesRising(a, framesA), true, 'the callee decodes again after the restart');
    assert.deepEqual(
      await echoOnConnection(b, { after: 'restart' }),
      { after: 'restart' },
      'the same data connection carries data',
    );
    for (const page of [a, b]) {
      assert.deepEqual(await scratch(page), { closed: [], errors: [] });
    }
  } finally {
    await b.evaluate(() => (window.t as unknown as Scratch).peer.destroy());
    await a.evaluate(() => (window.t as unknown as Scratch).peer.destroy());
    await Promise.all([a.close(), b.close()]);
    await relay.turn.close();
  }
});

test('an SDK peer and the peerjs client, relay-only: the relay dies, the SDK closes its connections with negotiation-failed', async () => {
  const relay = await startRelay();
  const [pj, sdk] = [await openPage(), await openPage()];
  try {
    assert.equal(await peerjsPeer(pj, fx.server, 'ice-pjs', relay.config), 'ice-pjs');
    assert.equal(await sdkPeer(sdk, fx.server, 'ice-sdk', { config: relay.config }), 'ice-sdk');
    assert.deepEqual(await sdkRoundTrip(sdk, 'ice-pjs', 'json'), { small: { hello: 'world', n: [1, 2, 3] }, large: true });
    await sdkCall(sdk, 'ice-pjs');
    assert.equal(await sdkFramesRising(sdk), true);
    assert.equal(await pjsFramesRising(pj), true);

    await relay.turn.close();
    await waitClosed(sdk, 'call', 60_000);
    await waitClosed(sdk, 'data:json', 60_000);
    const { errors } = await scratch(sdk);
    assert.deepEqual([...errors].sort(), ['call:negotiation-failed', 'data:negotiation-failed']);
    assert.ok(!(await signals(sdk)).includes('OFFER:restart'), 'no restart towards peerjs');
    // The LEAVE the SDK sends when its last connection to the client ends: peerjs 1.5 closes the first of its
    // connections to us (the data connection) and forgets the rest without `close` (see docs/peerjs.md).
    await waitClosed(pj, 'data:json', 20_000);
    assert.equal(await pj.evaluate(() => 'ice-sdk' in (window.t as unknown as Scratch).pjs.connections), false);
  } finally {
    await sdk.evaluate(() => (window.t as unknown as Scratch).peer.destroy());
    await pj.evaluate(() => (window.t as unknown as Scratch).pjs.destroy());
    await Promise.all([pj.close(), sdk.close()]);
    await relay.turn.close();
  }
});
