// Random and mutated input through every parser: nothing throws, and every answer stays inside the buffer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzzSeed } from '@rendezvous/common';
import { NackTracker } from './nack-tracker.js';
import { PacketCache } from './packet-cache.js';
import { ReceiveStats } from './receive-stats.js';
import { buildNack, buildReceiverReport, buildRemb, buildSenderReport, parseRtcp } from './rtcp.js';
import { stripRtpExtensions } from './header-extension.js';
import { readAudioLevel, rtpHeaderLength, rtpPayloadLength } from './rtp-header.js';
import { StreamRewriter } from './stream-rewriter.js';

const seed = fuzzSeed(0x5eed, process.env['FUZZ_SEED']);

function mulberry32(state: number): () => number {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS = [
  Buffer.from('91 6f 0001 00000010 0000abcd 11111111 bede0001 10aa0000 ffee'.replace(/ /g, ''), 'hex'),
  Buffer.from('90 6f 0001 00000010 0000abcd 10000002 0302aaaa 01017f00 ffee'.replace(/ /g, ''), 'hex'),
  Buffer.concat([
    buildSenderReport({ ssrc: 1, ntpSec: 2, ntpFrac: 3, rtpTimestamp: 4, packets: 5, octets: 6 }),
    buildReceiverReport(1, [{ ssrc: 2, fractionLost: 3, cumulativeLost: 4, highestSeq: 5, jitter: 6, lsr: 7, dlsr: 8 }]),
    buildNack(1, 2, [1, 5, 40]),
    buildRemb(1, 500_000, [1, 2]),
  ]),
];

test(`fuzz: parsers never throw and stay in bounds (seed ${seed})`, () => {
  const random = mulberry32(seed);
  const byte = (): number => Math.floor(random() * 256);
  const rewriter = new StreamRewriter({ ssrc: 1, payloadType: 96, stripExtensions: true });
  const stats = new ReceiveStats();
  const nacks = new NackTracker();
  const cache = new PacketCache(16);
  for (let i = 0; i < 3000; i++) {
    const base = SEEDS[i % SEEDS.length]!;
    const buf =
      i % 2 === 0
        ? Buffer.from(Array.from({ length: Math.floor(random() * 64) }, byte))
        : Buffer.from(base.subarray(0, Math.floor(random() * (base.length + 1))));
    for (let flips = Math.floor(random() * 4); flips > 0 && buf.length > 0; flips--) {
      buf[Math.floor(random() * buf.length)] = byte();
    }
    if (i % 3 === 0 && buf.length > 0) {
      buf[0] = (buf[0]! & 0x3f) | 0x80; // version 2, so the walk goes past the first check
    }
    const header = rtpHeaderLength(buf);
    assert.ok(header === -1 || (header >= 12 && header <= buf.length));
    assert.ok(rtpPayloadLength(buf) <= buf.length);
    assert.ok(stripRtpExtensions(buf).length <= buf.length);
    const level = readAudioLevel(buf, 1 + (i % 14));
    assert.ok(level === null || (level.level >= 0 && level.level <= 127));
    assert.ok(Array.isArray(parseRtcp(buf)));
    const out = rewriter.rewrite(buf, i, 90000);
    assert.ok(out === null || (out !== buf && out.length <= buf.length));
    if (out && header >= 0) {
      stats.onPacket(out.readUInt16BE(2), out.readUInt32BE(4), i, 90000);
      nacks.onPacket(out.readUInt16BE(2), i);
      cache.put(out.readUInt16BE(2), out);
    }
  }
  assert.ok(nacks.due(10_000).length <= 500);
  assert.ok(stats.received >= 0);
});
