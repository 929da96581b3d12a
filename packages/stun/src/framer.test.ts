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
  for (const chunk of chunks) out.push(...framer.push(chunk).drain());
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
    if (before > 0) assert.equal(framer.drain().length, before, 'frames before the garbage come out first');
    assert.throws(() => framer.drain(), isCode, code);
    assert.throws(() => framer.next(), isCode);
    assert.throws(() => framer.push(Buffer.alloc(4)), isCode);
  }
  // The cookie is checked as soon as 8 bytes are in, before waiting for the claimed length.
  const framer = new StreamFramer().push(Buffer.from([0x00, 0x01, 0xff, 0xfc, 0x21, 0x12]));
  assert.equal(framer.next(), undefined);
  assert.throws(() => framer.push(Buffer.from([0x00, 0x00])).next(), { code: 'BAD_COOKIE' });
});
