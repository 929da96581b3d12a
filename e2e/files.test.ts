import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { Room } from '@rendezvous/client';
import { browserOf, useFixture, type Fixture } from './harness/fixture.js';
import { leftovers, openPeerPage, recordedEvents } from './harness/peer.js';

const fx = useFixture(['chromium', 'firefox']);

const MB = 1024 * 1024;

/** What the receiving page records about a transfer (`received`), and the sending page (`sent`). */
interface Outcome {
  kind: 'done' | 'error' | 'cancelled';
  sha256?: string;
  /** SHA-256 of the stored file, recomputed in the page with crypto.subtle (not by the SDK). */
  storedSha256?: string;
  size?: number;
  code?: string;
  by?: string;
  states: string[];
  percents: number[];
}

/** Joins without media; the receiving side records every offer, accepts it (default sink), and records the outcome. */
async function join(fixture: Fixture, page: Page, room: string, name: string, iceRestartTimeoutMs?: number): Promise<string> {
  return page.evaluate(
    async (wsUrl, room, name, iceRestartTimeoutMs) => {
      const joined = await window.Rendezvous.Room.join(wsUrl, room, {
        displayName: name,
        media: null,
        ...(iceRestartTimeoutMs === null ? {} : { iceRestartTimeoutMs }),
      });
      window.t['room'] = joined;
      const hex = async (blob: Blob): Promise<string> =>
        [...new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()))]
          .map((b) => b.toString(16).padStart(2, '0'))
          .join('');
      joined.files.on('incoming', (transfer) => {
        window.t['incoming'] = transfer;
        const states: string[] = [];
        const percents: number[] = [];
        transfer.on('state', (state) => states.push(state));
        transfer.on('progress', (p) => percents.push(p.percent));
        transfer.on('done', (result) => {
          void hex(result.file).then((storedSha256) =>
            window.probe.record('received', {
              kind: 'done',
              sha256: result.sha256,
              storedSha256,
              size: result.file.size,
              states,
              percents,
            }),
          );
        });
        transfer.on('error', (error) => window.probe.record('received', { kind: 'error', code: error.code, states, percents }));
        transfer.on('cancelled', (by) => window.probe.record('received', { kind: 'cancelled', by, states, percents }));
        window.probe.record('offer', { name: transfer.name, size: transfer.size, from: transfer.from });
        void transfer.accept();
      });
      return joined.peerId;
    },
    fixture.server.wsUrl,
    room,
    name,
    iceRestartTimeoutMs ?? null,
  );
}

/**
 * Makes `size` random bytes in the page (in 64 KiB parts, so no single buffer), hashes them with crypto.subtle, and
 * sends them to `to`; records the sender's outcome as `sent`. Resolves with the expected SHA-256.
 */
async function sendRandom(page: Page, to: string, size: number, options: { corruptChunkForTest?: number } = {}): Promise<string> {
  return page.evaluate(
    async (to, size, corrupt) => {
      const parts: Uint8Array<ArrayBuffer>[] = [];
      for (let at = 0; at < size; at += 65536) {
        parts.push(crypto.getRandomValues(new Uint8Array(Math.min(65536, size - at))));
      }
      const file = new File(parts, 'random.bin', { type: 'application/octet-stream' });
      const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
      const expected = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
      const room = window.t['room'] as Room;
      const [transfer] = room.files.send(file, { to, ...(corrupt === null ? {} : { corruptChunkForTest: corrupt }) });
      window.t['outgoing'] = transfer;
      const states: string[] = [];
      const percents: number[] = [];
      transfer!.on('state', (state) => states.push(state));
      transfer!.on('progress', (p) => percents.push(p.percent));
      transfer!.on('done', (r) => window.probe.record('sent', { kind: 'done', sha256: r.sha256, states, percents }));
      transfer!.on('error', (e) => window.probe.record('sent', { kind: 'error', code: e.code, states, percents }));
      transfer!.on('cancelled', (by) => window.probe.record('sent', { kind: 'cancelled', by, states, percents }));
      return expected;
    },
    to,
    size,
    options.corruptChunkForTest ?? null,
  );
}

async function outcome(page: Page, name: 'sent' | 'received', timeout = 120_000): Promise<Outcome> {
  const [first] = await recordedEvents<Outcome>(page, name, 1, timeout);
  return first!.entry;
}

function waitConnected(page: Page, peerId: string): Promise<unknown> {
  return page.waitForFunction(
    (id) => (window.t['room'] as Room).peers.get(id)?.connectionState === 'connected',
    { polling: 100, timeout: 45_000 },
    peerId,
  );
}

/** Waits until the page's transfer (`incoming` or `outgoing`) passed `percent`. */
function progressPast(page: Page, key: 'incoming' | 'outgoing', percent: number): Promise<unknown> {
  return page.waitForFunction(
    (key, percent) => ((window.t[key] as { progress?: { percent: number } } | undefined)?.progress?.percent ?? 0) > percent,
    { polling: 50, timeout: 60_000 },
    key,
    percent,
  );
}

async function pair(browsers: ['chromium' | 'firefox', 'chromium' | 'firefox'], room: string, iceRestartTimeoutMs?: number) {
  const sender = await openPeerPage(browserOf(fx, browsers[0]), fx.pages.url);
  const receiver = await openPeerPage(browserOf(fx, browsers[1]), fx.pages.url);
  const senderId = await join(fx, sender, room, 'Sender', iceRestartTimeoutMs);
  const receiverId = await join(fx, receiver, room, 'Receiver', iceRestartTimeoutMs);
  await waitConnected(sender, receiverId);
  return { sender, receiver, senderId, receiverId };
}

async function leaveAll(pages: Page[]): Promise<void> {
  for (const page of pages) {
    await page.evaluate(() => (window.t['room'] as Room).leave());
    assert.equal((await leftovers(page)).openConnections, 0);
    await page.close();
  }
}

function assertRising(percents: number[]): void {
  assert.ok(percents.length > 2);
  assert.ok(
    percents.every((p, i) => i === 0 || p >= percents[i - 1]!),
    'progress never went back',
  );
  assert.equal(percents.at(-1), 100);
}

test('a 50 MB file between two Chromium pages arrives with a matching SHA-256; progress rises to 100% on both', async () => {
  const { sender, receiver, senderId, receiverId } = await pair(['chromium', 'chromium'], 'files-50m');
  const size = 50 * MB;
  const expected = await sendRandom(sender, receiverId, size);
  const [offer] = await recordedEvents<{ name: string; size: number; from: string }>(receiver, 'offer');
  assert.deepEqual(offer!.entry, { name: 'random.bin', size, from: senderId });
  const [got, sent] = [await outcome(receiver, 'received'), await outcome(sender, 'sent')];
  assert.equal(got.kind, 'done', JSON.stringify(got).slice(0, 300));
  assert.deepEqual([got.sha256, got.storedSha256, got.size], [expected, expected, size]);
  assert.deepEqual([sent.kind, sent.sha256], ['done', expected]);
  assertRising(got.percents);
  assertRising(sent.percents);
  await leaveAll([sender, receiver]);
});

test('Chromium → Firefox: an 8 MB file arrives with a matching SHA-256', async () => {
  const { sender, receiver, receiverId } = await pair(['chromium', 'firefox'], 'files-firefox');
  const size = 8 * MB + 12_345;
  const expected = await sendRandom(sender, receiverId, size);
  const got = await outcome(receiver, 'received');
  assert.equal(got.kind, 'done', JSON.stringify(got).slice(0, 300));
  assert.deepEqual([got.sha256, got.storedSha256, got.size], [expected, expected, size]);
  assert.equal((await outcome(sender, 'sent')).kind, 'done');
  await leaveAll([sender, receiver]);
});

test('a transfer cancelled by the receiver stops on both sides', async () => {
  const { sender, receiver, receiverId } = await pair(['chromium', 'chromium'], 'files-cancel');
  await sendRandom(sender, receiverId, 40 * MB);
  await progressPast(receiver, 'incoming', 5);
  await receiver.evaluate(() => (window.t['incoming'] as { cancel(): void }).cancel());
  const [got, sent] = [await outcome(receiver, 'received'), await outcome(sender, 'sent')];
  assert.deepEqual([got.kind, got.by], ['cancelled', 'local']);
  assert.deepEqual([sent.kind, sent.by], ['cancelled', 'remote']);
  assert.ok(got.percents.at(-1)! < 100);
  await leaveAll([sender, receiver]);
});

test('a transfer whose link is cut midway resumes and completes with the right hash', async () => {
  const { sender, receiver, receiverId } = await pair(['chromium', 'chromium'], 'files-resume', 1000);
  // Large enough that the transfer outlasts the ICE restart (1 s) after the cut: data flows until the SDK gives up.
  const size = 64 * MB;
  const expected = await sendRandom(sender, receiverId, size);
  await progressPast(receiver, 'incoming', 10);
  // The sender's connection reports `failed` for good: the SDK restarts ICE, gives up, and rebuilds it.
  await sender.evaluate(() => {
    const pc = window.probe.onlyConnection();
    Object.defineProperty(pc, 'connectionState', { get: () => 'failed', configurable: true });
    pc.dispatchEvent(new Event('connectionstatechange'));
  });
  const [got, sent] = [await outcome(receiver, 'received'), await outcome(sender, 'sent')];
  assert.equal(got.kind, 'done', JSON.stringify(got).slice(0, 300));
  assert.deepEqual([got.sha256, got.storedSha256, got.size], [expected, expected, size]);
  assert.ok(got.states.includes('paused'), `receiver states: ${got.states.join(' → ')}`);
  assert.ok(sent.states.includes('paused'), `sender states: ${sent.states.join(' → ')}`);
  assert.equal(sent.kind, 'done');
  assert.equal(await sender.evaluate(() => window.probe.createdConnections.length), 2, 'the link was rebuilt');
  await leaveAll([sender, receiver]);
});

test('a corrupted chunk (test hook) is reported as FILE_HASH_MISMATCH on both sides, never as success', async () => {
  const { sender, receiver, receiverId } = await pair(['chromium', 'chromium'], 'files-corrupt');
  await sendRandom(sender, receiverId, 2 * MB, { corruptChunkForTest: 7 });
  const [got, sent] = [await outcome(receiver, 'received'), await outcome(sender, 'sent')];
  assert.deepEqual([got.kind, got.code], ['error', 'FILE_HASH_MISMATCH']);
  assert.deepEqual([sent.kind, sent.code], ['error', 'FILE_HASH_MISMATCH']);
  assert.equal(await receiver.evaluate(() => (window.t['incoming'] as { result: unknown }).result), null);
  await leaveAll([sender, receiver]);
});
