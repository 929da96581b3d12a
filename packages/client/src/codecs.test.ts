import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyVideoCodec, preferVideoCodec, supportedVideoCodecs, videoCodecNameOf, videoCodecSupport } from './codecs.js';

// Shaped like Chromium's RTCRtpReceiver.getCapabilities('video').
const chromium: RTCRtpCodec[] = [
  { mimeType: 'video/VP8', clockRate: 90000 },
  { mimeType: 'video/rtx', clockRate: 90000 },
  { mimeType: 'video/VP9', clockRate: 90000, sdpFmtpLine: 'profile-id=0' },
  { mimeType: 'video/VP9', clockRate: 90000, sdpFmtpLine: 'profile-id=2' },
  { mimeType: 'video/H264', clockRate: 90000, sdpFmtpLine: 'profile-level-id=42001f' },
  { mimeType: 'video/H264', clockRate: 90000, sdpFmtpLine: 'profile-level-id=42e01f' },
  { mimeType: 'video/AV1', clockRate: 90000 },
  { mimeType: 'video/red', clockRate: 90000 },
  { mimeType: 'video/ulpfec', clockRate: 90000 },
];

test('a preferred codec goes first with all its profiles; the rest, rtx/red/ulpfec included, stays in order', () => {
  const ordered = preferVideoCodec(chromium, 'H264');
  assert.deepEqual(
    ordered?.map((c) => `${c.mimeType} ${c.sdpFmtpLine ?? ''}`.trim()),
    [
      'video/H264 profile-level-id=42001f',
      'video/H264 profile-level-id=42e01f',
      'video/VP8',
      'video/rtx',
      'video/VP9 profile-id=0',
      'video/VP9 profile-id=2',
      'video/AV1',
      'video/red',
      'video/ulpfec',
    ],
  );
  assert.equal(preferVideoCodec([{ mimeType: 'video/VP8' }], 'AV1'), null);
});

test('codec names are matched without regard to case, video only', () => {
  assert.equal(videoCodecNameOf('video/h264'), 'H264');
  assert.equal(videoCodecNameOf('video/av1'), 'AV1');
  assert.equal(videoCodecNameOf('audio/VP8'), null);
  assert.equal(videoCodecNameOf('video/rtx'), null);
});

test('support: send and receive each from their own capabilities', () => {
  const sender = { codecs: chromium.filter((c) => c.mimeType !== 'video/AV1'), headerExtensions: [] };
  const receiver = { codecs: chromium.filter((c) => !c.mimeType.includes('H264')), headerExtensions: [] };
  assert.deepEqual(videoCodecSupport({ sender, receiver }), [
    { name: 'VP8', send: true, receive: true },
    { name: 'VP9', send: true, receive: true },
    { name: 'H264', send: true, receive: false },
    { name: 'AV1', send: false, receive: true },
  ]);
  assert.deepEqual(supportedVideoCodecs({ sender, receiver }), ['VP8', 'VP9']);
  assert.deepEqual(supportedVideoCodecs({ sender: null, receiver: null }), []);
});

function fakeTransceiver(): RTCRtpTransceiver & { applied: RTCRtpCodec[][] } {
  const applied: RTCRtpCodec[][] = [];
  return {
    applied,
    currentDirection: null,
    setCodecPreferences(codecs: RTCRtpCodec[]) {
      applied.push(codecs);
    },
  } as unknown as RTCRtpTransceiver & { applied: RTCRtpCodec[][] };
}

test('applying: the reordered list, an empty list to reset, false when the codec is missing', () => {
  const t = fakeTransceiver();
  const caps = { codecs: chromium, headerExtensions: [] };
  assert.equal(applyVideoCodec(t, 'VP9', caps), true);
  assert.equal(t.applied[0]?.[0]?.mimeType, 'video/VP9');
  assert.equal(t.applied[0]?.length, chromium.length);
  assert.equal(applyVideoCodec(t, null, caps), true);
  assert.deepEqual(t.applied[1], []);
  assert.equal(applyVideoCodec(t, 'AV1', { codecs: chromium.slice(0, 2), headerExtensions: [] }), false);
  assert.equal(t.applied.length, 2);
});

test('applying: false when the browser lacks setCodecPreferences or refuses the list', () => {
  const caps = { codecs: chromium, headerExtensions: [] };
  assert.equal(applyVideoCodec({ currentDirection: null } as unknown as RTCRtpTransceiver, 'VP8', caps), false);
  const refusing = {
    currentDirection: null,
    setCodecPreferences() {
      throw new DOMException('no', 'InvalidModificationError');
    },
  } as unknown as RTCRtpTransceiver;
  assert.equal(applyVideoCodec(refusing, 'VP8', caps), false);
});
