/**
 * Framing on a peer's message channel. One frame per message; the first character (text frames) or the first
 * byte (binary frames) is a tag, so the receiver gets back what was sent:
 *
 * | frame  | tag            | payload                         | received as           |
 * |--------|----------------|---------------------------------|-----------------------|
 * | text   | `s`            | the string                      | `string`              |
 * | text   | `j`            | JSON text of any other value    | the parsed JSON value |
 * | binary | `0x62` (`b`)   | the bytes                       | `ArrayBuffer`         |
 * | text   | `i`            | topic, a space, JSON text       | an internal message   |
 *
 * Internal messages carry an SDK feature's traffic (chat, files) on a topic (see TOPIC_PATTERN); the application's
 * `message` event never sees them. The payload is at most MAX_MESSAGE_BYTES. Unknown tags, oversize frames, bad
 * topics and bad JSON are refused.
 */
import { MAX_MESSAGE_BYTES } from './limits.js';
import { badFrame, tooLarge } from './data-errors.js';
import type { RendezvousError } from '@rendezvous/protocol';

/** What `send` accepts: text, bytes, or a value `JSON.stringify` turns into text. */
export type SendData = string | ArrayBuffer | ArrayBufferView | number | boolean | null | object;
/** A JSON value as the receiver gets it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
/** What a `message` event carries: a string, an ArrayBuffer, or a JSON value. */
export type DataMessage = string | ArrayBuffer | JsonValue;

export interface Frame {
  data: string | ArrayBuffer;
  /** Payload bytes (what the size limit counts). */
  size: number;
}

const TEXT = 's';
const JSON_TAG = 'j';
const BINARY = 0x62;
const INTERNAL = 'i';

/** What an internal topic may be: a short name such as `chat` or `file:v1`. */
export const TOPIC_PATTERN = /^[a-z0-9._:-]{1,32}$/;

export function isTopic(topic: unknown): topic is string {
  return typeof topic === 'string' && TOPIC_PATTERN.test(topic);
}

/** Throws a TypeError unless `topic` matches TOPIC_PATTERN. */
export function checkTopic(topic: string): void {
  if (!isTopic(topic)) {
    throw new TypeError(`An internal topic is 1 to 32 characters of a-z 0-9 . _ : - (got ${JSON.stringify(topic)}).`);
  }
}
const encoder = new TextEncoder();

export function utf8Length(text: string): number {
  return encoder.encode(text).byteLength;
}

/** Turns `data` into one frame. Throws DATA_TOO_LARGE past MAX_MESSAGE_BYTES, TypeError for what has no JSON form. */
export function encodeMessage(data: SendData): Frame {
  if (typeof data === 'string') {
    return textFrame(TEXT, data);
  }
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    return binaryFrame(data);
  }
  if (typeof Blob !== 'undefined' && data instanceof Blob) {
    throw new TypeError('send() takes no Blob; read it into an ArrayBuffer first.');
  }
  const text: unknown = JSON.stringify(data);
  if (typeof text !== 'string') {
    throw new TypeError('send() takes a string, bytes, or a value with a JSON form.');
  }
  return textFrame(JSON_TAG, text);
}

/** The frame of an internal message on `topic`. Throws like `encodeMessage`, and a TypeError for a bad topic. */
export function encodeInternal(topic: string, data: JsonValue): Frame {
  checkTopic(topic);
  const text: unknown = JSON.stringify(data);
  if (typeof text !== 'string') {
    throw new TypeError('An internal message must be a value with a JSON form.');
  }
  return textFrame(INTERNAL, `${topic} ${text}`);
}

function textFrame(tag: string, text: string): Frame {
  const size = utf8Length(text);
  if (size > MAX_MESSAGE_BYTES) {
    throw tooLarge('message', size, MAX_MESSAGE_BYTES);
  }
  return { data: tag + text, size };
}

function binaryFrame(data: ArrayBuffer | ArrayBufferView): Frame {
  const bytes =
    data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.byteLength > MAX_MESSAGE_BYTES) {
    throw tooLarge('message', bytes.byteLength, MAX_MESSAGE_BYTES);
  }
  const out = new Uint8Array(bytes.byteLength + 1);
  out[0] = BINARY;
  out.set(bytes, 1);
  return { data: out.buffer, size: bytes.byteLength };
}

/** A decoded frame: an application message (`topic` null) or an internal one on `topic`. */
export type Decoded = { ok: true; message: DataMessage; topic: string | null } | { ok: false; error: RendezvousError };

/** Reads one frame from `peerId`. Never throws: what is not a valid frame comes back as an error. */
export function decodeMessage(peerId: string, raw: unknown): Decoded {
  if (typeof raw === 'string') {
    return decodeText(peerId, raw);
  }
  if (raw instanceof ArrayBuffer) {
    const size = raw.byteLength - 1;
    if (size > MAX_MESSAGE_BYTES) {
      return { ok: false, error: tooLarge('message', size, MAX_MESSAGE_BYTES, peerId) };
    }
    if (size < 0 || new Uint8Array(raw, 0, 1)[0] !== BINARY) {
      return { ok: false, error: badFrame(peerId, 'unknown binary tag') };
    }
    return { ok: true, message: raw.slice(1), topic: null };
  }
  return { ok: false, error: badFrame(peerId, 'neither text nor an ArrayBuffer') };
}

function decodeText(peerId: string, raw: string): Decoded {
  // A frame of more code units than the limit allows bytes is too large without counting its bytes.
  const size = raw.length - 1 > MAX_MESSAGE_BYTES ? raw.length - 1 : utf8Length(raw) - 1;
  if (size > MAX_MESSAGE_BYTES) {
    return { ok: false, error: tooLarge('message', size, MAX_MESSAGE_BYTES, peerId) };
  }
  const tag = raw.charAt(0);
  const body = raw.slice(1);
  if (tag === TEXT) {
    return { ok: true, message: body, topic: null };
  }
  if (tag === JSON_TAG) {
    return decodeJson(peerId, body, null);
  }
  if (tag === INTERNAL) {
    const space = body.indexOf(' ');
    const topic = body.slice(0, space);
    if (space < 0 || !isTopic(topic)) {
      return { ok: false, error: badFrame(peerId, 'bad internal topic') };
    }
    return decodeJson(peerId, body.slice(space + 1), topic);
  }
  return { ok: false, error: badFrame(peerId, 'unknown text tag') };
}

function decodeJson(peerId: string, text: string, topic: string | null): Decoded {
  try {
    return { ok: true, message: JSON.parse(text) as JsonValue, topic };
  } catch {
    return { ok: false, error: badFrame(peerId, 'bad JSON') };
  }
}
