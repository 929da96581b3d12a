import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_MESSAGE_BYTES } from '../data/index.js';
import { HISTORY_ANSWER_BYTES, HISTORY_BATCH_BYTES, MAX_CHAT_TEXT } from './chat-limits.js';
import type { StoredMessage } from './chat-message.js';
import { historyBatches } from './history-batches.js';

const message = (i: number, text: string): StoredMessage => ({
  id: `m${i}`,
  from: 'a',
  text,
  sentAt: i,
  fromHistory: false,
  recipients: [],
  deliveredTo: [],
  delivered: false,
});

interface Batch {
  k: string;
  messages: Array<{ id: string }>;
  done: boolean;
}

test('an empty history is one empty, done batch', () => {
  assert.deepEqual(historyBatches([]), [{ k: 'hist', messages: [], done: true }]);
});

test('a large history is cut into batches under the limits, the newest kept, oldest first, the last one done', () => {
  const bulky = '\u0001é'.repeat(MAX_CHAT_TEXT / 2); // the worst JSON: 6 bytes per control character
  const all = Array.from({ length: 100 }, (_, i) => message(i, bulky));
  const batches = historyBatches(all) as unknown as Batch[];
  const sizes = batches.map((b) => new TextEncoder().encode(JSON.stringify(b)).byteLength);
  assert.ok(batches.length > 1);
  assert.ok(
    sizes.every((size) => size <= HISTORY_BATCH_BYTES + 64 && size < MAX_MESSAGE_BYTES),
    String(sizes),
  );
  assert.ok(sizes.reduce((a, b) => a + b, 0) <= HISTORY_ANSWER_BYTES + 64 * batches.length, 'the whole answer stays bounded');
  const ids = batches.flatMap((b) => b.messages.map((m) => m.id));
  assert.equal(ids.at(-1), 'm99');
  assert.ok(ids.length < 100, 'the oldest that do not fit are left out');
  assert.deepEqual(
    ids,
    [...ids].sort((x, y) => Number(x.slice(1)) - Number(y.slice(1))),
  );
  assert.deepEqual(
    batches.map((b) => b.done),
    batches.map((_, i) => i === batches.length - 1),
  );
});
