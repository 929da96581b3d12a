import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeChannelData,
  encodeChannelData,
  isChannelData,
  isValidChannelNumber,
  writeChannelDataHeader,
} from './channel-data.js';
import { StunDecodeError } from './errors.js';
import { MessageBuilder } from './builder.js';
import { isStunMessage } from './message.js';

function code(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof StunDecodeError);
    return error.code;
  }
  return 'none';
}

test('ChannelData round-trips, unpadded for UDP and padded for streams', () => {
  for (const length of [0, 1, 2, 3, 4, 5, 100, 0xffff]) {
    const data = Buffer.alloc(length, 0x5a);
    const udp = encodeChannelData(0x4000, data);
    assert.equal(udp.length, 4 + length);
    assert.deepEqual([...udp.subarray(0, 4)], [0x40, 0x00, length >> 8, length & 0xff]);
    assert.deepEqual(decodeChannelData(udp), { channel: 0x4000, data });
    const stream = encodeChannelData(0x4fff, data, true);
    assert.equal(stream.length % 4, 0);
    assert.equal(stream.length - (4 + length), (4 - (length % 4)) % 4);
    assert.deepEqual(stream.subarray(4 + length), Buffer.alloc(stream.length - 4 - length));
    assert.deepEqual(decodeChannelData(stream), { channel: 0x4fff, data });
    assert.equal(isChannelData(udp), true);
    assert.equal(isChannelData(stream), true);
    assert.equal(isStunMessage(udp), false);
  }
  const header = Buffer.alloc(4);
  writeChannelDataHeader(header, 0, 0x4abc, 0x1234);
  assert.deepEqual([...header], [0x4a, 0xbc, 0x12, 0x34]);
});

test('ChannelData decoding rejects bad channel numbers and lengths', () => {
  assert.equal(
    code(() => decodeChannelData(Buffer.from([0x40, 0x00, 0x00]))),
    'TOO_SHORT',
  );
  assert.equal(
    code(() => decodeChannelData(Buffer.from([0x50, 0x00, 0x00, 0x00]))),
    'BAD_CHANNEL_NUMBER',
  );
  assert.equal(
    code(() => decodeChannelData(Buffer.from([0x3f, 0xff, 0x00, 0x00]))),
    'BAD_CHANNEL_NUMBER',
  );
  assert.equal(
    code(() => decodeChannelData(Buffer.from([0x40, 0x00, 0x00, 0x02, 1]))),
    'BAD_LENGTH',
  );
  assert.equal(
    code(() => decodeChannelData(Buffer.from([0x40, 0x00, 0x00, 0x00, 0, 0, 0, 0]))),
    'BAD_LENGTH',
  );
  assert.equal(
    code(() => decodeChannelData(Buffer.from([0x40, 0x00, 0x00, 0x01, 9, 0, 0, 0]))),
    'none',
  );
  assert.equal(isChannelData(Buffer.from([0x40, 0x00, 0x00, 0x02, 1])), false);
  assert.equal(isChannelData(Buffer.from([0x50, 0x00, 0x00, 0x00])), false);
  assert.equal(isChannelData(new MessageBuilder(1, 0).build()), false);
  assert.equal(isValidChannelNumber(0x4000), true);
  assert.equal(isValidChannelNumber(0x4fff), true);
  assert.equal(isValidChannelNumber(0x3fff), false);
  assert.equal(isValidChannelNumber(0x5000), false);
  assert.throws(() => encodeChannelData(0x5000, Buffer.alloc(1)), { code: 'BAD_VALUE' });
  assert.throws(() => encodeChannelData(0x4000, Buffer.alloc(0x10000)), { code: 'VALUE_TOO_LONG' });
});
