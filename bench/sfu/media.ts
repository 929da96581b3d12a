/**
 * The synthetic publisher's media: VP8-sized RTP at a 720p rate (30 frames/s, about 2.5 Mbit/s, a keyframe every
 * 2 s) and Opus at 50 packets/s. Every payload carries a stamp at a fixed offset: a marker, the packet's index in the
 * publisher's own numbering (SFUs rewrite RTP sequence numbers) and its send time (`performance.now()`, read back by
 * subscribers in the same process).
 */
import { performance } from 'node:perf_hooks';
import { rtpPacket } from '../../packages/sfu/src/ndc-client.test-util.js';

export const VIDEO_PT = 96;
export const AUDIO_PT = 111;
export const VIDEO_SSRC = 0x5eed_0001;
export const AUDIO_SSRC = 0x5eed_0002;

const STAMP_MAGIC = 0x525a_5642;
const STAMP_OFFSET = 16;
const VIDEO_PAYLOAD = 1160;
const AUDIO_PAYLOAD = 160;
const FRAME_MS = 1000 / 30;
const AUDIO_MS = 20;
const DELTA_PACKETS = 9;
const KEY_PACKETS = 30;
const KEY_EVERY = 60;

export interface MediaSink {
  video(packet: Buffer): void;
  audio(packet: Buffer): void;
}

function stamp(packet: Buffer, index: number): void {
  const at = 12 + STAMP_OFFSET;
  packet.writeUInt32BE(STAMP_MAGIC, at);
  packet.writeUInt32BE(index >>> 0, at + 4);
  packet.writeDoubleBE(performance.now(), at + 8);
}

/** The stamp of a received RTP packet (after any header extensions an SFU added), or null for RTCP and others. */
export function readStamp(packet: Buffer): { index: number; sentAt: number } | null {
  if (packet.length < 12 || ((packet[1]! & 0x7f) >= 72 && (packet[1]! & 0x7f) <= 79)) {
    return null;
  }
  let at = 12 + (packet[0]! & 0x0f) * 4;
  if ((packet[0]! & 0x10) !== 0) {
    at += 4 + packet.readUInt16BE(at + 2) * 4;
  }
  at += STAMP_OFFSET;
  if (packet.length < at + 16 || packet.readUInt32BE(at) !== STAMP_MAGIC) {
    return null;
  }
  return { index: packet.readUInt32BE(at + 4), sentAt: packet.readDoubleBE(at + 8) };
}

/**
 * Sends the media to `sinks` until stopped. Indices are shared by audio and video, so `sent` counts both; the same
 * packet (same stamp) goes to every sink.
 */
export class SyntheticPublisher {
  sent = 0;
  #frames = 0;
  #audio = 0;
  #videoSeq = 1000;
  #audioSeq = 5000;
  #timer: NodeJS.Timeout | undefined;
  #start = 0;

  constructor(private readonly sinks: MediaSink[]) {}

  start(): void {
    this.#start = performance.now();
    this.#timer = setInterval(() => this.#pump(), 5);
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #pump(): void {
    const elapsed = performance.now() - this.#start;
    while (this.#audio * AUDIO_MS <= elapsed) {
      const packet = rtpPacket(AUDIO_PT, this.#audioSeq++, this.#audio * 960, AUDIO_SSRC, AUDIO_PAYLOAD, false);
      this.#audio++;
      stamp(packet, this.sent++);
      for (const sink of this.sinks) {
        sink.audio(packet);
      }
    }
    while (this.#frames * FRAME_MS <= elapsed) {
      this.#frame(this.#frames % KEY_EVERY === 0);
      this.#frames++;
    }
  }

  #frame(key: boolean): void {
    const count = key ? KEY_PACKETS : DELTA_PACKETS;
    const timestamp = this.#frames * 3000;
    for (let i = 0; i < count; i++) {
      const packet = rtpPacket(VIDEO_PT, this.#videoSeq++, timestamp, VIDEO_SSRC, VIDEO_PAYLOAD, i === count - 1);
      // VP8 payload descriptor (S bit on the first packet), then for a keyframe the VP8 key frame header (1280×720).
      packet[12] = i === 0 ? 0x10 : 0x00;
      if (i === 0) {
        packet[13] = key ? 0x00 : 0x01;
        Buffer.from([0x9d, 0x01, 0x2a, 0x00, 0x05, 0xd0, 0x02]).copy(packet, 16);
      }
      stamp(packet, this.sent++);
      for (const sink of this.sinks) {
        sink.video(packet);
      }
    }
  }
}
