import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '@rendezvous/common';
import { settle } from '../data/fake-channel.test-util.js';
import { FileTransfers } from './file-transfers.js';
import type { IncomingTransfer } from './incoming-transfer.js';
import { MAX_CONCURRENT_TRANSFERS_PER_PEER } from './limits.js';
import { linkedPorts } from './linked-ports.test-util.js';
import type { TransferProgress } from './progress.js';
import {
  BATCH,
  CHUNK,
  cancelledOf,
  doneOf,
  errorOf,
  randomFile,
  recordingSink,
  sha256Hex,
} from './transfer-test-kit.test-util.js';

function setup() {
  const link = linkedPorts();
  const clock = new FakeClock(1_000);
  const alice = new FileTransfers(link.alice, { clock });
  const bob = new FileTransfers(link.bob, { clock });
  const offers: IncomingTransfer[] = [];
  bob.on('incoming', (transfer) => offers.push(transfer));
  const nextOffer = (): Promise<IncomingTransfer> =>
    offers.length > 0
      ? Promise.resolve(offers.shift()!)
      : new Promise((resolve) => bob.once('incoming', () => resolve(offers.shift()!)));
  return { link, clock, alice, bob, nextOffer };
}

test('a file arrives whole: same SHA-256 on both sides, progress rising to 100% on both', async () => {
  const { alice, nextOffer } = setup();
  const { file, sha256, bytes } = randomFile(CHUNK * 20 + 777, 'report.pdf');
  const [sent] = alice.send(file, { to: 'bob' });
  const offer = await nextOffer();
  assert.deepEqual(
    [offer.from, offer.name, offer.size, offer.type],
    ['alice', 'report.pdf', file.size, 'application/octet-stream'],
  );
  const sinking = recordingSink();
  const progress: { sender: TransferProgress[]; receiver: TransferProgress[] } = { sender: [], receiver: [] };
  sent!.on('progress', (p) => progress.sender.push(p));
  offer.on('progress', (p) => progress.receiver.push(p));
  const [sentDone, received] = [doneOf(sent!), doneOf(offer)];
  await offer.accept(sinking);
  const result = await received;
  assert.equal(result.sha256, sha256);
  assert.equal(sha256Hex(new Uint8Array(await result.file.arrayBuffer())), sha256);
  assert.deepEqual(new Uint8Array(await result.file.arrayBuffer()), bytes);
  assert.deepEqual(await sentDone, { sha256 });
  assert.equal(sinking.written, file.size, 'each byte was written once');
  for (const list of [progress.sender, progress.receiver]) {
    assert.ok(list.length > 1);
    assert.ok(list.every((p, i) => i === 0 || p.bytes >= list[i - 1]!.bytes));
    assert.equal(list.at(-1)!.percent, 100);
    assert.equal(list.at(-1)!.secondsLeft, 0);
  }
  assert.equal(sent!.state, 'done');
  assert.equal(offer.state, 'done');
});

test('an empty file and a file sent to the whole room (no `to`) arrive too', async () => {
  const { alice, nextOffer } = setup();
  const empty = randomFile(0, 'empty.txt');
  const [sent] = alice.send(empty.file);
  const sentDone = doneOf(sent!);
  const offer = await nextOffer();
  const received = doneOf(offer);
  await offer.accept(recordingSink());
  assert.equal((await received).sha256, empty.sha256);
  assert.deepEqual(await sentDone, { sha256: empty.sha256 });
});

test('a corrupted chunk (test hook) is a FILE_HASH_MISMATCH on both sides; the partial file is dropped', async () => {
  const { alice, nextOffer } = setup();
  const { file, sha256 } = randomFile(CHUNK * 6 + 5);
  const [sent] = alice.send(file, { to: 'bob', corruptChunkForTest: 3 });
  const offer = await nextOffer();
  const sinking = recordingSink();
  const [receiverError, senderError] = [errorOf(offer), errorOf(sent!)];
  let done = false;
  offer.on('done', () => (done = true));
  await offer.accept(sinking);
  const error = await receiverError;
  assert.equal(error.code, 'FILE_HASH_MISMATCH');
  assert.equal(error.detail?.['expected'], sha256, 'the sender hashed the true bytes');
  assert.notEqual(error.detail?.['actual'], sha256);
  assert.equal((await senderError).code, 'FILE_HASH_MISMATCH');
  assert.equal(sinking.aborted, true);
  assert.equal(sinking.closed, false);
  assert.equal(offer.result, null);
  assert.equal(done, false);
});

for (const side of ['sender', 'receiver'] as const) {
  test(`the ${side} cancels mid-transfer: both sides stop, the other sees 'remote', nothing is kept`, async () => {
    const { alice, nextOffer } = setup();
    const { file } = randomFile(BATCH * 6);
    const [sent] = alice.send(file, { to: 'bob' });
    const offer = await nextOffer();
    const [senderCancelled, receiverCancelled] = [cancelledOf(sent!), cancelledOf(offer)];
    const sinking = recordingSink((index) => {
      if (index === 2) {
        (side === 'sender' ? sent! : offer).cancel();
      }
    });
    await offer.accept(sinking);
    assert.deepEqual(
      [await senderCancelled, await receiverCancelled],
      side === 'sender' ? ['local', 'remote'] : ['remote', 'local'],
    );
    await settle();
    assert.equal(sinking.aborted, true);
    assert.ok(sinking.written < file.size);
    assert.deepEqual([sent!.state, offer.state], ['cancelled', 'cancelled']);
  });
}

test('a rejected offer is cancelled on the sender as "rejected"', async () => {
  const { alice, nextOffer } = setup();
  const [sent] = alice.send(randomFile(100).file, { to: 'bob' });
  const cancelled = cancelledOf(sent!);
  (await nextOffer()).reject();
  assert.equal(await cancelled, 'rejected');
});

test('files queue per recipient: at most MAX_CONCURRENT_TRANSFERS_PER_PEER offered at once, all arrive in order', async () => {
  const { alice, bob, nextOffer } = setup();
  const files = [0, 1, 2, 3, 4].map((n) => randomFile(CHUNK + n, `f${n}`));
  const sent = files.flatMap(({ file }) => alice.send(file, { to: 'bob' }));
  await settle();
  assert.equal(bob.active.incoming.length, MAX_CONCURRENT_TRANSFERS_PER_PEER);
  assert.equal(sent.filter((t) => t.state === 'queued').length, files.length - MAX_CONCURRENT_TRANSFERS_PER_PEER);
  const names: string[] = [];
  for (let i = 0; i < files.length; i++) {
    const offer = await nextOffer();
    names.push(offer.name);
    const received = doneOf(offer);
    await offer.accept(recordingSink());
    assert.equal((await received).sha256, files.find((f) => f.file.name === offer.name)!.sha256);
  }
  assert.deepEqual(names, ['f0', 'f1', 'f2', 'f3', 'f4']);
});

test('a peer leaving fails its transfers; close() ends everything and leaves no listener, timer or stored part', async () => {
  const { link, clock, alice, bob, nextOffer } = setup();
  const [first] = alice.send(randomFile(BATCH * 5).file, { to: 'bob' });
  const offer = await nextOffer();
  const sinking = recordingSink((index) => (index === 2 ? link.drop() : undefined));
  await offer.accept(sinking);
  await new Promise((resolve) => offer.once('state', resolve)); // paused: a resume timer runs
  assert.equal(offer.state, 'paused');
  assert.ok(clock.pending > 0);
  const failed = errorOf(first!);
  link.alice.leave('bob');
  assert.equal((await failed).detail?.['cause'], 'peer-left');
  const closedError = errorOf(offer);
  bob.close();
  alice.close();
  assert.equal((await closedError).detail?.['cause'], 'closed');
  await settle();
  assert.equal(sinking.aborted, true);
  assert.equal(clock.pending, 0);
  assert.deepEqual([link.alice.listeners, link.bob.listeners], [0, 0]);
  assert.deepEqual(bob.active, { outgoing: [], incoming: [] });
  assert.throws(() => alice.send(randomFile(1).file), { code: 'INVALID_STATE' });
});
