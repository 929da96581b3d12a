import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RoomNameSchema } from '@rendezvous/protocol';
import {
  MIN_ROOM_NAME_BITS,
  randomGuestName,
  randomIndex,
  randomRoomName,
  ROOM_NAME_BITS,
  ROOM_NAME_WORDS,
} from './room-names.js';
import { ROOM_WORDS } from './room-words.js';

const longest = Math.max(...ROOM_WORDS.map((word) => word.length));

test('a random room name carries at least 40 bits, computed from the word list', () => {
  const bits = ROOM_NAME_WORDS * Math.log2(ROOM_WORDS.length);
  assert.equal(ROOM_NAME_BITS, bits);
  assert.ok(bits >= MIN_ROOM_NAME_BITS, `${ROOM_NAME_WORDS} words from ${ROOM_WORDS.length} give ${bits.toFixed(2)} bits`);
  assert.ok(MIN_ROOM_NAME_BITS >= 40);
});

test('the word list has no duplicates and only short lowercase a-z words', () => {
  assert.equal(new Set(ROOM_WORDS).size, ROOM_WORDS.length, 'no word appears twice');
  const bad = ROOM_WORDS.filter((word) => !/^[a-z]{3,6}$/.test(word));
  assert.deepEqual(bad, [], 'every word is 3-6 letters a-z');
  assert.deepEqual([...ROOM_WORDS].sort(), [...ROOM_WORDS], 'kept in alphabetical order, so duplicates show in review');
});

test('every generated name is a valid RoomNameSchema name of four listed words, within the length bound', () => {
  const bound = ROOM_NAME_WORDS * longest + (ROOM_NAME_WORDS - 1);
  assert.ok(bound <= 64, `the longest possible name (${bound}) fits RoomNameSchema`);
  const words = new Set(ROOM_WORDS);
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const name = randomRoomName();
    assert.ok(RoomNameSchema.safeParse(name).success, `${name} is a valid room name`);
    assert.ok(name.length <= bound, `${name} is at most ${bound} characters`);
    const parts = name.split('-');
    assert.equal(parts.length, ROOM_NAME_WORDS, name);
    for (const part of parts) {
      assert.ok(words.has(part), `${part} (in ${name}) is a listed word`);
    }
    seen.add(name);
  }
  assert.equal(seen.size, 2000, 'no repeats in 2000 draws');
});

test('randomIndex is unbiased: it rejects the values past the last whole multiple of n', () => {
  // n = 3: 2^32 mod 3 = 1, so 2^32 - 1 (which would map to 0) must be rejected and redrawn.
  const draws = [2 ** 32 - 1, 2 ** 32 - 2, 7];
  const used: number[] = [];
  const source = (out: Uint32Array): Uint32Array => {
    const value = draws.shift();
    assert.ok(value !== undefined, 'asked for more values than expected');
    used.push(value);
    out[0] = value;
    return out;
  };
  assert.equal(randomIndex(3, source), (2 ** 32 - 2) % 3);
  assert.deepEqual(used, [2 ** 32 - 1, 2 ** 32 - 2], 'the biased value was redrawn, the next one accepted');
  // A power of two divides 2^32: nothing is rejected.
  assert.equal(
    randomIndex(1024, (out) => ((out[0] = 2 ** 32 - 1), out)),
    1023,
  );
  assert.throws(() => randomIndex(0), RangeError);
  assert.throws(() => randomIndex(1.5), RangeError);
});

test('randomIndex covers every index of a small range', () => {
  const counts = new Array<number>(5).fill(0);
  for (let i = 0; i < 5000; i++) {
    counts[randomIndex(5)]! += 1;
  }
  for (const count of counts) {
    assert.ok(count > 800 && count < 1200, `roughly uniform: ${counts.join(', ')}`);
  }
});

test('guest names are two capitalized words', () => {
  for (let i = 0; i < 200; i++) {
    assert.match(randomGuestName(), /^[A-Z][a-z]+ [A-Z][a-z]+$/);
  }
});
