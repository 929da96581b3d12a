import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { Room } from '@rendezvous/client';
import { browserOf, useFixture, type Fixture } from './harness/fixture.js';
import { leftovers, openPeerPage } from './harness/peer.js';

const fx = useFixture(['chromium', 'firefox']);

/** What the tests read of a page's `room.chat.messages`. */
interface Seen {
  id: string;
  from: string;
  to: string | null;
  text: string;
  fromHistory: boolean;
  deliveredTo: string[];
  delivered: boolean;
}

/**
 * Joins `room` without media; then, in the same turn (before any channel can be open), sends `early` on the chat
 * when given. Resolves with the peer id and the states of the members at the moment of sending.
 */
async function join(fixture: Fixture, page: Page, room: string, name: string, early?: string) {
  return page.evaluate(
    async (wsUrl, room, name, early) => {
      const joined = await window.Rendezvous.Room.join(wsUrl, room, { displayName: name, media: null });
      window.t['room'] = joined;
      joined.chat.on('error', (error) => window.probe.record('chat-error', error.code));
      const states = [...joined.peers.values()].map((peer) => peer.connectionState);
      if (early !== null) {
        joined.chat.send(early);
      }
      return { id: joined.peerId, states };
    },
    fixture.server.wsUrl,
    room,
    name,
    early ?? null,
  );
}

function send(page: Page, text: string, to?: string): Promise<string> {
  return page.evaluate((text, to) => (window.t['room'] as Room).chat.send(text, to === null ? {} : { to }).id, text, to ?? null);
}

/** Waits until the page's chat keeps at least `count` messages and resolves with them. */
async function chatMessages(page: Page, count: number, timeout = 30_000): Promise<Seen[]> {
  const handle = await page.waitForFunction(
    (count) => {
      const seen = (window.t['room'] as Room).chat.messages.map((m) => ({
        id: m.id,
        from: m.from,
        to: m.to ?? null,
        text: m.text,
        fromHistory: m.fromHistory,
        deliveredTo: [...m.deliveredTo],
        delivered: m.delivered,
      }));
      return seen.length >= count ? seen : false;
    },
    { polling: 100, timeout },
    count,
  );
  return (await handle.jsonValue()) as Seen[];
}

/** Waits until every message this page sent is delivered; resolves with the page's messages. */
function ownDelivered(page: Page, selfId: string, count: number, timeout = 30_000): Promise<Seen[]> {
  return page
    .waitForFunction(
      (selfId, count) => {
        const own = (window.t['room'] as Room).chat.messages.filter((m) => m.from === selfId);
        return own.length >= count && own.every((m) => m.delivered)
          ? own.map((m) => ({ id: m.id, deliveredTo: [...m.deliveredTo] }))
          : false;
      },
      { polling: 100, timeout },
      selfId,
      count,
    )
    .then((handle) => handle.jsonValue() as Promise<Seen[]>);
}

async function leaveAll(pages: Page[]): Promise<void> {
  for (const page of pages) {
    await page.evaluate(() => (window.t['room'] as Room).leave());
  }
  for (const page of pages) {
    assert.equal((await leftovers(page)).openConnections, 0);
    await page.close();
  }
}

test('Chromium ↔ Firefox: a message sent before the channel opens arrives, a reply comes back, both acknowledged', async () => {
  const chrome = await openPeerPage(browserOf(fx, 'chromium'), fx.pages.url);
  const firefox = await openPeerPage(browserOf(fx, 'firefox'), fx.pages.url);
  const { id: chromeId } = await join(fx, chrome, 'chat-interop', 'Chromium');
  const early = await join(fx, firefox, 'chat-interop', 'Firefox', 'early from firefox');
  assert.equal(early.states.length, 1);
  assert.notEqual(early.states[0], 'connected', 'the early message was sent before the connection existed');

  const atChrome = await chatMessages(chrome, 1, 45_000);
  assert.deepEqual(
    atChrome.map((m) => [m.from, m.text, m.to, m.fromHistory]),
    [[early.id, 'early from firefox', null, false]],
  );
  const replyId = await send(chrome, 'réponse 👋 from chromium');
  const atFirefox = await chatMessages(firefox, 2);
  assert.deepEqual(
    atFirefox.map((m) => [m.from, m.text]),
    [
      [early.id, 'early from firefox'],
      [chromeId, 'réponse 👋 from chromium'],
    ],
  );
  assert.deepEqual(await ownDelivered(chrome, chromeId, 1), [{ id: replyId, deliveredTo: [early.id] }]);
  const [firefoxOwn] = await ownDelivered(firefox, early.id, 1);
  assert.deepEqual(firefoxOwn?.deliveredTo, [chromeId]);
  await leaveAll([chrome, firefox]);
});

test('a late joiner gets the room-wide history once, in order, without private messages; HTML stays text', async () => {
  const chromium = browserOf(fx, 'chromium');
  const [alice, bob, carol] = [
    await openPeerPage(chromium, fx.pages.url),
    await openPeerPage(chromium, fx.pages.url),
    await openPeerPage(chromium, fx.pages.url),
  ];
  const html = '<b>bold?</b> <img src=x onerror="window.t.pwned=1"> & <script>window.t.pwned=2</script>';
  const { id: aliceId } = await join(fx, alice, 'chat-history', 'Alice');
  const { id: bobId } = await join(fx, bob, 'chat-history', 'Bob');
  await send(alice, 'one');
  await chatMessages(bob, 1);
  await send(bob, 'two');
  await chatMessages(alice, 2);
  await send(alice, html);
  await send(alice, 'for bob only', bobId);
  await ownDelivered(alice, aliceId, 3);

  const atBob = await chatMessages(bob, 4);
  assert.equal(atBob.find((m) => m.text.startsWith('<b>'))?.text, html, 'HTML arrives as the same text');
  assert.equal(atBob.at(-1)?.to, bobId);

  const { id: carolId } = await join(fx, carol, 'chat-history', 'Carol');
  const atCarol = await chatMessages(carol, 3);
  assert.deepEqual(
    atCarol.map((m) => [m.from, m.text, m.fromHistory]),
    [
      [aliceId, 'one', true],
      [bobId, 'two', true],
      [aliceId, html, true],
    ],
  );
  const live = await send(carol, 'hi, I am new');
  const [atAlice] = await Promise.all([chatMessages(alice, 5), chatMessages(bob, 5)]);
  assert.equal(atAlice.at(-1)?.id, live);
  assert.deepEqual((await ownDelivered(carol, carolId, 1))[0]?.deliveredTo.sort(), [aliceId, bobId].sort());
  for (const page of [alice, bob, carol]) {
    const { pwned, errors } = await page.evaluate(() => ({
      pwned: window.t['pwned'] ?? null,
      errors: (window.t['events'] as Record<string, unknown[]> | undefined)?.['chat-error'] ?? [],
    }));
    assert.deepEqual([pwned, errors], [null, []]);
  }
  assert.equal((await chatMessages(carol, 4)).length, 4, 'the history came once: no duplicates');
  await leaveAll([alice, bob, carol]);
});
