import assert from 'node:assert/strict';
import { test } from 'node:test';
import type ndc from 'node-datachannel';
import { AUDIO_LEVEL_URI } from './codecs.js';
import { emptyCounters } from './counters.js';
import type { Endpoint } from './endpoint.js';
import type { OfferMedia } from './offer.js';
import { Publication } from './publication.js';
import { SubscriptionOutput } from './subscription.js';
import { buildNack, isRtcp, readAudioLevel, rtpPayloadType, rtpSequence } from './rtp/index.js';

/** The two calls a publication or an output makes on its libdatachannel track: recorded, and fed by the test. */
class FakeTrack {
  readonly sent: Buffer[] = [];
  receive: (packet: Buffer) => void = () => {};
  onMessage(callback: (packet: Buffer) => void): void {
    this.receive = callback;
  }
  sendMessageBinary(packet: Buffer): boolean {
    this.sent.push(Buffer.from(packet));
    return true;
  }
  rtp(): Buffer[] {
    return this.sent.filter((packet) => !isRtcp(packet));
  }
}

const asTrack = (track: FakeTrack): ndc.Track => track as unknown as ndc.Track;
const OPUS = { pt: 111, name: 'OPUS', clockRate: 48_000, channels: 2, fmtp: '', rtcpFb: [] };
const VP8 = { pt: 96, name: 'VP8', clockRate: 90_000, channels: 1, fmtp: '', rtcpFb: [] };

function publication(kind: 'audio' | 'video', audioLevelId: number, counters = emptyCounters()): [Publication, FakeTrack] {
  const track = new FakeTrack();
  const endpoint = { close: () => {} } as unknown as Endpoint;
  const codec = kind === 'audio' ? OPUS : VP8;
  const pub = new Publication({
    ...{ peerId: 'alice', source: kind, kind, codec, ssrc: 0x1111, audioLevelId, endpoint, track: asTrack(track) },
    ...{ counters, now: () => 0, keyframeIntervalMs: 300, maxBitrate: 1_000_000 },
  });
  return [pub, track];
}

function offer(kind: 'audio' | 'video', extmaps: OfferMedia['extmaps']): OfferMedia {
  const codec = kind === 'audio' ? { ...OPUS, pt: 109 } : { ...VP8, pt: 100 };
  return { kind, mid: '0', direction: 'recvonly', codecs: [codec], extmaps, ssrcs: [], streamId: null };
}

/** An RTP packet from the publisher; with `level`, a one-byte extension block: element id 1 audio level, id 2 other. */
function packet(pt: number, seq: number, level?: number): Buffer {
  const ext = level === undefined ? '' : `bede0002 10${(0x80 | level).toString(16)} 21aabb 000000`;
  const x = level === undefined ? '80' : '90';
  return Buffer.from(
    `${x}${pt.toString(16).padStart(2, '0')}${seq.toString(16).padStart(4, '0')} 00000000 00001111 ${ext} c0ffee`.replace(
      /\s+/g,
      '',
    ),
    'hex',
  );
}

test('forwarded audio keeps the publisher level under the id the subscriber negotiated, and nothing else', () => {
  const [pub, pubTrack] = publication('audio', 1);
  const track = new FakeTrack();
  const extmaps = [
    { id: 5, uri: 'urn:ietf:params:rtp-hdrext:sdes:mid' },
    { id: 3, uri: AUDIO_LEVEL_URI },
  ];
  const output = new SubscriptionOutput({
    kind: 'audio',
    offer: offer('audio', extmaps),
    ssrc: 0x2222,
    track: asTrack(track),
    counters: emptyCounters(),
  });
  assert.equal(output.bind(pub), true);
  pubTrack.receive(packet(111, 7, 30));
  assert.equal(pub.audioLevel, 30);
  const [out] = track.rtp();
  assert.ok(out);
  assert.equal(rtpPayloadType(out), 109);
  assert.deepEqual(readAudioLevel(out, 3), { level: 30, voice: true });
  assert.equal(readAudioLevel(out, 1), null);
  assert.deepEqual(out.subarray(12), Buffer.from('bede0001 309e0000 c0ffee'.replace(/\s+/g, ''), 'hex'));
});

test('a subscriber that offered no audio-level extension gets none; video never keeps one', () => {
  const [pub, pubTrack] = publication('audio', 1);
  const track = new FakeTrack();
  const output = new SubscriptionOutput({
    kind: 'audio',
    offer: offer('audio', []),
    ssrc: 0x2222,
    track: asTrack(track),
    counters: emptyCounters(),
  });
  output.bind(pub);
  pubTrack.receive(packet(111, 7, 30));
  assert.equal(track.rtp()[0]?.[0], 0x80, 'no X bit');
  const [video, videoTrack] = publication('video', 0);
  const out = new FakeTrack();
  const videoOutput = new SubscriptionOutput({
    ...{ kind: 'video', offer: offer('video', [{ id: 3, uri: AUDIO_LEVEL_URI }]), ssrc: 0x3333, track: asTrack(out) },
    counters: emptyCounters(),
  });
  videoOutput.bind(video);
  videoTrack.receive(packet(96, 9, 30));
  assert.equal(out.rtp()[0]?.[0], 0x80);
});

test('a dropped video packet is counted as forwarded, then sent again from the cache on NACK', () => {
  const counters = emptyCounters();
  const [pub, pubTrack] = publication('video', 0, counters);
  const track = new FakeTrack();
  const dropped = new Set<number>();
  const output = new SubscriptionOutput({
    ...{ kind: 'video', offer: offer('video', []), ssrc: 0x3333, track: asTrack(track), counters },
    drop: (p: Buffer) => dropped.delete(rtpSequence(p)),
  });
  output.bind(pub);
  pubTrack.receive(packet(96, 1));
  const first = rtpSequence(track.rtp()[0]!);
  dropped.add((first + 1) & 0xffff);
  pubTrack.receive(packet(96, 2));
  pubTrack.receive(packet(96, 3));
  assert.deepEqual(track.rtp().map(rtpSequence), [first, (first + 2) & 0xffff]);
  assert.equal(counters.forwardedPackets, 3);
  track.receive(buildNack(0x9999, 0x3333, [(first + 1) & 0xffff]));
  assert.deepEqual(track.rtp().map(rtpSequence), [first, (first + 2) & 0xffff, (first + 1) & 0xffff]);
  assert.equal(counters.nackedPackets, 1);
  assert.equal(counters.retransmittedPackets, 1);
});
