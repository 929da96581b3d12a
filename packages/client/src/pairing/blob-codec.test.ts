import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RendezvousError } from '@rendezvous/protocol';
import { crc32, fromBase64Url, toBase64Url } from './blob-bytes.js';
import { PAIRING_BLOB_PREFIX, PAIRING_MAX_AGE_MS, decodePairingBlob, encodePairingBlob, type PairingBlob } from './blob-codec.js';
import { SAMPLE_ANSWER, SAMPLE_OFFER } from './sample-sdp.test-util.js';

const T0 = Date.UTC(2025, 0, 2, 3, 4, 5);
const offer: PairingBlob = { kind: 'offer', sdp: SAMPLE_OFFER, createdAt: T0, tag: 0xdeadbeef };
const at = (ms: number) => () => ms;

/** Resolves with the rejection's code and reason (fails the test when it resolves). */
async function refusal(promise: Promise<unknown>): Promise<{ code: string; reason: unknown }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RendezvousError, String(error));
    assert.ok(error.message.length > 10, 'a clear message');
    assert.equal(error.final, true);
    return { code: error.code, reason: error.detail?.['reason'] };
  }
  assert.fail('expected a rejection');
}

describe('pairing blob', () => {
  test('round trip: an offer and an answer come back as made (SDP without the dropped candidate extensions)', async () => {
    const text = await encodePairingBlob(offer);
    assert.ok(text.startsWith(PAIRING_BLOB_PREFIX));
    assert.match(text, /^[A-Za-z0-9_-]+$/);
    const back = await decodePairingBlob(text, { expect: 'offer', now: at(T0 + 1000) });
    assert.deepEqual({ ...back, sdp: '' }, { ...offer, sdp: '' });
    assert.equal(back.sdp, SAMPLE_OFFER.replaceAll(' generation 0 network-cost 999', ''));
    const answer = await encodePairingBlob({ kind: 'answer', sdp: SAMPLE_ANSWER, createdAt: T0, tag: offer.tag });
    const got = await decodePairingBlob(answer, { expect: 'answer', tag: offer.tag, now: at(T0) });
    assert.equal(got.kind, 'answer');
    assert.match(got.sdp, /a=setup:active\r\n/);
  });

  test('without compression too, and whitespace from wrapped lines is ignored', async () => {
    const text = await encodePairingBlob(offer, { compress: false });
    const wrapped = `  ${text.slice(0, 40)}\n${text.slice(40, 90)}\r\n ${text.slice(90)}\n`;
    const back = await decodePairingBlob(wrapped, { now: at(T0) });
    assert.equal(back.tag, offer.tag);
    assert.ok((await encodePairingBlob(offer)).length < text.length, 'compression pays');
  });

  test('a typical blob is short enough for a QR code', async () => {
    const text = await encodePairingBlob(offer);
    console.log(`typical offer blob: ${text.length} characters (SDP ${SAMPLE_OFFER.length})`);
    assert.ok(text.length < 700, `${text.length} characters`);
  });

  test('truncated anywhere: PAIRING_TRUNCATED', async () => {
    const text = await encodePairingBlob(offer);
    for (const length of [1, 3, 4, 10, 20, Math.floor(text.length / 2), text.length - 6, text.length - 1]) {
      const { code } = await refusal(decodePairingBlob(text.slice(0, length), { now: at(T0) }));
      assert.equal(code, 'PAIRING_TRUNCATED', `cut to ${length}`);
    }
  });

  test('corrupted: a changed character, a different prefix, foreign text, junk at the end: PAIRING_MALFORMED', async () => {
    const text = await encodePairingBlob(offer);
    for (const index of [4, 10, 30, 200, text.length - 2]) {
      const changed = text.slice(0, index) + (text[index] === 'A' ? 'B' : 'A') + text.slice(index + 1);
      assert.equal((await refusal(decodePairingBlob(changed, { now: at(T0) }))).code, 'PAIRING_MALFORMED', `at ${index}`);
    }
    assert.deepEqual(await refusal(decodePairingBlob(text.replace('RZP1', 'RZP2'))), {
      code: 'PAIRING_MALFORMED',
      reason: 'version',
    });
    assert.deepEqual(await refusal(decodePairingBlob('hello there')), { code: 'PAIRING_MALFORMED', reason: 'prefix' });
    assert.deepEqual(await refusal(decodePairingBlob('  ')), { code: 'PAIRING_MALFORMED', reason: 'empty' });
    assert.deepEqual(await refusal(decodePairingBlob(`${text.slice(0, 20)}!${text.slice(21)}`)), {
      code: 'PAIRING_MALFORMED',
      reason: 'alphabet',
    });
    assert.equal((await refusal(decodePairingBlob(`${text}AAAA`, { now: at(T0) }))).reason, 'trailing');
  });

  test('a right checksum over bytes that do not inflate: PAIRING_MALFORMED, not a crash', async () => {
    const bytes = fromBase64Url((await encodePairingBlob(offer)).slice(4))!;
    bytes.fill(0xff, 12, bytes.length - 4);
    new DataView(bytes.buffer).setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)));
    assert.deepEqual(await refusal(decodePairingBlob(PAIRING_BLOB_PREFIX + toBase64Url(bytes), { now: at(T0) })), {
      code: 'PAIRING_MALFORMED',
      reason: 'inflate',
    });
  });

  test('stale: older than the limit (fake clock), or from a clock far ahead; fresh up to the limit', async () => {
    const text = await encodePairingBlob(offer);
    await decodePairingBlob(text, { now: at(T0 + PAIRING_MAX_AGE_MS) });
    const old = await refusal(decodePairingBlob(text, { now: at(T0 + PAIRING_MAX_AGE_MS + 1000) }));
    assert.deepEqual(old, { code: 'PAIRING_STALE', reason: 'old' });
    const custom = await refusal(decodePairingBlob(text, { now: at(T0 + 61_000), maxAgeMs: 60_000 }));
    assert.equal(custom.code, 'PAIRING_STALE');
    const ahead = await refusal(decodePairingBlob(text, { now: at(T0 - PAIRING_MAX_AGE_MS - 1000) }));
    assert.deepEqual(ahead, { code: 'PAIRING_STALE', reason: 'future' });
  });

  test('the wrong kind, or an answer to another invitation', async () => {
    const text = await encodePairingBlob(offer);
    assert.deepEqual(await refusal(decodePairingBlob(text, { expect: 'answer', now: at(T0) })), {
      code: 'PAIRING_WRONG_KIND',
      reason: 'offer',
    });
    const answer = await encodePairingBlob({ kind: 'answer', sdp: SAMPLE_ANSWER, createdAt: T0, tag: 7 });
    assert.equal((await refusal(decodePairingBlob(answer, { expect: 'offer', now: at(T0) }))).code, 'PAIRING_WRONG_KIND');
    assert.equal((await refusal(decodePairingBlob(answer, { expect: 'answer', tag: 8, now: at(T0) }))).code, 'PAIRING_MISMATCH');
  });
});

describe('blob bytes', () => {
  test('base64url round trip for every length mod 3, and CRC-32 of a known string', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 255]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + 11) & 0xff);
      assert.deepEqual(fromBase64Url(toBase64Url(bytes)), bytes);
    }
    assert.equal(toBase64Url(new Uint8Array([0xfb, 0xff])), '-_8');
    assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  });
});
