import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readAudioLevel, rtpMarker, rtpPayloadType, rtpSequence, rtpSsrc, rtpTimestamp } from './rtp-header.js';
import { StreamRewriter } from './stream-rewriter.js';

function rtp(ssrc: number, seq: number, ts: number, options: { marker?: boolean; ext?: boolean } = {}): Buffer {
  const ext = options.ext ? Buffer.from('bede000110aa0000', 'hex') : Buffer.alloc(0);
  const header = Buffer.alloc(12);
  header[0] = options.ext ? 0x90 : 0x80;
  header[1] = (options.marker ? 0x80 : 0) | 100;
  header.writeUInt16BE(seq & 0xffff, 2);
  header.writeUInt32BE(ts >>> 0, 4);
  header.writeUInt32BE(ssrc >>> 0, 8);
  return Buffer.concat([header, ext, Buffer.from([1, 2, 3, 4])]);
}

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

const fields = (p: Buffer | null): [number, number] => {
  assert.ok(p);
  return [rtpSequence(p), rtpTimestamp(p)];
};

const make = (extra: { stripExtensions?: boolean; keptExtensionId?: number } = {}) =>
  new StreamRewriter({ ssrc: 0xabc, payloadType: 96, initialSequence: 1000, initialTimestamp: 50_000, ...extra });

test('rewrites SSRC, PT, sequence and timestamp on a copy, keeping the marker', () => {
  const rw = make();
  const src = rtp(7, 500, 9000, { marker: true });
  const before = Buffer.from(src);
  const out = rw.rewrite(src, 0, 90000);
  assert.ok(out);
  assert.notEqual(out, src);
  assert.deepEqual(src, before, 'source untouched');
  assert.equal(rtpSsrc(out), 0xabc);
  assert.equal(rtpPayloadType(out), 96);
  assert.equal(rtpMarker(out), true);
  assert.deepEqual(fields(out), [1000, 50_000]);
  assert.deepEqual(out.subarray(12), src.subarray(12), 'payload carried');
  assert.deepEqual(fields(rw.rewrite(rtp(7, 501, 12000), 33, 90000)), [1001, 53_000]);
  assert.deepEqual(rw.stats, { packets: 2, bytes: 32, payloadBytes: 8 });
  assert.deepEqual(rw.lastOutput, { seq: 1001, timestamp: 53_000, atMs: 33 });
});

test('a new source continues the sequence and advances the timestamp by elapsed wall time', () => {
  const rw = make();
  rw.rewrite(rtp(7, 500, 9000), 0, 90000);
  rw.rewrite(rtp(7, 501, 12000), 100, 90000);
  // Publisher B replaces A 50 ms later with unrelated numbers.
  assert.deepEqual(fields(rw.rewrite(rtp(8, 40000, 777), 150, 90000)), [1002, 50_000 + 3000 + 4500]);
  assert.deepEqual(fields(rw.rewrite(rtp(8, 40001, 777 + 3000), 183, 90000)), [1003, 57_500 + 3000]);
  // Audio at 48 kHz, same instant: advances at least one tick.
  const audio = make();
  audio.rewrite(rtp(1, 10, 960), 10, 48000);
  assert.deepEqual(fields(audio.rewrite(rtp(2, 5, 0), 10, 48000)), [1001, 50_001]);
});

test('reordered and duplicate packets map through the offset; lastOutput stays at the newest', () => {
  const rw = make();
  rw.rewrite(rtp(7, 10, 0), 0, 90000);
  rw.rewrite(rtp(7, 12, 6000), 40, 90000);
  assert.deepEqual(fields(rw.rewrite(rtp(7, 11, 3000), 45, 90000)), [1001, 53_000], 'late packet still forwarded');
  assert.deepEqual(fields(rw.rewrite(rtp(7, 11, 3000), 46, 90000)), [1001, 53_000], 'duplicate forwarded as is');
  assert.deepEqual(rw.lastOutput, { seq: 1002, timestamp: 56_000, atMs: 40 });
  // A reordered first packet of the very first source is fine: nothing was sent before it.
  const first = make();
  first.rewrite(rtp(7, 10, 0), 0, 90000);
  assert.deepEqual(fields(first.rewrite(rtp(7, 9, 0), 1, 90000)), [999, 50_000]);
});

test('after a switch, packets older than the new source start are dropped (their numbers were taken)', () => {
  const rw = make();
  rw.rewrite(rtp(7, 10, 0), 0, 90000);
  rw.rewrite(rtp(8, 300, 0), 20, 90000);
  assert.equal(rw.rewrite(rtp(8, 299, 0), 21, 90000), null);
  assert.deepEqual(fields(rw.rewrite(rtp(8, 301, 0), 22, 90000)), [1002, 51_800]);
});

test('stragglers from the replaced source are dropped within the grace period, switched to after it', () => {
  const rw = make();
  rw.rewrite(rtp(7, 10, 0), 0, 90000);
  rw.rewrite(rtp(8, 300, 0), 20, 90000);
  assert.equal(rw.rewrite(rtp(7, 11, 3000), 30, 90000), null);
  assert.deepEqual(fields(rw.rewrite(rtp(8, 301, 0), 40, 90000)), [1002, 51_800]);
  // The old publisher comes back for real two seconds later.
  assert.deepEqual(fields(rw.rewrite(rtp(7, 5000, 0), 2040, 90000)), [1003, 51_800 + 180_000]);
});

test('a restart under the same SSRC (sequence jump) continues the output like a switch', () => {
  const rw = make();
  rw.rewrite(rtp(7, 10, 0), 0, 90000);
  rw.rewrite(rtp(8, 300, 0), 20, 90000);
  // B restarts with a new random sequence number, 40000 ahead (would read as 25536 behind).
  assert.deepEqual(fields(rw.rewrite(rtp(8, 40300, 99), 60, 90000)), [1002, 51_800 + 3600]);
  assert.deepEqual(fields(rw.rewrite(rtp(8, 40301, 99 + 3000), 93, 90000)), [1003, 58_400]);
  // A's stragglers are still within the grace period of the real switch.
  assert.equal(rw.rewrite(rtp(7, 11, 0), 100, 90000), null);
  // Within the dropout window a jump is loss, not a restart.
  assert.deepEqual(fields(rw.rewrite(rtp(8, 42301, 99 + 6000), 126, 90000)), [3003, 61_400]);
});

test('16-bit sequence and 32-bit timestamp wrap on input and output', () => {
  const rw = new StreamRewriter({ ssrc: 1, payloadType: 96, initialSequence: 65535, initialTimestamp: 0xffffff00 });
  assert.deepEqual(fields(rw.rewrite(rtp(7, 65534, 0xffffffff), 0, 90000)), [65535, 0xffffff00]);
  assert.deepEqual(fields(rw.rewrite(rtp(7, 65535, 0x1ff), 10, 90000)), [0, 0x100], 'input ts +512');
  assert.deepEqual(fields(rw.rewrite(rtp(7, 0, 0x2ff), 20, 90000)), [1, 0x200]);
  assert.deepEqual(fields(rw.rewrite(rtp(7, 65533, 0), 21, 90000)), [65534, 0xffffff01], 'reordered across the wrap');
  assert.deepEqual(rw.lastOutput, { seq: 1, timestamp: 0x200, atMs: 20 });
  // Switching right after the wrap continues from 1.
  assert.deepEqual(fields(rw.rewrite(rtp(9, 123, 0), 20, 90000)), [2, 0x201]);
});

test('stripExtensions removes the extension block from the copy only', () => {
  const rw = make({ stripExtensions: true });
  const src = rtp(7, 1, 0, { ext: true });
  const out = rw.rewrite(src, 0, 90000);
  assert.ok(out);
  assert.equal(out.length, src.length - 8);
  assert.equal(out[0], 0x80);
  assert.equal(src[0], 0x90);
  assert.equal(rtpSsrc(src), 7);
  assert.deepEqual(out.subarray(12), Buffer.from([1, 2, 3, 4]));
  assert.deepEqual(rw.stats, { packets: 1, bytes: 16, payloadBytes: 4 });
  // Padding (P bit, last octet 3) is not payload.
  rw.rewrite(hex('a0640002 00000000 00000007 0102 000003'), 1, 90000);
  assert.equal(rw.stats.payloadBytes, 6);
  const kept = make().rewrite(rtp(7, 1, 0, { ext: true }), 0, 90000);
  assert.equal(kept?.length, src.length);
});

test('keptExtensionId keeps the audio level under the subscriber id, whatever id each source used', () => {
  const rw = make({ stripExtensions: true, keptExtensionId: 3 });
  // The fixture's block holds id 1, one byte 0xaa (V=1, level 42).
  const out = rw.rewrite(rtp(7, 1, 0, { ext: true }), 0, 48000, 1);
  assert.ok(out);
  assert.deepEqual(out.subarray(12, 20), hex('bede0001 30aa0000'));
  assert.deepEqual(readAudioLevel(out, 3), { level: 42, voice: true });
  assert.deepEqual(out.subarray(20), Buffer.from([1, 2, 3, 4]));
  assert.deepEqual(rw.stats, { packets: 1, bytes: 24, payloadBytes: 4 });
  // A source that negotiated another id for it (or none) sends nothing the subscriber would keep.
  assert.equal(rw.rewrite(rtp(7, 2, 960, { ext: true }), 20, 48000, 2)?.[0], 0x80);
  assert.equal(rw.rewrite(rtp(7, 3, 1920, { ext: true }), 40, 48000)?.[0], 0x80);
});

test('malformed packets return null and change nothing', () => {
  const rw = make();
  assert.equal(rw.rewrite(hex('80640001'), 0, 90000), null);
  assert.equal(rw.rewrite(hex('90640001 00000000 00000007 bede0009'), 0, 90000), null);
  assert.equal(rw.lastOutput, null);
  assert.deepEqual(rw.stats, { packets: 0, bytes: 0, payloadBytes: 0 });
});

test('a NACKed output number maps back to its source number, and `again` rebuilds the same packet, changing nothing', () => {
  const rw = make();
  const sent = [rtp(7, 500, 9000), rtp(7, 501, 9000), rtp(7, 502, 12000)].map((p) => rw.rewrite(p, 0, 90_000));
  assert.deepEqual(sent.map(fields), [
    [1000, 50_000],
    [1001, 50_000],
    [1002, 53_000],
  ]);
  assert.equal(rw.sourceSequence(1001), 501);
  assert.equal(rw.sourceSequence(1003), null, 'not sent yet');
  const again = rw.again(rtp(7, 501, 9000));
  assert.deepEqual(again, sent[1]);
  assert.equal(rw.stats.packets, 3, 'a retransmission is not counted again');
  assert.deepEqual(rw.lastOutput, { seq: 1002, timestamp: 53_000, atMs: 0 });
  // After a switch the old source's numbers are gone: nothing to send for them.
  rw.rewrite(rtp(8, 40, 1), 2000, 90_000);
  assert.equal(rw.sourceSequence(1001), null);
  assert.equal(rw.again(rtp(7, 501, 9000)), null, 'a packet of the replaced source');
  assert.equal(rw.sourceSequence(1003), 40);
});

test('reuseOutput writes every copy into one shared buffer (valid until the next call), the source untouched', () => {
  const a = new StreamRewriter({ ssrc: 0xa, payloadType: 96, initialSequence: 10, initialTimestamp: 0, reuseOutput: true });
  const b = new StreamRewriter({ ssrc: 0xb, payloadType: 97, initialSequence: 20, initialTimestamp: 0, reuseOutput: true });
  const src = rtp(7, 500, 9000);
  const before = Buffer.from(src);
  const first = a.rewrite(src, 0, 90_000);
  assert.ok(first);
  assert.deepEqual([rtpSsrc(first), rtpPayloadType(first), rtpSequence(first)], [0xa, 96, 10]);
  assert.deepEqual(first.subarray(12), src.subarray(12));
  const second = b.rewrite(src, 0, 90_000);
  assert.ok(second);
  assert.equal(second.buffer, first.buffer, 'the same memory');
  assert.deepEqual([rtpSsrc(second), rtpPayloadType(second), rtpSequence(second)], [0xb, 97, 20]);
  assert.deepEqual(src, before);
});
