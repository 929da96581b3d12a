import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { Room } from '@rendezvous/client';
import type { MessageRecord, SentStreamReport, StreamRecord } from './page/probe.js';
import { browserOf, useFixture, type Fixture } from './harness/fixture.js';
import { leftovers, openPeerPage, recordedEvents } from './harness/peer.js';

const fx = useFixture(['chromium', 'firefox']);

/** The documented message limit (MAX_MESSAGE_BYTES). */
const MAX_MESSAGE_BYTES = 64 * 1024;

type Outgoing = Omit<MessageRecord, 'from'>;

interface DataJoin {
  id: string;
  /** States of the members the page sent `early` to, read at the moment it sent. */
  earlyStates: string[];
}

/**
 * Joins `room` without media, recording every message and hashing every incoming stream from the start; then,
 * in the same turn, sends `early` to everyone (before any channel can be open).
 */
async function joinData(
  fixture: Fixture,
  page: Page,
  room: string,
  name: string,
  options: { early?: string; iceRestartTimeoutMs?: number } = {},
): Promise<DataJoin> {
  return page.evaluate(
    async (wsUrl, room, name, early, iceRestartTimeoutMs) => {
      const joined = await window.Rendezvous.Room.join(wsUrl, room, {
        displayName: name,
        media: null,
        ...(iceRestartTimeoutMs === null ? {} : { iceRestartTimeoutMs }),
      });
      window.t['room'] = joined;
      window.probe.recordMessages(joined);
      window.probe.receiveStreams(joined);
      const earlyStates = [...joined.peers.values()].map((peer) => peer.connectionState);
      if (early !== null) {
        joined.send(early);
      }
      return { id: joined.peerId, earlyStates };
    },
    fixture.server.wsUrl,
    room,
    name,
    options.early ?? null,
    options.iceRestartTimeoutMs ?? null,
  );
}

/** Sends `items` in order (bytes as a Uint8Array view with an offset into a larger buffer). */
async function sendAll(page: Page, items: Outgoing[], to: string | string[] | null = null): Promise<void> {
  await page.evaluate(
    (items, to) => {
      const room = window.t['room'] as Room;
      for (const item of items) {
        const data =
          item.kind === 'bytes' ? new Uint8Array([7, ...(item.value as number[]), 7]).subarray(1, -1) : (item.value as string);
        room.send(data, to === null ? {} : { to });
      }
    },
    items,
    to,
  );
}

async function messages(page: Page, count: number, timeout = 15_000): Promise<MessageRecord[]> {
  return (await recordedEvents<MessageRecord>(page, 'message', count, timeout)).map((event) => event.entry);
}

/** Every message the page recorded so far. */
function allMessages(page: Page): Promise<MessageRecord[]> {
  return page.evaluate(() =>
    ((window.t['events'] as Record<string, Array<{ entry: MessageRecord }>> | undefined)?.['message'] ?? []).map((e) => e.entry),
  );
}

function waitConnected(page: Page, peerId: string, timeout = 20_000): Promise<unknown> {
  return page.waitForFunction(
    (id) => (window.t['room'] as Room).peers.get(id)?.connectionState === 'connected',
    { polling: 100, timeout },
    peerId,
  );
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

function pattern(length: number, seed: number): number[] {
  return Array.from({ length }, (_, i) => (i * 31 + seed) % 256);
}

const from = (id: string, items: Outgoing[]): MessageRecord[] => items.map((item) => ({ from: id, ...item }));

const ALICE_SAYS: Outgoing[] = [
  { kind: 'string', value: 'héllo, 世界 👋' },
  { kind: 'bytes', value: pattern(300, 1) },
  { kind: 'json', value: { a: [1, 'x', null], nested: { ok: true, n: -1.5 } } },
  { kind: 'string', value: '' },
  { kind: 'bytes', value: pattern(MAX_MESSAGE_BYTES, 5) },
  { kind: 'json', value: 42 },
  { kind: 'string', value: '{"looks":"like json"}' },
];
const BOB_SAYS: Outgoing[] = [
  { kind: 'json', value: ['list', 2, false] },
  { kind: 'bytes', value: [0, 255, 0, 128] },
  { kind: 'string', value: 'last from bob' },
];

test('messages: sent before the channel opens, intact and in order both ways, targeted with `to`, refused past the limit', async () => {
  const chromium = browserOf(fx, 'chromium');
  const [alice, bob, carol] = [
    await openPeerPage(chromium, fx.pages.url),
    await openPeerPage(chromium, fx.pages.url),
    await openPeerPage(chromium, fx.pages.url),
  ];
  const { id: aliceId } = await joinData(fx, alice, 'data-messages', 'Alice');
  const bobJoin = await joinData(fx, bob, 'data-messages', 'Bob', { early: 'sent right after join' });
  assert.equal(bobJoin.earlyStates.length, 1);
  assert.notEqual(bobJoin.earlyStates[0], 'connected', 'the early message was sent before the connection existed');
  assert.deepEqual(await messages(alice, 1), [{ from: bobJoin.id, kind: 'string', value: 'sent right after join' }]);

  await Promise.all([sendAll(alice, ALICE_SAYS), sendAll(bob, BOB_SAYS)]);
  assert.deepEqual(await messages(bob, ALICE_SAYS.length), from(aliceId, ALICE_SAYS));
  assert.deepEqual(await messages(alice, 1 + BOB_SAYS.length), [
    { from: bobJoin.id, kind: 'string', value: 'sent right after join' },
    ...from(bobJoin.id, BOB_SAYS),
  ]);

  // `to`: two messages for Bob only (one id, then a list), then a marker for Carol only.
  const { id: carolId } = await joinData(fx, carol, 'data-messages', 'Carol');
  const forBob: Outgoing[] = [
    { kind: 'string', value: 'for bob only' },
    { kind: 'json', value: { secret: 1 } },
  ];
  await sendAll(alice, forBob.slice(0, 1), bobJoin.id);
  await sendAll(alice, forBob.slice(1), [bobJoin.id]);
  assert.deepEqual((await messages(bob, ALICE_SAYS.length + 2)).slice(ALICE_SAYS.length), from(aliceId, forBob));

  // Past the limit: DATA_TOO_LARGE with size and limit, and nothing reaches Carol.
  const refused = await alice.evaluate(
    (carolId, max) => {
      const room = window.t['room'] as Room;
      const attempt = (data: string | Uint8Array): unknown => {
        try {
          room.send(data, { to: carolId });
          return 'sent';
        } catch (error) {
          const e = error as { code?: string; detail?: Record<string, unknown> };
          return { code: e.code, size: e.detail?.['size'], limit: e.detail?.['limit'] };
        }
      };
      return [attempt('x'.repeat(max + 1)), attempt(new Uint8Array(max + 10))];
    },
    carolId,
    MAX_MESSAGE_BYTES,
  );
  assert.deepEqual(refused, [
    { code: 'DATA_TOO_LARGE', size: MAX_MESSAGE_BYTES + 1, limit: MAX_MESSAGE_BYTES },
    { code: 'DATA_TOO_LARGE', size: MAX_MESSAGE_BYTES + 10, limit: MAX_MESSAGE_BYTES },
  ]);
  await sendAll(alice, [{ kind: 'string', value: 'marker for carol' }], carolId);
  assert.deepEqual(await messages(carol, 1), [{ from: aliceId, kind: 'string', value: 'marker for carol' }]);
  // The A→C channel is ordered: anything sent to Carol before the marker would have arrived before it.
  assert.deepEqual(await allMessages(carol), [{ from: aliceId, kind: 'string', value: 'marker for carol' }]);
  assert.equal((await allMessages(bob)).length, ALICE_SAYS.length + forBob.length);

  await leaveAll([alice, bob, carol]);
});

/** Streams `size` random bytes from `sender` to `receiverId`; returns what the sender saw and what the receiver recorded. */
async function streamBetween(
  sender: Page,
  receiver: Page,
  receiverId: string,
  size: number,
  name: string,
): Promise<{ sent: SentStreamReport; got: StreamRecord }> {
  await waitConnected(sender, receiverId, 45_000);
  const sent = await sender.evaluate(
    (to, size, name) =>
      window.probe.sendRandomStream(window.t['room'] as Room, to, size, { name, type: 'application/octet-stream' }),
    receiverId,
    size,
    name,
  );
  const [got] = await recordedEvents<StreamRecord>(receiver, 'stream', 1, 30_000);
  return { sent, got: got!.entry };
}

function assertStreamIntact(
  result: { sent: SentStreamReport; got: StreamRecord },
  senderId: string,
  size: number,
  name: string,
): void {
  const { sent, got } = result;
  assert.equal(got.error, null);
  assert.equal(got.from, senderId);
  assert.deepEqual(got.meta, { name, type: 'application/octet-stream', size });
  assert.equal(got.bytes, size);
  assert.equal(got.bytesReceived, size);
  assert.equal(sent.bytes, size);
  assert.match(sent.sha256, /^[0-9a-f]{64}$/);
  assert.equal(got.sha256, sent.sha256, 'the receiver hashed the same bytes');
  // The sender resolved end() after the receiver confirmed everything; progress rose to the total.
  assert.equal(sent.state, 'finished');
  assert.equal(sent.finished, true);
  assert.equal(sent.bytesAcknowledged, size);
  assert.ok(sent.progress.length > 0);
  for (let i = 1; i < sent.progress.length; i++) {
    const [prev, next] = [sent.progress[i - 1]!, sent.progress[i]!];
    assert.ok(next[0] >= prev[0] && next[1] >= prev[1] && next[1] <= next[0], `progress went ${String(prev)} → ${String(next)}`);
  }
  assert.deepEqual(sent.progress.at(-1), [size, size], 'the last progress event says everything was acknowledged');
}

test('a 4 MiB stream of random bytes arrives whole (same SHA-256), with progress up to the total', async () => {
  const chromium = browserOf(fx, 'chromium');
  const [alice, bob] = [await openPeerPage(chromium, fx.pages.url), await openPeerPage(chromium, fx.pages.url)];
  const { id: aliceId } = await joinData(fx, alice, 'data-stream', 'Alice');
  const { id: bobId } = await joinData(fx, bob, 'data-stream', 'Bob');
  const size = 4 * 1024 * 1024;
  const result = await streamBetween(alice, bob, bobId, size, 'random-4m.bin');
  assertStreamIntact(result, aliceId, size, 'random-4m.bin');
  // Credits came back while it streamed (the window is smaller than the stream: the sender had to wait for them).
  assert.ok(result.sent.progress.some(([, acked]) => acked > 0 && acked < size));
  await leaveAll([alice, bob]);
});

test('Firefox ↔ Chromium: messages both ways and a 1 MB stream each way arrive intact', async () => {
  const chrome = await openPeerPage(browserOf(fx, 'chromium'), fx.pages.url);
  const firefox = await openPeerPage(browserOf(fx, 'firefox'), fx.pages.url);
  const { id: chromeId } = await joinData(fx, chrome, 'data-interop', 'Chromium');
  const { id: firefoxId } = await joinData(fx, firefox, 'data-interop', 'Firefox', { early: 'early from firefox' });
  await Promise.all([sendAll(chrome, ALICE_SAYS), sendAll(firefox, BOB_SAYS)]);
  assert.deepEqual(await messages(firefox, ALICE_SAYS.length, 45_000), from(chromeId, ALICE_SAYS));
  assert.deepEqual(await messages(chrome, 1 + BOB_SAYS.length, 45_000), [
    { from: firefoxId, kind: 'string', value: 'early from firefox' },
    ...from(firefoxId, BOB_SAYS),
  ]);

  const size = 1024 * 1024 + 777; // not a multiple of the chunk size
  const [toChrome, toFirefox] = await Promise.all([
    streamBetween(firefox, chrome, chromeId, size, 'from-firefox.bin'),
    streamBetween(chrome, firefox, firefoxId, size, 'from-chromium.bin'),
  ]);
  assertStreamIntact(toChrome, firefoxId, size, 'from-firefox.bin');
  assertStreamIntact(toFirefox, chromeId, size, 'from-chromium.bin');
  await leaveAll([chrome, firefox]);
});

test('messages sent while a connection is rebuilt arrive on the new one, in order', async () => {
  const chromium = browserOf(fx, 'chromium');
  const [alice, bob] = [await openPeerPage(chromium, fx.pages.url), await openPeerPage(chromium, fx.pages.url)];
  const { id: aliceId } = await joinData(fx, alice, 'data-rebuild', 'Alice', { iceRestartTimeoutMs: 1000 });
  const { id: bobId } = await joinData(fx, bob, 'data-rebuild', 'Bob', { iceRestartTimeoutMs: 1000 });
  await waitConnected(alice, bobId);
  await sendAll(alice, [{ kind: 'string', value: 'before' }]);
  await messages(bob, 1);

  // Bob sends as soon as Alice's reset reached him (his Room handled it first: the old link is gone).
  await bob.evaluate(() => {
    const room = window.t['room'] as Room;
    const off = room.signaling.on('message', (message) => {
      if (message.type !== 'signal' || message.data.kind !== 'reset') {
        return;
      }
      off();
      const peer = [...room.peers.values()][0]!;
      window.probe.record('sent-while-down', peer.connectionState);
      for (const n of [1, 2, 3]) {
        room.send(`bob down ${n}`);
      }
    });
  });
  // Alice sends right after her side gave up on the connection and replaced it.
  await alice.evaluate(() => {
    const room = window.t['room'] as Room;
    const off = room.on('error', (error) => {
      if (error.code !== 'CONNECTION_RETRYING') {
        return;
      }
      off();
      queueMicrotask(() => {
        const peer = [...room.peers.values()][0]!;
        window.probe.record('sent-while-down', peer.connectionState);
        for (const n of [1, 2, 3]) {
          room.send(`alice down ${n}`);
        }
      });
    });
    // The connection reports `failed` for good: the SDK restarts ICE, then gives up and rebuilds.
    const pc = window.probe.onlyConnection();
    Object.defineProperty(pc, 'connectionState', { get: () => 'failed', configurable: true });
    pc.dispatchEvent(new Event('connectionstatechange'));
  });

  const texts = (records: MessageRecord[]): unknown[] => records.map((r) => r.value);
  assert.deepEqual(texts(await messages(bob, 4)), ['before', 'alice down 1', 'alice down 2', 'alice down 3']);
  assert.deepEqual(texts(await messages(alice, 3)), ['bob down 1', 'bob down 2', 'bob down 3']);
  for (const page of [alice, bob]) {
    // Sent while the peer was not connected (queued), over a second connection.
    const [down] = await recordedEvents<string>(page, 'sent-while-down');
    assert.equal(down!.entry, 'reconnecting');
    assert.equal(await page.evaluate(() => window.probe.createdConnections.length), 2);
    assert.equal(await page.evaluate(() => window.probe.openConnections().length), 1);
  }
  await waitConnected(alice, bobId);
  await waitConnected(bob, aliceId);
  await sendAll(alice, [{ kind: 'string', value: 'after' }]);
  assert.deepEqual(texts(await messages(bob, 5)).at(-1), 'after');
  await leaveAll([alice, bob]);
});
