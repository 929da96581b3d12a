import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseClientMessage, parseServerMessage } from './codec.js';

const PEER = 'AbCdEfGh12345678';
const MEDIA = { audioMuted: false, videoMuted: false, screenSharing: false };

test('hand and recording: a boolean each, with an optional request id; anything else is BAD_MESSAGE', () => {
  for (const message of [
    { type: 'hand', raised: true },
    { type: 'hand', raised: false, requestId: 'h1' },
    { type: 'recording', active: true, requestId: 'r1' },
    { type: 'recording', active: false },
  ]) {
    const result = parseClientMessage(JSON.stringify(message));
    assert.ok(result.ok, `${JSON.stringify(message)}: ${result.ok ? '' : result.detail}`);
    assert.deepEqual(result.message, message);
  }
  for (const [message, detail] of [
    [{ type: 'hand' }, /raised/],
    [{ type: 'hand', raised: 'yes' }, /raised/],
    [{ type: 'hand', raised: 1 }, /raised/],
    [{ type: 'recording', active: null }, /active/],
    [{ type: 'recording', recording: true }, /active/],
  ] as const) {
    const result = parseClientMessage(JSON.stringify(message));
    assert.ok(!result.ok && result.code === 'BAD_MESSAGE', JSON.stringify(message));
    assert.match(result.detail, detail);
  }
});

test('peer-updated carries hand and recording; a message without them (an older server) still parses', () => {
  const full = { type: 'peer-updated', room: 'r', peerId: PEER, media: MEDIA, hand: 3, recording: true, requestId: 'h1' };
  const parsed = parseServerMessage(JSON.stringify(full));
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.message, full);
  const lowered = parseServerMessage(JSON.stringify({ ...full, hand: null, recording: false }));
  assert.ok(lowered.ok && lowered.message.type === 'peer-updated' && lowered.message.hand === null);
  const old = parseServerMessage(JSON.stringify({ type: 'peer-updated', room: 'r', peerId: PEER, media: MEDIA }));
  assert.ok(old.ok && old.message.type === 'peer-updated' && old.message.hand === undefined);
  for (const hand of [0, -1, 1.5, '1', true]) {
    const result = parseServerMessage(JSON.stringify({ ...full, hand }));
    assert.ok(!result.ok && result.code === 'BAD_MESSAGE', `hand ${JSON.stringify(hand)}`);
  }
  const badRecording = parseServerMessage(JSON.stringify({ ...full, recording: 'yes' }));
  assert.ok(!badRecording.ok);
});

test('joined: self and peers carry their presence', () => {
  const joined = {
    type: 'joined',
    room: 'r',
    self: { peerId: PEER, displayName: 'Ada', media: MEDIA, hand: null, recording: false },
    peers: [{ peerId: 'ZyXwVuTs87654321', displayName: 'Bob', media: MEDIA, hand: 1, recording: true, polite: false }],
    capacity: 6,
  };
  const parsed = parseServerMessage(JSON.stringify(joined));
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.message, joined);
  const bad = parseServerMessage(JSON.stringify({ ...joined, peers: [{ ...joined.peers[0], hand: 0 }] }));
  assert.ok(!bad.ok && bad.code === 'BAD_MESSAGE');
});
