import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { browserOf, useFixture } from './harness/fixture.js';
import { leftovers, openPeerPage, recordedEvents } from './harness/peer.js';

const fx = useFixture(['chromium', 'firefox']);

/** The part of the Room this file uses: the presence features the Room offers as `hands`, `reactions` and `recordings`. */
interface PresenceRoom {
  peerId: string;
  leave(): Promise<void>;
  sendEvent(event: string, data?: unknown): void;
  hands: {
    raised: Array<{ peerId: string; order: number }>;
    raiseHand(): Promise<void>;
    lowerHand(): Promise<void>;
  };
  reactions: {
    react(emoji: string): void;
    on(event: 'reaction', listener: (peerId: string, emoji: string) => void): () => void;
    on(event: 'error', listener: (error: { code: string; detail?: Record<string, unknown> }) => void): () => void;
  };
  recordings: {
    recorders: string[];
    setRecording(on: boolean): Promise<void>;
    on(event: 'recording', listener: (peerId: string, on: boolean) => void): () => void;
  };
}

/** Joins `room` without media and records reactions, reaction errors and recording notices from the start. */
function join(page: Page, room: string, name: string): Promise<string> {
  return page.evaluate(
    async (wsUrl, room, name) => {
      const joined = (await window.Rendezvous.Room.join(wsUrl, room, {
        displayName: name,
        media: null,
      })) as unknown as PresenceRoom;
      window.t['room'] = joined;
      joined.reactions.on('reaction', (peerId, emoji) => window.probe.record('reaction', { peerId, emoji }));
      joined.reactions.on('error', (error) =>
        window.probe.record('reaction-error', { code: error.code, from: error.detail?.['from'] }),
      );
      joined.recordings.on('recording', (peerId, on) => window.probe.record('recording', { peerId, on }));
      return joined.peerId;
    },
    fx.server.wsUrl,
    room,
    name,
  );
}

/** Runs `action` on the page's room. */
function act(page: Page, action: 'raise' | 'lower' | 'record' | 'stop'): Promise<void> {
  return page.evaluate(async (action) => {
    const room = window.t['room'] as PresenceRoom;
    if (action === 'raise' || action === 'lower') {
      await (action === 'raise' ? room.hands.raiseHand() : room.hands.lowerHand());
      return;
    }
    await room.recordings.setRecording(action === 'record');
  }, action);
}

/** Waits until the page lists exactly `expected` as raised hands, in that order. */
async function waitHands(page: Page, expected: string[]): Promise<void> {
  await page.waitForFunction(
    (expected) => (window.t['room'] as PresenceRoom).hands.raised.map((hand) => hand.peerId).join() === expected.join(),
    { polling: 100, timeout: 15_000 },
    expected,
  );
}

const recorders = (page: Page): Promise<string[]> => page.evaluate(() => (window.t['room'] as PresenceRoom).recordings.recorders);

test('hands in the order raised, seen by a late joiner; reactions and recording notices reach the others', async () => {
  const [alice, bob, carol] = [
    await openPeerPage(browserOf(fx, 'chromium'), fx.pages.url),
    await openPeerPage(browserOf(fx, 'firefox'), fx.pages.url),
    await openPeerPage(browserOf(fx, 'chromium'), fx.pages.url),
  ];
  const aliceId = await join(alice, 'hands', 'Alice');
  const bobId = await join(bob, 'hands', 'Bob');

  await act(alice, 'raise');
  await waitHands(bob, [aliceId]);
  await act(bob, 'raise');
  await act(bob, 'record');
  await waitHands(alice, [aliceId, bobId]);
  assert.deepEqual(
    (await recordedEvents(alice, 'recording', 1)).map((e) => e.entry),
    [{ peerId: bobId, on: true }],
  );

  // Carol comes late: the server's snapshot gives her both hands in order, and Bob's recording notice.
  const carolId = await join(carol, 'hands', 'Carol');
  await waitHands(carol, [aliceId, bobId]);
  assert.deepEqual(await recorders(carol), [bobId]);

  await act(alice, 'lower');
  await waitHands(carol, [bobId]);
  await act(alice, 'raise'); // raised again: behind Bob now
  await waitHands(carol, [bobId, aliceId]);
  await waitHands(bob, [bobId, aliceId]);

  await alice.evaluate(() => (window.t['room'] as PresenceRoom).reactions.react('👏'));
  for (const page of [bob, carol]) {
    assert.deepEqual(
      (await recordedEvents(page, 'reaction', 1)).map((e) => e.entry),
      [{ peerId: aliceId, emoji: '👏' }],
    );
  }
  // A hostile reaction sent around the SDK's check is dropped by the receivers, with an error naming the sender.
  await carol.evaluate(() => (window.t['room'] as PresenceRoom).sendEvent('reaction', { emoji: 'x'.repeat(500) }));
  assert.deepEqual(
    (await recordedEvents(bob, 'reaction-error', 1)).map((e) => e.entry),
    [{ code: 'INVALID_REACTION', from: carolId }],
  );

  await act(bob, 'stop');
  assert.deepEqual(
    (await recordedEvents(carol, 'recording', 1)).map((e) => e.entry),
    [{ peerId: bobId, on: false }],
  );
  assert.deepEqual((await recordedEvents(alice, 'recording', 2)).map((e) => e.entry)[1], { peerId: bobId, on: false });
  assert.deepEqual(await recorders(alice), []);

  // Bob leaves: his hand goes from everyone's list.
  await bob.evaluate(() => (window.t['room'] as PresenceRoom).leave());
  await waitHands(carol, [aliceId]);
  for (const page of [alice, carol]) {
    await page.evaluate(() => (window.t['room'] as PresenceRoom).leave());
  }
  for (const page of [alice, bob, carol]) {
    assert.equal((await leftovers(page)).openConnections, 0);
    await page.close();
  }
});
