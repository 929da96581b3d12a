import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReceiveStats } from './receive-stats.js';

/** Feeds packets of 20 ms of 8 kHz audio, each arriving at its own send time (no jitter). */
function feed(stats: ReceiveStats, seqs: number[]): void {
  for (const seq of seqs) {
    stats.onPacket(seq, seq * 160, seq * 20, 8000);
  }
}

const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => (from + i) & 0xffff);

test('no report before the first packet', () => {
  assert.equal(new ReceiveStats().reportBlock(1, 0), null);
});

test('loss: fraction per interval, cumulative over the stream', () => {
  const stats = new ReceiveStats();
  feed(stats, [1, 2, 3, 6, 7, 8, 9, 10]);
  assert.deepEqual(stats.reportBlock(0xaa, 1000), {
    ssrc: 0xaa,
    fractionLost: 51, // floor(2 × 256 / 10)
    cumulativeLost: 2,
    highestSeq: 10,
    jitter: 0,
    lsr: 0,
    dlsr: 0,
  });
  feed(stats, range(11, 10));
  const second = stats.reportBlock(0xaa, 2000);
  assert.equal(second?.fractionLost, 0, 'nothing lost in the second interval');
  assert.equal(second?.cumulativeLost, 2);
  assert.equal(second?.highestSeq, 20);
  // 21–24 lost out of the 5 expected in the third interval.
  feed(stats, [25]);
  assert.equal(stats.reportBlock(0xaa, 3000)?.fractionLost, 204, 'floor(4 × 256 / 5)');
});

test('duplicates make cumulative loss negative and fraction 0', () => {
  const stats = new ReceiveStats();
  feed(stats, [1, 2, 2, 3, 3, 3]);
  const block = stats.reportBlock(1, 0);
  assert.equal(block?.cumulativeLost, -3);
  assert.equal(block?.fractionLost, 0);
});

test('the extended highest sequence number counts cycles, reordering across the wrap is not a cycle', () => {
  const stats = new ReceiveStats();
  feed(stats, [65534, 65535, 1, 0, 2]);
  assert.equal(stats.extendedHighestSeq, 0x10002);
  assert.equal(stats.cumulativeLost, 0);
  assert.equal(stats.reportBlock(1, 0)?.highestSeq, 0x10002);
});

test('a large jump is ignored once, and taken as a restart when the next packet confirms it', () => {
  const stats = new ReceiveStats();
  feed(stats, range(100, 5));
  assert.equal(stats.onPacket(40000, 0, 200, 8000), false, 'stray');
  assert.equal(stats.onPacket(105, 105 * 160, 220, 8000), true);
  assert.equal(stats.extendedHighestSeq, 105);
  assert.equal(stats.cumulativeLost, 0);
  // Sender restarts at 50000.
  assert.equal(stats.onPacket(50000, 0, 240, 8000), false);
  assert.equal(stats.onPacket(50001, 160, 260, 8000), true);
  assert.equal(stats.extendedHighestSeq, 50001);
  assert.equal(stats.received, 1);
  assert.equal(stats.cumulativeLost, 0);
});

test('jitter follows RFC 3550 A.8', () => {
  const stats = new ReceiveStats();
  stats.onPacket(1, 0, 0, 8000);
  stats.onPacket(2, 160, 20, 8000);
  assert.equal(stats.jitter, 0, 'constant transit');
  stats.onPacket(3, 320, 50, 8000); // 10 ms late: D = 240 - 160 = 80 → J = 5
  assert.equal(stats.jitter, 5);
  stats.onPacket(4, 480, 60, 8000); // back on time: D = |80 - 160| = 80 → J = 5 + 75/16 = 9.6875
  assert.equal(stats.jitter, 9);
  assert.equal(stats.reportBlock(1, 0)?.jitter, 9);
});

test('jitter is unaffected by the 32-bit timestamp wrap', () => {
  const stats = new ReceiveStats();
  stats.onPacket(1, 0xffffff00, 0, 90000);
  stats.onPacket(2, (0xffffff00 + 1800) >>> 0, 20, 90000);
  assert.equal(stats.jitter, 0);
});

test('LSR and DLSR from the last sender report', () => {
  const stats = new ReceiveStats();
  feed(stats, [1]);
  const block = stats.reportBlock(1, 1500, { ntpMiddle32: 0x12345678, atMs: 1000 });
  assert.equal(block?.lsr, 0x12345678);
  assert.equal(block?.dlsr, 32768, '0.5 s in 1/65536 s');
});
