import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addXorPeerAddress } from './address-attributes.js';
import { MessageBuilder } from './builder.js';
import { decodeChannelData, encodeChannelData, isChannelData } from './channel-data.js';
import { StunDecodeError } from './errors.js';
import { StreamFramer } from './framer.js';
import { StunClass, StunMethod } from './message-type.js';
import { decodeMessage } from './message.js';
import { addData } from './turn-attributes.js';

/** A mix of STUN messages and ChannelData of every padding remainder, as a client would send over TCP. */
function frames(): Buffer[] {
  const stun = (size: number): Buffer => {
    const b = new MessageBuilder(StunMethod.Send, StunClass.Indication);
    addXorPeerAddress(b, { address: '192.0.2.7', port: 9 });
    addData(b, Buffer.alloc(size, size));
    return b.addFingerprint().build();
  };
  return [
    stun(0),
    encodeChannelData(0x4000, Buffer.alloc(0)),
    encodeChannelData(0x4001, Buffer.from([1])),
    stun(5),
    encodeChannelData(0x4002, Buffer.from([1, 2])),
    encodeChannelData(0x4fff, Buffer.from([1, 2, 3])),
    encodeChannelData(0x4003, Buffer.from([1, 2, 3, 4])),
    new MessageBuilder(StunMethod.Binding, StunClass.Request).build(), // header only
    encodeChannelData(0x4004, Buffer.alloc(300, 7)),
    stun(1000),
  ];
}

function stream(list: Buffer[]): Buffer {
  return Buffer.concat(list.map((frame) => (isChannelData(frame) ? pad(frame) : frame)));
}

function pad(frame: Buffer): Buffer {
  return Buffer.concat([frame, Buffer.alloc((4 - (frame.length % 4)) % 4, 0xee)]);
}

function feed(framer: StreamFramer, chunks: Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  for (const chunk of chunks) {
    out.push(...framer.push(chunk).drain());
  }
  return out;
}

test('the whole stream in one chunk yields every frame, unpadded, in order', () => {
  const expected = frames();
  const framer = new StreamFramer();
  assert.deepEqual(feed(framer, [stream(expected)]), expected);
  assert.equal(framer.buffered, 0);
  assert.equal(framer.next(), undefined);
});

test('a split at every byte offset, into two and into three chunks, yields the same frames', () => {
  const expected = frames();
  const bytes = stream(expected);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const framer = new StreamFramer();
    assert.deepEqual(feed(framer, [bytes.subarray(0, cut), bytes.subarray(cut)]), expected, `cut at ${cut}`);
    assert.equal(framer.buffered, 0);
  }
  for (let a = 0; a <= 120; a++) {
    for (let b = a; b <= bytes.length; b += 7) {
      const got = feed(new StreamFramer(), [bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)]);
      assert.deepEqual(got, expected, `cuts at ${a}, ${b}`);
    }
  }
});

test('one byte at a time yields the same frames, each as soon as its last byte arrives', () => {
  const expected = frames();
  const bytes = stream(expected);
  const framer = new StreamFramer();
  const got: Buffer[] = [];
  let end = 0;
  const ends = expected.map((frame) => (end += isChannelData(frame) ? pad(frame).length : frame.length));
  for (let i = 0; i < bytes.length; i++) {
    const before = got.length;
    got.push(...framer.push(bytes.subarray(i, i + 1)).drain());
    if (got.length > before) {
      // Complete once the data is in; the padding may still be on its way.
      const frameEnd = ends[got.length - 1]! - (isChannelData(got.at(-1)!) ? pad(got.at(-1)!).length - got.at(-1)!.length : 0);
      assert.equal(i + 1, frameEnd);
    }
    assert.ok(framer.buffered < 1100);
  }
  assert.deepEqual(got, expected);
  assert.equal(decodeMessage(got[0]!).method, StunMethod.Send);
  assert.deepEqual(decodeChannelData(got[5]!), { channel: 0x4fff, data: Buffer.from([1, 2, 3]) });
});

test('pushing again before draining keeps frames in order', () => {
  const expected = frames();
  const bytes = stream(expected);
  const framer = new StreamFramer();
  framer.push(bytes.subarray(0, 50));
  framer.push(bytes.subarray(50, 400));
  const got = [framer.next()!];
  framer.push(bytes.subarray(400));
  got.push(...framer.drain());
  assert.deepEqual(got, expected);
});

test('garbage is a StunDecodeError, and the framer stays failed', () => {
  const binding = new MessageBuilder(1, 0).build();
  const cases: Array<[Buffer, string, number]> = [
    // bytes, error code, complete frames before the garbage
    [Buffer.from([0x80, 0, 0, 0]), 'BAD_FRAME', 0],
    [Buffer.from([0xc0]), 'BAD_FRAME', 0],
    [Buffer.from([0x50, 0x00, 0x00, 0x00]), 'BAD_CHANNEL_NUMBER', 0],
    [Buffer.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x43]), 'BAD_COOKIE', 0],
    [Buffer.from([0x00, 0x01, 0x00, 0x02, 0x21, 0x12, 0xa4, 0x42]), 'BAD_PADDING', 0],
    // A valid ChannelData frame, then an HTTP request ("P" is 0x50: a channel number out of range).
    [Buffer.concat([encodeChannelData(0x4000, Buffer.alloc(4)), Buffer.from('POST / HTTP/1.1\r\n')]), 'BAD_CHANNEL_NUMBER', 1],
    [Buffer.concat([binding, binding, Buffer.from([0xff])]), 'BAD_FRAME', 2],
  ];
  for (const [bytes, code, before] of cases) {
    const framer = new StreamFramer().push(bytes);
    const isCode = (error: unknown): boolean => error instanceof StunDecodeError && error.code === code;
    if (before > 0) {
      assert.equal(framer.drain().length, before, 'frames before the garbage come out first');
    }
    assert.throws(() => framer.drain(), isCode, code);
    assert.throws(() => framer.next(), isCode);
    assert.throws(() => framer.push(Buffer.alloc(4)), isCode);
  }
  // The cookie is checked as soon as 8 bytes are in, before waiting for the claimed length.
  const framer = new StreamFramer().push(Buffer.from([0x00, 0x01, 0xff, 0xfc, 0x21, 0x12]));
  assert.equal(framer.next(), undefined);
  assert.throws(() => framer.push(Buffer.from([0x00, 0x00])).next(), { code: 'BAD_COOKIE' });
});

/** Sends `frame` one byte at a time, reading after each byte (`drainEach`) or only at the end; returns the copies. */
function drip(
  frame: Buffer,
  drainEach: boolean,
  options?: ConstructorParameters<typeof StreamFramer>[0],
): { copied: number; frames: Buffer[] } {
  const framer = new StreamFramer(options);
  const frames: Buffer[] = [];
  for (let i = 0; i < frame.length; i++) {
    framer.push(frame.subarray(i, i + 1));
    if (drainEach) {
      frames.push(...framer.drain());
    }
  }
  frames.push(...framer.drain());
  assert.equal(framer.buffered, 0);
  return { copied: framer.copiedBytes, frames };
}

test('a largest ChannelData frame sent one byte at a time costs linear work, read as it comes or at the end', () => {
  // 65,535 bytes of data is the most a ChannelData length field can say (4 + 65,535 + 1 padding on the wire).
  const frameOf = (size: number): Buffer => encodeChannelData(0x4000, Buffer.alloc(size, size & 0xff), true);
  for (const drainEach of [true, false]) {
    const small = drip(frameOf(16_383), drainEach);
    const large = drip(frameOf(65_535), drainEach);
    assert.deepEqual(large.frames, [frameOf(65_535).subarray(0, 65_539)]);
    assert.equal(small.frames[0]!.length, 16_387);
    // Each byte is copied once into the frame, plus the doublings of its buffer: under 2 copies a byte...
    assert.ok(large.copied < 2 * 65_539, `${large.copied} bytes copied for a 65,539-byte frame`);
    // ...so 4 times the bytes cost about 4 times the work (a copy per chunk would cost 16 times).
    const ratio = large.copied / small.copied;
    assert.ok(ratio > 3 && ratio < 5, `work ratio ${ratio.toFixed(2)} for 4x the bytes (drainEach ${drainEach})`);
  }
  // A largest STUN message (20 + 65,532 bytes) too.
  const stun = Buffer.alloc(20 + 65_532);
  stun.writeUInt16BE(0x0011, 0);
  stun.writeUInt16BE(65_532, 2);
  stun.writeUInt32BE(0x2112a442, 4);
  const dripped = drip(stun, true);
  assert.deepEqual(dripped.frames, [stun]);
  assert.ok(dripped.copied < 2 * stun.length);
});

test('maxChannelNumber 0x7FFF accepts the RFC 5766 channel range; the default stops at 0x4FFF', () => {
  const legacy = encodeChannelData(0x4abc, Buffer.from('legacy'), true);
  legacy.writeUInt16BE(0x7abc, 0); // the codec encodes RFC 8656 numbers only
  assert.deepEqual(drip(legacy, true, { maxChannelNumber: 0x7fff }).frames, [legacy.subarray(0, 10)]);
  assert.deepEqual(new StreamFramer({ maxChannelNumber: 0x7fff }).push(legacy).drain(), [legacy.subarray(0, 10)]);
  assert.throws(() => new StreamFramer().push(legacy).next(), { code: 'BAD_CHANNEL_NUMBER' });
  assert.throws(() => new StreamFramer({ maxChannelNumber: 0x5fff }).push(legacy).next(), { code: 'BAD_CHANNEL_NUMBER' });
  assert.throws(() => new StreamFramer({ maxChannelNumber: 0x7fff }).push(Buffer.from([0x80, 0, 0, 0])).next(), {
    code: 'BAD_FRAME',
  });
  for (const bad of [0x3fff, 0x8000, 1.5]) {
    assert.throws(() => new StreamFramer({ maxChannelNumber: bad }), RangeError);
  }
});
