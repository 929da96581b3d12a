import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createFileHasher, nobleHasher } from './file-hasher.js';

const bytes = new Uint8Array(randomBytes(3 * 65536 + 17));
const expected = createHash('sha256').update(bytes).digest('hex');

for (const [name, make] of [
  ['the default (WebAssembly) hasher', createFileHasher],
  ['the pure-JavaScript fallback', () => Promise.resolve(nobleHasher())],
] as const) {
  test(`${name} gives the SHA-256 of bytes fed in uneven pieces`, async () => {
    const hasher = await make();
    for (const [from, to] of [
      [0, 1],
      [1, 65536],
      [65536, 65536],
      [65536, bytes.byteLength],
    ]) {
      hasher.update(bytes.subarray(from, to));
    }
    assert.equal(hasher.digestHex(), expected);
  });
}
