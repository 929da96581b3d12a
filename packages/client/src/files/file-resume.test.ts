import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '@rendezvous/common';
import { FileTransfers } from './file-transfers.js';
import type { IncomingTransfer } from './incoming-transfer.js';
import { RESUME_TIMEOUT_MS } from './limits.js';
import { linkedPorts } from './linked-ports.test-util.js';
import type { TransferState } from './transfer-types.js';
import { BATCH, doneOf, errorOf, randomFile, recordingSink } from './transfer-test-kit.test-util.js';

function setup() {
  const link = linkedPorts();
  const clock = new FakeClock(1_000);
  const alice = new FileTransfers(link.alice, { clock });
  const bob = new FileTransfers(link.bob, { clock });
  const offer = new Promise<IncomingTransfer>((resolve) => bob.once('incoming', resolve));
  const offsets: number[] = [];
  link.bob.data.on('internal-stream', (_topic, stream) => offsets.push(stream.meta['offset'] as number));
  return { link, clock, alice, offer, offsets };
}

function reaches(
  transfer: { state: TransferState; on(e: 'state', l: (s: TransferState) => void): () => void },
  state: TransferState,
) {
  return new Promise<void>((resolve) => {
    if (transfer.state === state) {
      return resolve();
    }
    const off = transfer.on('state', (s) => (s === state ? (off(), resolve()) : undefined));
  });
}

test('a dropped link resumes from the last verified chunk and completes with the right hash', async () => {
  const { link, alice, offer: offered, offsets } = setup();
  const { file, sha256, bytes } = randomFile(BATCH * 6 + 99);
  const [sent] = alice.send(file, { to: 'bob' });
  const offer = await offered;
  const sinking = recordingSink((index) => (index === 3 ? link.drop() : undefined));
  const [sentDone, received] = [doneOf(sent!), doneOf(offer)];
  await offer.accept(sinking);
  await Promise.all([reaches(offer, 'paused'), reaches(sent!, 'paused')]);
  link.reconnect();
  const result = await received;
  assert.equal(result.sha256, sha256);
  assert.deepEqual(new Uint8Array(await result.file.arrayBuffer()), bytes);
  assert.deepEqual(await sentDone, { sha256 });
  assert.deepEqual(offsets, [0, 4 * BATCH], 'the second stream started where the receiver had verified');
  assert.equal(sinking.written, file.size, 'no chunk was stored twice');
  assert.equal(offer.progress.percent, 100);
});

test('a link that never comes back fails both sides after RESUME_TIMEOUT_MS, and the partial file is dropped', async () => {
  const { link, clock, alice, offer: offered } = setup();
  const [sent] = alice.send(randomFile(BATCH * 5).file, { to: 'bob' });
  const offer = await offered;
  const sinking = recordingSink((index) => (index === 2 ? link.drop() : undefined));
  const [senderError, receiverError] = [errorOf(sent!), errorOf(offer)];
  await offer.accept(sinking);
  await Promise.all([reaches(offer, 'paused'), reaches(sent!, 'paused')]);
  clock.advance(RESUME_TIMEOUT_MS - 1);
  assert.deepEqual([offer.state, sent!.state], ['paused', 'paused']);
  clock.advance(1);
  assert.equal((await receiverError).detail?.['cause'], 'resume-timeout');
  assert.equal((await senderError).detail?.['cause'], 'resume-timeout');
  assert.equal(sinking.aborted, true);
  assert.equal(clock.pending, 0);
});

test('a resume request with an offset the sender never sent fails the transfer (protocol)', async () => {
  const { link, alice, offer: offered } = setup();
  const [sent] = alice.send(randomFile(BATCH * 10).file, { to: 'bob' });
  const offer = await offered;
  const failed = errorOf(sent!);
  await offer.accept(recordingSink((index) => (index === 1 ? link.drop() : undefined)));
  await reaches(sent!, 'paused');
  link.reconnect();
  link.bob.data.sendInternal('files', { t: 'resume', id: sent!.id, offset: BATCH * 9, attempt: 3 }, { to: 'alice' });
  const error = await failed;
  assert.deepEqual([error.code, error.detail?.['cause']], ['DATA_CHANNEL_CLOSED', 'protocol']);
});
