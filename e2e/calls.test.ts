import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { CallClient } from '@rendezvous/client';
import { browserOf, useFixture } from './harness/fixture.js';
import { leftovers, openPeerPage, recorded, waitMediaFlowing } from './harness/peer.js';

const fx = useFixture(['chromium']);

/** Connects a CallClient in the page; incoming calls are kept in window.t.incoming. */
async function connectPhone(page: Page, wsUrl: string, displayName: string): Promise<string> {
  return page.evaluate(
    async (wsUrl, displayName) => {
      const client = await window.Rendezvous.CallClient.connect(wsUrl, { displayName });
      window.t['client'] = client;
      client.on('incoming', (call) => {
        window.t['incoming'] = call;
        call.on('ended', (reason) => window.probe.record('incoming-ended', reason));
      });
      return client.peerId;
    },
    wsUrl,
    displayName,
  );
}

/** Places a call; the outgoing call is window.t.outgoing; its outcome is recorded. */
async function placeCall(page: Page, to: string): Promise<void> {
  await page.evaluate(async (to) => {
    const { LocalMedia } = window.Rendezvous;
    const media = await LocalMedia.open({ audio: true, video: { width: 320, height: 240, frameRate: 15 } });
    window.t['media'] = media;
    const outgoing = await (window.t['client'] as CallClient).call(to, { media });
    window.t['outgoing'] = outgoing;
    outgoing.on('accepted', (active) => {
      window.t['active'] = active;
      window.t['room'] = active.room;
      active.on('ended', (reason, by) => window.probe.record('active-ended', [reason, by]));
    });
    outgoing.on('ended', (reason) => window.probe.record('outgoing-ended', reason));
  }, to);
}

async function waitIncoming(page: Page): Promise<string> {
  await page.waitForFunction(() => window.t['incoming'] !== undefined, { polling: 100, timeout: 10_000 });
  return page.evaluate(() => (window.t['incoming'] as { from: { displayName: string } }).from.displayName);
}

/** Two pages with connected phones; resolves with the callee's peer id. */
async function twoPhones(): Promise<{ caller: Page; callee: Page; calleeId: string }> {
  const chromium = browserOf(fx, 'chromium');
  const caller = await openPeerPage(chromium, fx.pages.url);
  const callee = await openPeerPage(chromium, fx.pages.url);
  await connectPhone(caller, fx.server.wsUrl, 'Caller');
  const calleeId = await connectPhone(callee, fx.server.wsUrl, 'Callee');
  return { caller, callee, calleeId };
}

test('a call is accepted, media flows both ways, and hang-up leaves nothing running on either side', async () => {
  const { caller, callee, calleeId } = await twoPhones();

  await placeCall(caller, calleeId);
  assert.equal(await waitIncoming(callee), 'Caller');
  await callee.evaluate(async () => {
    const { LocalMedia } = window.Rendezvous;
    const media = await LocalMedia.open({ audio: true, video: { width: 320, height: 240, frameRate: 15 } });
    const incoming = window.t['incoming'] as {
      accept(o: object): Promise<{ room: unknown; on(e: string, l: (...a: unknown[]) => void): void }>;
    };
    const active = await incoming.accept({ media });
    window.t['active'] = active;
    window.t['room'] = active.room;
    active.on('ended', (reason, by) => window.probe.record('active-ended', [reason, by]));
  });
  await Promise.all([waitMediaFlowing(caller, 1), waitMediaFlowing(callee, 1)]);

  const callerId = await caller.evaluate(() => (window.t['client'] as { peerId: string }).peerId);
  await caller.evaluate(() => (window.t['active'] as { hangUp(): Promise<void> }).hangUp());
  assert.deepEqual(await recorded(callee, 'active-ended'), ['hangup', callerId]);
  for (const page of [caller, callee]) {
    await page.waitForFunction(
      () => window.probe.leftovers().openConnections === 0 && window.probe.leftovers().liveTracks === 0,
      {
        polling: 100,
        timeout: 10_000,
      },
    );
    assert.deepEqual(await leftovers(page), { openConnections: 0, liveTracks: 0 });
  }
  await caller.close();
  await callee.close();
});

test('a call is rejected: the caller hears "rejected" and no media connection is made', async () => {
  const { caller, callee, calleeId } = await twoPhones();
  await placeCall(caller, calleeId);
  await waitIncoming(callee);
  await callee.evaluate(() => (window.t['incoming'] as { reject(): void }).reject());
  assert.equal(await recorded(caller, 'outgoing-ended'), 'rejected');
  assert.equal(await recorded(callee, 'incoming-ended'), 'rejected');
  const made = await caller.evaluate(() => window.probe.createdConnections.length);
  assert.equal(made, 0);
  await caller.close();
  await callee.close();
});

test('calling a peer who is already in a call answers busy', async () => {
  const chromium = browserOf(fx, 'chromium');
  const [a, b, c] = [
    await openPeerPage(chromium, fx.pages.url),
    await openPeerPage(chromium, fx.pages.url),
    await openPeerPage(chromium, fx.pages.url),
  ];
  await connectPhone(a, fx.server.wsUrl, 'A');
  const bId = await connectPhone(b, fx.server.wsUrl, 'B');
  await connectPhone(c, fx.server.wsUrl, 'C');
  await placeCall(a, bId); // B is now ringing, so B is busy for anyone else
  await waitIncoming(b);
  await placeCall(c, bId);
  assert.equal(await recorded(c, 'outgoing-ended'), 'busy');
  for (const page of [a, b, c]) {
    await page.close();
  }
});
