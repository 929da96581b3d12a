import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildFir,
  buildNack,
  buildPli,
  buildReceiverReport,
  buildRemb,
  buildSenderReport,
  ntpFromMs,
  ntpMiddle32,
  parseRtcp,
  type ReportBlock,
} from './rtcp.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

const BLOCK: ReportBlock = {
  ssrc: 0x0a,
  fractionLost: 0x40,
  cumulativeLost: -1,
  highestSeq: 0x0001ffff,
  jitter: 17,
  lsr: 0x12345678,
  dlsr: 0x10000,
};

test('PLI: exact bytes and round trip', () => {
  const pli = buildPli(0x11223344, 0x55667788);
  assert.deepEqual(pli, hex('81ce0002 11223344 55667788'));
  assert.deepEqual(parseRtcp(pli), [{ type: 'pli', senderSsrc: 0x11223344, mediaSsrc: 0x55667788 }]);
});

test('FIR: media SSRC 0 in the header, target and seq in the FCI', () => {
  const fir = buildFir(1, 0xaabbccdd, 263);
  assert.deepEqual(fir, hex('84ce0004 00000001 00000000 aabbccdd 07000000'));
  assert.deepEqual(parseRtcp(fir), [{ type: 'fir', senderSsrc: 1, entries: [{ ssrc: 0xaabbccdd, seq: 7 }] }]);
});

test('NACK: packs PID/BLP pairs', () => {
  const nack = buildNack(1, 2, [100, 101, 117, 118]);
  assert.deepEqual(nack, hex('81cd0004 00000001 00000002 00640001 00750001'));
  assert.deepEqual(parseRtcp(nack), [{ type: 'nack', senderSsrc: 1, mediaSsrc: 2, seqs: [100, 101, 117, 118] }]);
  assert.deepEqual(buildNack(1, 2, [10, 26]).subarray(12), hex('000a8000'), 'PID+16 is BLP bit 15');
  assert.deepEqual(buildNack(1, 2, [10, 27]).subarray(12), hex('000a0000 001b0000'), 'PID+17 needs a new pair');
  assert.deepEqual(buildNack(1, 2, [5, 5, 6]).subarray(12), hex('00050001'), 'duplicates fold');
});

test('NACK: wrap-around shares a pair, in any input order', () => {
  const nack = buildNack(1, 2, [65534, 65535, 0, 3]);
  assert.deepEqual(nack, hex('81cd0003 00000001 00000002 fffe0013'));
  assert.deepEqual(parseRtcp(nack), [{ type: 'nack', senderSsrc: 1, mediaSsrc: 2, seqs: [65534, 65535, 0, 3] }]);
  assert.deepEqual(buildNack(1, 2, [0, 65535]).subarray(12), hex('ffff0001'));
  assert.deepEqual(buildNack(1, 2, [3, 1, 2]).subarray(12), hex('00010003'));
});

test('REMB: mantissa/exponent encoding', () => {
  // 1,000,000 = 250,000 × 2^2; 250,000 = 0x3d090.
  const remb = buildRemb(1, 1_000_000, [0x12345678]);
  assert.deepEqual(remb, hex('8fce0005 00000001 00000000 52454d42 010bd090 12345678'));
  assert.deepEqual(parseRtcp(remb), [{ type: 'remb', senderSsrc: 1, bitrate: 1_000_000, ssrcs: [0x12345678] }]);
  // Not representable exactly: rounds down to a multiple of 2^exp.
  const [odd] = parseRtcp(buildRemb(1, 1_000_001, [1, 2]));
  assert.deepEqual(odd, { type: 'remb', senderSsrc: 1, bitrate: 1_000_000, ssrcs: [1, 2] });
  const [small] = parseRtcp(buildRemb(1, 262_143, []));
  assert.deepEqual(small, { type: 'remb', senderSsrc: 1, bitrate: 262_143, ssrcs: [] });
  const [huge] = parseRtcp(buildRemb(1, 10e9, []));
  assert.ok(huge?.type === 'remb' && huge.bitrate <= 10e9 && huge.bitrate > 10e9 * 0.9999);
});

test('RR: exact bytes, signed cumulative loss, round trip', () => {
  const rr = buildReceiverReport(0x01020304, [BLOCK]);
  assert.deepEqual(rr, hex('81c90007 01020304 0000000a 40ffffff 0001ffff 00000011 12345678 00010000'));
  assert.deepEqual(parseRtcp(rr), [{ type: 'rr', ssrc: 0x01020304, reports: [BLOCK] }]);
  assert.deepEqual(buildReceiverReport(7, []), hex('80c90001 00000007'));
  const clamped = parseRtcp(buildReceiverReport(7, [{ ...BLOCK, cumulativeLost: 1e9 }]));
  assert.equal(clamped[0]?.type === 'rr' && clamped[0].reports[0]?.cumulativeLost, 0x7fffff);
});

test('SR: exact bytes and round trip', () => {
  const info = { ssrc: 1, ntpSec: 0xe0000000, ntpFrac: 0x80000000, rtpTimestamp: 90000, packets: 10, octets: 12000 };
  const sr = buildSenderReport(info);
  assert.deepEqual(sr, hex('80c80006 00000001 e0000000 80000000 00015f90 0000000a 00002ee0'));
  assert.deepEqual(parseRtcp(sr), [{ type: 'sr', ...info, reports: [] }]);
  assert.deepEqual(parseRtcp(buildSenderReport(info, [BLOCK])), [{ type: 'sr', ...info, reports: [BLOCK] }]);
});

test('NTP helpers', () => {
  assert.deepEqual(ntpFromMs(0), { ntpSec: 2208988800, ntpFrac: 0 });
  assert.deepEqual(ntpFromMs(1500), { ntpSec: 2208988801, ntpFrac: 0x80000000 });
  assert.deepEqual(ntpFromMs(250), { ntpSec: 2208988800, ntpFrac: 0x40000000 });
  // 2036-02-07T06:28:16Z: the NTP era rolls over.
  assert.equal(ntpFromMs(2085978496000).ntpSec, 0);
  assert.equal(ntpMiddle32(0x83aa7e81, 0x80000000), 0x7e818000);
});

// A sender's compound packet as Chrome sends it: SR (one report block) followed by SDES with a CNAME.
const CHROME_SR_SDES =
  '81c8000c 6d0f3a21 e6a12b3c 4d5e6f70 000abcde 000001f4 00057e40' +
  '11223344 02fffffe 00010005 0000001e 2b3c4d5e 00008000' +
  '81ca0006 6d0f3a21 0110' +
  Buffer.from('abcdefghijklmnop').toString('hex') +
  '0000';
// A receiver's compound packet: RR (one block) followed by REMB 120,000 × 2^3.
const CHROME_RR_REMB =
  '81c90007 00000001 6d0f3a21 00000000 00000203 00000004 e6a12b3c 00010000' +
  '8fce0005 00000001 00000000 52454d42 010dd4c0 6d0f3a21';

test('parses a Chrome SR + SDES compound packet', () => {
  assert.deepEqual(parseRtcp(hex(CHROME_SR_SDES)), [
    {
      type: 'sr',
      ssrc: 0x6d0f3a21,
      ntpSec: 0xe6a12b3c,
      ntpFrac: 0x4d5e6f70,
      rtpTimestamp: 0xabcde,
      packets: 500,
      octets: 360000,
      reports: [
        { ssrc: 0x11223344, fractionLost: 2, cumulativeLost: -2, highestSeq: 0x10005, jitter: 30, lsr: 0x2b3c4d5e, dlsr: 0x8000 },
      ],
    },
  ]);
});

test('parses a Chrome RR + REMB compound packet', () => {
  assert.deepEqual(parseRtcp(hex(CHROME_RR_REMB)), [
    {
      type: 'rr',
      ssrc: 1,
      reports: [
        { ssrc: 0x6d0f3a21, fractionLost: 0, cumulativeLost: 0, highestSeq: 0x203, jitter: 4, lsr: 0xe6a12b3c, dlsr: 0x10000 },
      ],
    },
    { type: 'remb', senderSsrc: 1, bitrate: 960_000, ssrcs: [0x6d0f3a21] },
  ]);
});

test('skips unknown types and formats, keeps going', () => {
  const app = '80cc0002 00000001 41424344'; // APP (204)
  const transportCc = '8fcd0002 00000001 00000002'; // RTPFB FMT 15 (transport-wide cc), unhandled
  const afbNotRemb = '8fce0003 00000001 00000000 41424344'; // PSFB FMT 15 without the 'REMB' id
  const items = parseRtcp(hex(app + transportCc + afbNotRemb + '81ce0002 00000001 00000002'));
  assert.deepEqual(items, [{ type: 'pli', senderSsrc: 1, mediaSsrc: 2 }]);
});

test('malformed input never throws', () => {
  const pli = '81ce0002 00000001 00000002';
  assert.deepEqual(parseRtcp(new Uint8Array(0)), []);
  assert.deepEqual(parseRtcp(hex('81ce00')), [], 'shorter than a header');
  assert.deepEqual(parseRtcp(hex('41ce0002 00000001 00000002')), [], 'version 1');
  assert.deepEqual(parseRtcp(hex('81ce0009 00000001 00000002')), [], 'length past the end');
  assert.deepEqual(parseRtcp(hex(pli + '81ce0002 000000')), [{ type: 'pli', senderSsrc: 1, mediaSsrc: 2 }], 'truncated second');
  assert.deepEqual(
    parseRtcp(hex(pli + '01ce0002 00000001 00000002')),
    [{ type: 'pli', senderSsrc: 1, mediaSsrc: 2 }],
    'bad version stops',
  );
  assert.deepEqual(parseRtcp(hex('81ce0000')), [], 'feedback too short for its SSRCs');
  assert.deepEqual(parseRtcp(hex('80c80001 00000001')), [], 'SR too short for sender info');
  // RR announcing 3 blocks with room for one: reads the one that fits.
  const rr = hex('83c90007 00000001 0000000a 40ffffff 0001ffff 00000011 12345678 00010000');
  assert.deepEqual(parseRtcp(rr), [{ type: 'rr', ssrc: 1, reports: [BLOCK] }]);
  // REMB announcing 4 SSRCs with room for one.
  assert.deepEqual(parseRtcp(hex('8fce0005 00000001 00000000 52454d42 040dd4c0 00000009')), [
    { type: 'remb', senderSsrc: 1, bitrate: 960_000, ssrcs: [9] },
  ]);
  // Padding count larger than the packet: skipped, not thrown.
  assert.deepEqual(parseRtcp(hex('a1ce0002 00000001 000000ff')), []);
  // Unaligned view into a larger buffer.
  const big = Buffer.concat([hex('00'), hex(pli)]).subarray(1);
  assert.deepEqual(parseRtcp(big), [{ type: 'pli', senderSsrc: 1, mediaSsrc: 2 }]);
});

test('padding in the last packet is excluded from the body', () => {
  // NACK with 4 bytes of padding (P bit, last octet 4): the padding is not read as an FCI.
  const padded = hex('a1cd0004 00000001 00000002 00640000 00000004');
  assert.deepEqual(parseRtcp(padded), [{ type: 'nack', senderSsrc: 1, mediaSsrc: 2, seqs: [100] }]);
});
