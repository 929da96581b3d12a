import assert from 'node:assert/strict';
import { test } from 'node:test';
import { settle } from '../data/fake-channel.test-util.js';
import type { JsonValue } from '../data/index.js';
import { parseControl } from './control.js';
import { FileTransfers } from './file-transfers.js';
import type { IncomingTransfer } from './incoming-transfer.js';
import { MAX_FILE_NAME_CHARS, MAX_INCOMING_TRANSFERS_PER_PEER } from './limits.js';
import { linkedPorts } from './linked-ports.test-util.js';
import { errorOf, recordingSink } from './transfer-test-kit.test-util.js';

const OFFER = { t: 'offer', id: 'f1', name: 'a.txt', size: 10, type: 'text/plain' };

test('parseControl refuses malformed control messages', () => {
  const bad: JsonValue[] = [
    null,
    'offer',
    [OFFER],
    { ...OFFER, id: '../etc' },
    { ...OFFER, id: 'x'.repeat(65) },
    { ...OFFER, size: -1 },
    { ...OFFER, size: 1.5 },
    { ...OFFER, size: 2 ** 60 },
    { ...OFFER, name: 'n'.repeat(MAX_FILE_NAME_CHARS + 1) },
    { ...OFFER, type: 7 },
    { t: 'resume', id: 'f1', offset: 0, attempt: 0 },
    { t: 'resume', id: 'f1', offset: '0', attempt: 1 },
    { t: 'digest', id: 'f1', sha256: 'ABC' },
    { t: 'result', id: 'f1', ok: 'yes' },
    { t: 'cancel', id: 'f1', reason: 'because' },
    { t: 'nope', id: 'f1' },
  ];
  for (const data of bad) {
    assert.equal(parseControl(data), null, JSON.stringify(data).slice(0, 80));
  }
  assert.deepEqual(parseControl(OFFER), OFFER);
  assert.deepEqual(parseControl({ t: 'resume', id: 'f1', offset: 65536, attempt: 2, extra: 1 }), {
    t: 'resume',
    id: 'f1',
    offset: 65536,
    attempt: 2,
  });
});

function setup() {
  const link = linkedPorts();
  const bob = new FileTransfers(link.bob);
  const offers: IncomingTransfer[] = [];
  bob.on('incoming', (offer) => offers.push(offer));
  const toAlice: JsonValue[] = [];
  link.alice.data.on('internal', (_from, topic, data) => (topic === 'files' ? toAlice.push(data) : undefined));
  const raw = (data: JsonValue): void => link.alice.data.sendInternal('files', data, { to: 'bob' });
  return { link, bob, offers, toAlice, raw };
}

test('junk and out-of-place control messages are dropped; a valid offer after them still arrives', async () => {
  const { offers, toAlice, raw } = setup();
  const junks: JsonValue[] = [{ t: 'offer', id: 'f1', size: -5 }, { t: 'digest', id: 'nope', sha256: 'a'.repeat(64) }, 42, 'x'];
  for (const junk of junks) {
    raw(junk);
  }
  raw({ t: 'accept', id: 'f1' });
  raw({ t: 'result', id: 'f1', ok: true });
  raw({ t: 'cancel', id: 'zzz', reason: 'cancelled' });
  await settle();
  assert.equal(offers.length, 0);
  raw(OFFER);
  raw(OFFER); // repeated: ignored
  await settle();
  assert.deepEqual(
    offers.map((o) => [o.id, o.name, o.size]),
    [['f1', 'a.txt', 10]],
  );
  assert.deepEqual(toAlice, []);
});

test('offers past MAX_INCOMING_TRANSFERS_PER_PEER are rejected', async () => {
  const { offers, toAlice, raw } = setup();
  for (let i = 0; i <= MAX_INCOMING_TRANSFERS_PER_PEER; i++) {
    raw({ ...OFFER, id: `f${i}` });
  }
  await settle();
  assert.equal(offers.length, MAX_INCOMING_TRANSFERS_PER_PEER);
  assert.deepEqual(toAlice, [{ t: 'reject', id: `f${MAX_INCOMING_TRANSFERS_PER_PEER}` }]);
});

test('a stream past the offered size fails the transfer and tells the sender; streams for no transfer are refused', async () => {
  const { link, offers, toAlice, raw } = setup();
  const stray = link.alice.data.openStream('bob', { id: 'ghost', offset: 0 }, { topic: 'files' });
  const strayFailed = new Promise((resolve) => stray.once('error', resolve));
  raw(OFFER);
  await settle();
  const offer = offers[0]!;
  const sinking = recordingSink();
  const failed = errorOf(offer);
  await offer.accept(sinking);
  const stream = link.alice.data.openStream('bob', { id: 'f1', offset: 0 }, { topic: 'files' });
  void stream.write(new Uint8Array(25)).catch(() => undefined);
  const error = await failed;
  assert.deepEqual([error.detail?.['cause'], error.detail?.['reason']], ['protocol', 'more bytes than the offered size']);
  assert.equal(sinking.aborted, true);
  await settle();
  assert.deepEqual(toAlice, [
    { t: 'accept', id: 'f1' },
    { t: 'cancel', id: 'f1', reason: 'error' },
  ]);
  assert.equal(((await strayFailed) as { detail: Record<string, unknown> }).detail['cause'], 'aborted-remotely');
});
