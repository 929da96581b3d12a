import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keepExtension } from './header-extension.js';
import { readAudioLevel, rtpHeaderLength, rtpPayloadLength } from './rtp-header.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// X=1, one CSRC; one-byte block (2 words): id 3 two bytes (other), id 1 audio level V=1 level 42, id 5 one byte, padding.
const ONE_BYTE = '91 6f 0001 00000010 0000abcd 11111111 bede0002 31aabb 10aa 5077 00 ffee';
// X=1; two-byte block (3 words): id 3 len 2 (other), padding byte, id 1 len 1 (V=0 level 100), id 7 len 0, padding.
const TWO_BYTE = '90 6f 0001 00000010 0000abcd 10000003 0302aaaa 00010164 0700 0000 ffee';

test('keeps the one-byte element, renumbered, and drops the others', () => {
  const src = hex(ONE_BYTE);
  const before = Buffer.from(src);
  const out = keepExtension(src, 1, 4);
  assert.deepEqual(out, hex('91 6f 0001 00000010 0000abcd 11111111 bede0001 40aa0000 ffee'));
  assert.deepEqual(src, before, 'source untouched');
  assert.deepEqual(readAudioLevel(out, 4), { level: 42, voice: true });
  assert.equal(readAudioLevel(out, 1), null, 'the publisher id means nothing any more');
  assert.equal(rtpPayloadLength(out), 2);
});

test('reads the two-byte form and writes the one-byte form when the id fits', () => {
  const out = keepExtension(hex(TWO_BYTE), 1, 9);
  assert.deepEqual(out, hex('90 6f 0001 00000010 0000abcd bede0001 90640000 ffee'));
  assert.deepEqual(readAudioLevel(out, 9), { level: 100, voice: false });
});

test('an id past 14 goes out in the two-byte form', () => {
  const out = keepExtension(hex(ONE_BYTE), 1, 200);
  assert.deepEqual(out, hex('91 6f 0001 00000010 0000abcd 11111111 10000001 c801aa00 ffee'));
  assert.deepEqual(readAudioLevel(out, 200), { level: 42, voice: true });
});

test('without the element, or with id 0 on either side, the block goes and the X bit is cleared', () => {
  const stripped = hex('81 6f 0001 00000010 0000abcd 11111111 ffee');
  assert.deepEqual(keepExtension(hex(ONE_BYTE), 2, 4), stripped, 'absent element');
  assert.deepEqual(keepExtension(hex(ONE_BYTE), 0, 4), stripped, 'source sends none');
  assert.deepEqual(keepExtension(hex(ONE_BYTE), 1, 0), stripped, 'subscriber negotiated none');
  assert.deepEqual(keepExtension(hex(TWO_BYTE), 7, 0), hex('80 6f 0001 00000010 0000abcd ffee'));
});

test('RTP padding after the payload is carried over', () => {
  // P=1: payload ffee, then 3 padding octets (last says 3).
  const src = hex('b1 6f 0001 00000010 0000abcd 11111111 bede0002 31aabb 10aa 5077 00 ffee 000003');
  const out = keepExtension(src, 1, 1);
  assert.deepEqual(out, hex('b1 6f 0001 00000010 0000abcd 11111111 bede0001 10aa0000 ffee 000003'));
  assert.equal(rtpPayloadLength(out), 2);
  assert.equal(rtpHeaderLength(keepExtension(src, 9, 1)), 16, 'stripped, padding still valid');
});

test('a packet without extensions comes back as is; a malformed block keeps nothing', () => {
  const plain = hex('80ef1234 deadbeef 01020304 aabbcc');
  assert.equal(keepExtension(plain, 1, 1), plain);
  const bad = hex('90 6f 0001 00000010 0000abcd 10000001 01050000 ffee');
  assert.deepEqual(keepExtension(bad, 1, 1), hex('80 6f 0001 00000010 0000abcd ffee'), 'element longer than its block');
  const cut = hex('90640001 00000000 00000007 bede0009');
  assert.equal(keepExtension(cut, 1, 1), cut, 'block past the end: the caller drops the packet');
  const stop = hex('90 6f 0001 00000010 0000abcd bede0001 f0100000 ffee');
  assert.deepEqual(keepExtension(stop, 1, 1), hex('80 6f 0001 00000010 0000abcd ffee'), 'id 15 ends the block');
});
