import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isRtcp,
  readAudioLevel,
  rtpHeaderLength,
  rtpMarker,
  rtpPayloadLength,
  rtpPayloadType,
  rtpSequence,
  rtpSsrc,
  rtpTimestamp,
  setRtpPayloadType,
  setRtpSequence,
  setRtpSsrc,
  setRtpTimestamp,
} from './rtp-header.js';
import { stripRtpExtensions } from './header-extension.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// V=2, M=1, PT=111, seq 0x1234, ts 0xdeadbeef, ssrc 0x01020304, payload aabbcc.
const PLAIN = '80ef1234 deadbeef 01020304 aabbcc';
// X=1, one CSRC, one-byte extension block (0xBEDE, 1 word): id 1 audio level V=1 level 42, padding, then payload.
const ONE_BYTE = '91 6f 0001 00000010 0000abcd 11111111 bede0001 10aa0000 ffee';
// X=1, two-byte extension block (0x1000, 2 words): id 3 len 2 (other), id 1 len 1 (V=0 level 127), padding.
const TWO_BYTE = '90 6f 0001 00000010 0000abcd 10000002 0302aaaa 01017f00 ffee';

test('reads the fixed header fields', () => {
  const p = hex(PLAIN);
  assert.equal(rtpHeaderLength(p), 12);
  assert.equal(rtpPayloadLength(p), 3);
  assert.equal(rtpPayloadType(p), 111);
  assert.equal(rtpMarker(p), true);
  assert.equal(rtpSequence(p), 0x1234);
  assert.equal(rtpTimestamp(p), 0xdeadbeef);
  assert.equal(rtpSsrc(p), 0x01020304);
  assert.equal(isRtcp(p), false);
});

test('header length counts CSRCs and the extension block', () => {
  assert.equal(rtpHeaderLength(hex(ONE_BYTE)), 12 + 4 + 8);
  assert.equal(rtpHeaderLength(hex(TWO_BYTE)), 12 + 12);
  assert.equal(rtpPayloadLength(hex(ONE_BYTE)), 2);
});

test('padding counts against the payload, and bad padding is malformed', () => {
  // P=1, payload aabb + 2 padding bytes (last one says 2).
  const padded = hex('a0601234 00000001 00000002 aabb0002');
  assert.equal(rtpHeaderLength(padded), 12);
  assert.equal(rtpPayloadLength(padded), 2);
  assert.equal(rtpHeaderLength(hex('a0601234 00000001 00000002 aabb0000')), -1, 'padding count 0');
  assert.equal(rtpHeaderLength(hex('a0601234 00000001 00000002 aabb0009')), -1, 'padding past the header');
  assert.equal(rtpPayloadLength(hex('a0601234 00000001 00000002 aabb0009')), -1);
});

test('malformed headers return -1', () => {
  assert.equal(rtpHeaderLength(hex('80ef1234 deadbeef 010203')), -1, 'shorter than 12');
  assert.equal(rtpHeaderLength(hex('00ef1234 deadbeef 01020304')), -1, 'version 0');
  assert.equal(rtpHeaderLength(hex('82ef1234 deadbeef 01020304 00000001')), -1, 'two CSRCs, one present');
  assert.equal(rtpHeaderLength(hex('90ef1234 deadbeef 01020304 bede')), -1, 'extension header cut');
  assert.equal(rtpHeaderLength(hex('90ef1234 deadbeef 01020304 bede0002 10aa0000')), -1, 'extension length past end');
  assert.equal(rtpHeaderLength(new Uint8Array(0)), -1);
});

test('isRtcp looks at the RFC 5761 range of the second byte', () => {
  assert.equal(isRtcp(hex('80c8')), true, 'SR 200');
  assert.equal(isRtcp(hex('81cd')), true, 'RTPFB 205');
  assert.equal(isRtcp(hex('80df')), true, '223');
  assert.equal(isRtcp(hex('80e0')), false, 'PT 96 with marker');
  assert.equal(isRtcp(hex('80bf')), false, 'PT 63 with marker');
  assert.equal(isRtcp(hex('80')), false);
});

test('writers change only their field and keep the marker', () => {
  const p = hex(PLAIN);
  setRtpPayloadType(p, 96);
  setRtpSequence(p, 0xfffe);
  setRtpTimestamp(p, 0x80000001);
  setRtpSsrc(p, 0xcafebabe);
  assert.deepEqual(p, hex('80e0fffe 80000001 cafebabe aabbcc'));
  const noMarker = hex('006f0000 00000000 00000000');
  setRtpPayloadType(noMarker, 0xff);
  assert.equal(noMarker[1], 0x7f);
});

test('stripRtpExtensions drops the block and the X bit, keeps CSRCs and payload', () => {
  const src = hex(ONE_BYTE);
  const stripped = stripRtpExtensions(src);
  assert.notEqual(stripped, src);
  assert.deepEqual(stripped, hex('81 6f 0001 00000010 0000abcd 11111111 ffee'));
  assert.deepEqual(src, hex(ONE_BYTE), 'source untouched');
  const plain = hex(PLAIN);
  assert.equal(stripRtpExtensions(plain), plain);
  const broken = hex('90ef1234 deadbeef 01020304 bede0009');
  assert.equal(stripRtpExtensions(broken), broken);
});

test('readAudioLevel in the one-byte form', () => {
  assert.deepEqual(readAudioLevel(hex(ONE_BYTE), 1), { level: 42, voice: true });
  assert.equal(readAudioLevel(hex(ONE_BYTE), 2), null);
  assert.equal(readAudioLevel(hex(PLAIN), 1), null);
  // id 2 (3 bytes) first, then id 1 after a padding byte.
  assert.deepEqual(readAudioLevel(hex('90ef0001 00000001 00000002 bede0002 22010203 00 1005 0000 99'), 1), {
    level: 5,
    voice: false,
  });
  // ID 15 stops processing: the level after it is not read.
  assert.equal(readAudioLevel(hex('90ef0001 00000001 00000002 bede0001 f0 1005 00 99'), 1), null);
  // Element length running past the block.
  assert.equal(readAudioLevel(hex('90ef0001 00000001 00000002 bede0001 000000 13 99999999'), 1), null);
});

test('readAudioLevel in the two-byte form', () => {
  assert.deepEqual(readAudioLevel(hex(TWO_BYTE), 1), { level: 127, voice: false });
  assert.equal(readAudioLevel(hex(TWO_BYTE), 4), null);
  // Element with length 9 overrunning an 8-byte block.
  assert.equal(readAudioLevel(hex('90ef0001 00000001 00000002 10000002 0109aaaa aaaaaaaa'), 1), null);
  // Unknown profile.
  assert.equal(readAudioLevel(hex('90ef0001 00000001 00000002 12340001 10aa0000'), 1), null);
});
