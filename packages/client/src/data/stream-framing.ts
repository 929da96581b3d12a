/**
 * Framing on a stream's own channel (label `stream:<n>`). Binary frames are data, at most STREAM_CHUNK_BYTES
 * each, sender to receiver. Text frames are control, tagged by their first character:
 *
 * | frame          | direction          | meaning                                                      |
 * |----------------|--------------------|--------------------------------------------------------------|
 * | `m` + JSON     | sender → receiver  | the meta; always the first frame (at most MAX_META_BYTES)     |
 * | `t` + topic + space + JSON | sender → receiver | instead of `m`: the meta of an internal stream on `topic` |
 * | `c` + decimal  | receiver → sender  | bytes consumed so far (flow control: STREAM_WINDOW_BYTES)     |
 * | `e`            | sender → receiver  | end: every chunk has been sent                               |
 * | `k`            | receiver → sender  | end received; the sender closes the channel (receiver: once `k` left) |
 * | `a` + reason   | either             | abort; the side that sends it closes the channel             |
 *
 * A channel that closes before `k` (sender) or `e` (receiver) fails the stream with DATA_CHANNEL_CLOSED.
 */
import type { RendezvousError } from '@rendezvous/protocol';
import { badFrame, tooLarge } from './data-errors.js';
import { MAX_ABORT_REASON_CHARS, MAX_META_BYTES } from './limits.js';
import { checkTopic, isTopic, utf8Length, type JsonValue } from './message-framing.js';

export const META = 'm';
export const INTERNAL_META = 't';
export const CREDIT = 'c';
export const END = 'e';
export const END_ACK = 'k';
export const ABORT = 'a';

/** What travels first on a stream: free-form JSON, with three well-known fields. */
export interface StreamMeta {
  name?: string;
  /** Total bytes, when known in advance. */
  size?: number;
  /** A media type such as `image/png`. */
  type?: string;
  [key: string]: JsonValue | undefined;
}

/**
 * The first frame of a stream: `meta`, on internal `topic` when given. Throws DATA_TOO_LARGE past MAX_META_BYTES,
 * TypeError when the meta or the topic is not valid.
 */
export function encodeMeta(meta: StreamMeta, topic?: string): string {
  if (topic !== undefined) {
    checkTopic(topic);
  }
  const problem = metaProblem(meta);
  if (problem !== null) {
    throw new TypeError(`Invalid stream meta: ${problem}.`);
  }
  const text = JSON.stringify(meta);
  const size = utf8Length(text);
  if (size > MAX_META_BYTES) {
    throw tooLarge('meta', size, MAX_META_BYTES);
  }
  return topic === undefined ? META + text : `${INTERNAL_META}${topic} ${text}`;
}

/** A stream's first frame, read: its meta, and its internal topic (null for an application stream). */
export type MetaResult = { ok: true; meta: StreamMeta; topic: string | null } | { ok: false; error: RendezvousError };

/** Reads a stream's first frame. Never throws. */
export function decodeMeta(peerId: string, raw: unknown): MetaResult {
  const tag = typeof raw === 'string' ? raw.charAt(0) : '';
  if (typeof raw !== 'string' || (tag !== META && tag !== INTERNAL_META)) {
    return { ok: false, error: badFrame(peerId, 'a stream must start with its meta') };
  }
  let body = raw.slice(1);
  let topic: string | null = null;
  if (tag === INTERNAL_META) {
    const space = body.indexOf(' ');
    topic = body.slice(0, space);
    if (space < 0 || !isTopic(topic)) {
      return { ok: false, error: badFrame(peerId, 'bad internal stream topic') };
    }
    body = body.slice(space + 1);
  }
  const size = body.length > MAX_META_BYTES ? body.length : utf8Length(body);
  if (size > MAX_META_BYTES) {
    return { ok: false, error: tooLarge('meta', size, MAX_META_BYTES, peerId) };
  }
  return parseMeta(peerId, body, topic);
}

function parseMeta(peerId: string, body: string, topic: string | null): MetaResult {
  let meta: unknown;
  try {
    meta = JSON.parse(body);
  } catch {
    return { ok: false, error: badFrame(peerId, 'bad stream meta JSON') };
  }
  const problem = metaProblem(meta);
  if (problem !== null) {
    return { ok: false, error: badFrame(peerId, `bad stream meta: ${problem}`) };
  }
  return { ok: true, meta: meta as StreamMeta, topic };
}

function metaProblem(meta: unknown): string | null {
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    return 'not an object';
  }
  const { name, size, type } = meta as Record<string, unknown>;
  if (name !== undefined && typeof name !== 'string') {
    return 'name is not a string';
  }
  if (type !== undefined && typeof type !== 'string') {
    return 'type is not a string';
  }
  if (size !== undefined && !(Number.isSafeInteger(size) && (size as number) >= 0)) {
    return 'size is not a byte count';
  }
  return null;
}

/** The abort frame, its reason cut to MAX_ABORT_REASON_CHARS. */
export function encodeAbort(reason: string): string {
  return ABORT + reason.slice(0, MAX_ABORT_REASON_CHARS);
}

export function decodeAbortReason(frame: string): string {
  return frame.slice(1, 1 + MAX_ABORT_REASON_CHARS);
}

/** The byte count of a credit frame, or null when it is not a non-negative integer. */
export function decodeCredit(frame: string): number | null {
  const digits = frame.slice(1);
  if (!/^\d{1,16}$/.test(digits)) {
    return null;
  }
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : null;
}
