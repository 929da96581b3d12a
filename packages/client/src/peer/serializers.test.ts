import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pack } from 'peerjs-js-binarypack';
import { checkBinaryPack } from './binary-guard.js';
import { MAX_BINARY_DEPTH, PEERJS_CHUNK_MTU } from './limits.js';
import { codecFor, type Frame } from './serializers.js';

const bytes = (size: number): Uint8Array => Uint8Array.from({ length: size }, (_, i) => i % 251);

test('binary: a small value is one BinaryPack frame and decodes back', async () => {
  const codec = codecFor('binary');
  const frames = await codec.encode({ hello: 'world', n: [1, 2.5, -3], ok: true, none: null });
  assert.equal(frames.length, 1);
  assert.deepEqual(codecFor('binary').decode(frames[0]), {
    kind: 'data',
    data: { hello: 'world', n: [1, 2.5, -3], ok: true, none: null },
  });
});

test('binary: a large message goes in peerjs chunks and is put back together in any order', async () => {
  const frames = await codecFor('binary').encode(bytes(3 * PEERJS_CHUNK_MTU + 10));
  assert.equal(frames.length, 4);
  const receiver = codecFor('binary');
  const order = [2, 0, 3, 1];
  const results = order.map((i) => receiver.decode(frames[i]));
  assert.deepEqual(
    results.slice(0, 3).map((r) => r.kind),
    ['partial', 'partial', 'partial'],
  );
  const last = results[3];
  assert.equal(last?.kind, 'data');
  const data = last?.kind === 'data' ? new Uint8Array(last.data as ArrayBuffer) : new Uint8Array();
  assert.deepEqual(data, bytes(3 * PEERJS_CHUNK_MTU + 10));
});

test('json: UTF-8 JSON bytes in a binary frame; a text frame is read too', async () => {
  const codec = codecFor('json');
  const [frame] = await codec.encode({ a: 'ü', b: [1] });
  assert.ok(frame instanceof ArrayBuffer);
  assert.deepEqual(codec.decode(frame), { kind: 'data', data: { a: 'ü', b: [1] } });
  assert.deepEqual(codec.decode('{"x":1}'), { kind: 'data', data: { x: 1 } });
  assert.equal(codec.decode(new TextEncoder().encode('{nope').buffer).kind, 'error');
  await assert.rejects(
    codec.encode(() => 1),
    TypeError,
  );
});

test("peerjs's close request is recognised in every serialization", async () => {
  const request = { __peerData: { type: 'close' } };
  for (const serialization of ['binary', 'json'] as const) {
    const [frame] = (await codecFor(serialization).encode(request)) as [Frame];
    assert.deepEqual(codecFor(serialization).decode(frame), { kind: 'close' }, serialization);
  }
});

test('hostile BinaryPack: huge counts, deep nesting, truncation and trailing bytes are refused before unpack', () => {
  const started = Date.now();
  const huge = Uint8Array.of(0xdd, 0xff, 0xff, 0xff, 0xff, 0x01); // an array "of 4 billion items"
  assert.equal(checkBinaryPack(huge, MAX_BINARY_DEPTH), 'container longer than the message');
  assert.deepEqual(codecFor('binary').decode(huge.buffer).kind, 'error');
  assert.ok(Date.now() - started < 1000, 'refused at once');
  const deep = new Uint8Array(200).fill(0x91); // [[[[…]]]]
  assert.match(checkBinaryPack(deep, MAX_BINARY_DEPTH) ?? '', /nested deeper/);
  assert.equal(checkBinaryPack(Uint8Array.of(0xda, 0x00, 0x10, 1, 2), MAX_BINARY_DEPTH), 'truncated value');
  assert.equal(checkBinaryPack(Uint8Array.of(0x01, 0x02), MAX_BINARY_DEPTH), 'trailing bytes');
  assert.equal(checkBinaryPack(Uint8Array.of(0xc1 + 0x20 /* 0xe1: a negative fixint */), MAX_BINARY_DEPTH), null);
  assert.equal(codecFor('binary').decode('text').kind, 'error');
});

test('hostile chunks: bad numbers, duplicates and too many partial messages are errors, never data', () => {
  const codec = codecFor('binary');
  const chunk = (id: number, n: number, total: number, size = 4): ArrayBuffer =>
    pack({ __peerData: id, n, data: bytes(size).buffer as ArrayBuffer, total }) as ArrayBuffer;
  assert.equal(codec.decode(chunk(1, 5, 2)).kind, 'error');
  assert.equal(codec.decode(chunk(1, 0, 1e9)).kind, 'error');
  assert.equal(codec.decode(chunk(2, 0, 3)).kind, 'partial');
  assert.equal(codec.decode(chunk(2, 0, 3)).kind, 'error', 'a duplicate chunk');
  for (let id = 10; id < 26; id++) {
    assert.equal(codec.decode(chunk(id, 0, 2)).kind, 'partial');
  }
  assert.equal(codec.decode(chunk(99, 0, 2)).kind, 'error', 'past MAX_PARTIAL_MESSAGES');
});

test('sizes past the limits are DATA_TOO_LARGE', async () => {
  await assert.rejects(codecFor('json').encode('x'.repeat(300 * 1024)), { code: 'DATA_TOO_LARGE' });
  await assert.rejects(codecFor('raw').encode(new Uint8Array(300 * 1024)), { code: 'DATA_TOO_LARGE' });
  await assert.rejects(codecFor('raw').encode({ not: 'raw' }), TypeError);
});
