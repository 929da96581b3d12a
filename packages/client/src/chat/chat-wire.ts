/**
 * The chat's messages on its internal topic. Each is a JSON object with a kind `k`:
 *
 * | k       | from → to              | fields                                   | meaning                                  |
 * |---------|------------------------|------------------------------------------|------------------------------------------|
 * | `msg`   | sender → recipients    | `id`, `text`, `sentAt`, `private?: true` | a message (the sender is the frame's peer) |
 * | `ack`   | recipient → sender     | `id`                                     | the message arrived                      |
 * | `hist?` | newcomer → one member  |                                          | asks for the recent room-wide history    |
 * | `hist`  | member → newcomer      | `messages: [{id, from, text, sentAt}]`, `done` | one batch of the answer            |
 *
 * `parseChatWire` never throws: what does not fit comes back as a reason, for an `error` event.
 */
import type { JsonValue } from '../data/index.js';
import { CHAT_HISTORY_LIMIT, MAX_CHAT_ID_CHARS, MAX_CHAT_TEXT } from './chat-limits.js';

export interface WireText {
  id: string;
  text: string;
  sentAt: number;
}
export interface WireHistoryItem extends WireText {
  from: string;
}

export type ChatWire =
  | { k: 'msg'; id: string; text: string; sentAt: number; private: boolean }
  | { k: 'ack'; id: string }
  | { k: 'hist?' }
  | { k: 'hist'; items: unknown[]; done: boolean };

export type Parsed = { ok: true; wire: ChatWire } | { ok: false; reason: string };

export function parseChatWire(data: JsonValue): Parsed {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, reason: 'not an object' };
  }
  switch (data.k) {
    case 'msg': {
      const problem = textProblem(data);
      if (problem !== null) {
        return { ok: false, reason: problem };
      }
      const { id, text, sentAt } = data as unknown as WireText;
      return { ok: true, wire: { k: 'msg', id, text, sentAt, private: data.private === true } };
    }
    case 'ack':
      return isId(data.id) ? { ok: true, wire: { k: 'ack', id: data.id } } : { ok: false, reason: 'bad ack id' };
    case 'hist?':
      return { ok: true, wire: { k: 'hist?' } };
    case 'hist':
      if (!Array.isArray(data.messages) || typeof data.done !== 'boolean') {
        return { ok: false, reason: 'bad history batch' };
      }
      if (data.messages.length > CHAT_HISTORY_LIMIT) {
        return { ok: false, reason: `a history batch of ${data.messages.length} messages` };
      }
      return { ok: true, wire: { k: 'hist', items: data.messages, done: data.done } };
    default:
      return { ok: false, reason: 'unknown kind' };
  }
}

/** Why `value` is not a valid history item, or null. */
export function historyItemProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'not an object';
  }
  const from = (value as Record<string, unknown>).from;
  return isId(from) ? textProblem(value as Record<string, unknown>) : 'bad sender';
}

function textProblem(data: Record<string, unknown>): string | null {
  const { id, text, sentAt } = data;
  if (!isId(id)) {
    return 'bad id';
  }
  if (typeof text !== 'string' || text.length === 0) {
    return 'bad text';
  }
  if (text.length > MAX_CHAT_TEXT) {
    return `text of ${text.length} characters (limit ${MAX_CHAT_TEXT})`;
  }
  if (typeof sentAt !== 'number' || !Number.isFinite(sentAt) || sentAt < 0) {
    return 'bad sentAt';
  }
  return null;
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_CHAT_ID_CHARS;
}

export function msgWire(message: WireText, isPrivate: boolean): JsonValue {
  const wire: { [key: string]: JsonValue } = { k: 'msg', id: message.id, text: message.text, sentAt: message.sentAt };
  if (isPrivate) {
    wire.private = true;
  }
  return wire;
}

export function ackWire(id: string): JsonValue {
  return { k: 'ack', id };
}

export const HISTORY_REQUEST: JsonValue = { k: 'hist?' };
