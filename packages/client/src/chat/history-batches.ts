/**
 * A history answer: the newest room-wide messages that fit in HISTORY_ANSWER_BYTES, oldest first, cut into
 * `hist` batches of at most HISTORY_BATCH_BYTES of JSON each (the last one `done`). Every single message fits in a
 * batch (MAX_CHAT_TEXT characters are at most 24 KiB of JSON), and the batches stay far under the data layer's
 * message and queue limits.
 */
import type { JsonValue } from '../data/index.js';
import { HISTORY_ANSWER_BYTES, HISTORY_BATCH_BYTES } from './chat-limits.js';
import type { StoredMessage } from './chat-message.js';

const encoder = new TextEncoder();

interface Sized {
  item: JsonValue;
  bytes: number;
}

export function historyBatches(roomWide: readonly StoredMessage[]): JsonValue[] {
  const picked: Sized[] = [];
  let total = 0;
  for (let i = roomWide.length - 1; i >= 0; i--) {
    const message = roomWide[i];
    if (message === undefined) {
      continue;
    }
    const item = { id: message.id, from: message.from, text: message.text, sentAt: message.sentAt };
    const bytes = encoder.encode(JSON.stringify(item)).byteLength + 1;
    if (total + bytes > HISTORY_ANSWER_BYTES) {
      break;
    }
    total += bytes;
    picked.unshift({ item, bytes });
  }
  const batches: JsonValue[][] = [[]];
  let size = 0;
  for (const { item, bytes } of picked) {
    const current = batches[batches.length - 1] ?? [];
    if (current.length > 0 && size + bytes > HISTORY_BATCH_BYTES) {
      batches.push([item]);
      size = bytes;
    } else {
      current.push(item);
      size += bytes;
    }
  }
  return batches.map((messages, i) => ({ k: 'hist', messages, done: i === batches.length - 1 }));
}
