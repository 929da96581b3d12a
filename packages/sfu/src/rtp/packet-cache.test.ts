import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PacketCache } from './packet-cache.js';

const pkt = (n: number): Buffer => Buffer.from([n & 0xff, n >> 8]);

test('stores and returns packets by sequence number', () => {
  const cache = new PacketCache(4);
  assert.equal(cache.get(1), undefined, 'empty');
  cache.put(1, pkt(1));
  cache.put(2, pkt(2));
  assert.deepEqual(cache.get(1), pkt(1));
  assert.deepEqual(cache.get(2), pkt(2));
  assert.equal(cache.get(3), undefined, 'not stored yet');
});

test('an overwritten slot does not return the previous lap', () => {
  const cache = new PacketCache(4);
  for (let seq = 10; seq < 20; seq++) {
    cache.put(seq, pkt(seq));
  }
  assert.equal(cache.get(15), undefined, 'evicted by 19');
  assert.deepEqual(cache.get(16), pkt(16));
  assert.deepEqual(cache.get(19), pkt(19));
  // A gap: 21 lost, 22 sent. Slot of 21 (index 1) still holds 17, which must not come back as 21.
  cache.put(20, pkt(20));
  cache.put(22, pkt(22));
  assert.equal(cache.get(21), undefined);
  assert.equal(cache.get(17), undefined, 'out of the window of the last 4');
});

test('the same number from 65536 packets ago is not returned', () => {
  const cache = new PacketCache(8);
  cache.put(5, pkt(5));
  // The stream jumps ahead in big steps (slot of 5, index 5, is never overwritten) and wraps round to 4.
  for (const seq of [30000, 60000, 65535, 4]) {
    cache.put(seq, pkt(seq));
  }
  assert.equal(cache.get(5), undefined, '5 is one ahead of 4, not stored in this lap');
  assert.equal(cache.get(60000), undefined, 'too old');
  assert.deepEqual(cache.get(65535), pkt(65535));
});

test('works across the 16-bit wrap', () => {
  const cache = new PacketCache(512);
  for (let seq = 65500; seq < 65536 + 100; seq++) {
    cache.put(seq & 0xffff, pkt(seq & 0xffff));
  }
  assert.deepEqual(cache.get(65535), pkt(65535));
  assert.deepEqual(cache.get(0), pkt(0));
  assert.deepEqual(cache.get(99), pkt(99));
  assert.equal(cache.get(100), undefined);
  // Late arrival of an older packet does not move the window back.
  cache.put(65499, pkt(65499));
  assert.deepEqual(cache.get(99), pkt(99));
});

test('clear empties it; bad sizes are refused', () => {
  const cache = new PacketCache(8);
  cache.put(1, pkt(1));
  cache.clear();
  assert.equal(cache.get(1), undefined);
  cache.put(2, pkt(2));
  assert.deepEqual(cache.get(2), pkt(2));
  assert.throws(() => new PacketCache(0), RangeError);
  assert.throws(() => new PacketCache(40000), RangeError);
});
