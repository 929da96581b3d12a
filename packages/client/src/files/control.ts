/**
 * The control messages of file transfer (internal messages on FILES_TOPIC), and the meta of its streams.
 * Everything from a peer is checked here: anything malformed is `null` and is dropped by the caller.
 *
 * | message                                   | direction  | meaning                                             |
 * |-------------------------------------------|------------|-----------------------------------------------------|
 * | `{ t: 'offer', id, name, size, type }`    | sender →   | a file; the receiver answers accept or reject       |
 * | `{ t: 'accept', id }`                     | receiver → | send from byte 0 (the stream's meta: `{ id, offset }`) |
 * | `{ t: 'reject', id }`                     | receiver → | no thanks                                           |
 * | `{ t: 'resume', id, offset, attempt }`    | receiver → | after a drop: send again from `offset` (a chunk boundary it verified) |
 * | `{ t: 'digest', id, sha256 }`             | sender →   | the whole file's SHA-256 (hex), once every byte was sent |
 * | `{ t: 'result', id, ok }`                 | receiver → | the hash matched (`ok`) or not                      |
 * | `{ t: 'cancel', id, reason }`             | either     | stop (`reason` 'cancelled' by a person, 'error' after a failure) |
 */
import type { JsonValue, StreamMeta } from '../data/index.js';
import type { FeaturePort } from '../feature-port.js';
import {
  FILE_CHUNK_BYTES,
  FILES_TOPIC,
  MAX_FILE_BYTES,
  MAX_FILE_NAME_CHARS,
  MAX_FILE_TYPE_CHARS,
  MAX_RESUME_ATTEMPTS,
} from './limits.js';

export type CancelReason = 'cancelled' | 'error';

export type Control =
  | { t: 'offer'; id: string; name: string; size: number; type: string }
  | { t: 'accept'; id: string }
  | { t: 'reject'; id: string }
  | { t: 'resume'; id: string; offset: number; attempt: number }
  | { t: 'digest'; id: string; sha256: string }
  | { t: 'result'; id: string; ok: boolean }
  | { t: 'cancel'; id: string; reason: CancelReason };

export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;

type Fields = Record<string, JsonValue>;

/** Reads a control message from a peer; `null` when it is not one. Never throws. */
export function parseControl(data: JsonValue): Control | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return null;
  }
  const m: Fields = data;
  if (typeof m['id'] !== 'string' || !ID_PATTERN.test(m['id'])) {
    return null;
  }
  const id = m['id'];
  switch (m['t']) {
    case 'offer':
      return parseOffer(m, id);
    case 'accept':
    case 'reject':
      return { t: m['t'], id };
    case 'resume':
      return isOffset(m['offset']) && isCount(m['attempt'], MAX_RESUME_ATTEMPTS)
        ? { t: 'resume', id, offset: m['offset'], attempt: m['attempt'] }
        : null;
    case 'digest':
      return typeof m['sha256'] === 'string' && SHA256_PATTERN.test(m['sha256'])
        ? { t: 'digest', id, sha256: m['sha256'] }
        : null;
    case 'result':
      return typeof m['ok'] === 'boolean' ? { t: 'result', id, ok: m['ok'] } : null;
    case 'cancel':
      return m['reason'] === 'cancelled' || m['reason'] === 'error' ? { t: 'cancel', id, reason: m['reason'] } : null;
    default:
      return null;
  }
}

function parseOffer(m: Fields, id: string): Control | null {
  const { name, size, type } = m;
  if (typeof name !== 'string' || name.length > MAX_FILE_NAME_CHARS || typeof type !== 'string') {
    return null;
  }
  if (type.length > MAX_FILE_TYPE_CHARS || !isOffset(size)) {
    return null;
  }
  return { t: 'offer', id, name, size, type };
}

/** A stream's meta: which transfer, from which byte. */
export function parseStreamMeta(meta: Readonly<StreamMeta>): { id: string; offset: number } | null {
  const { id, offset } = meta;
  if (typeof id !== 'string' || !ID_PATTERN.test(id) || !isOffset(offset)) {
    return null;
  }
  return { id, offset };
}

/** Whether `offset` is where a transfer of `size` bytes may (re)start: a chunk boundary, or the end. */
export function isResumePoint(offset: number, size: number): boolean {
  return offset <= size && (offset % FILE_CHUNK_BYTES === 0 || offset === size);
}

function isOffset(value: JsonValue | undefined): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_FILE_BYTES;
}

function isCount(value: JsonValue | undefined, max: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= max;
}

/** The control message as JSON for `sendInternal`. */
export function toJson(control: Control): JsonValue {
  return control;
}

/**
 * Sends a control message to `peerId`. A peer that is gone, or whose queue is full, is not an error here:
 * peer-left handling and the transfer's own timers end the transfer.
 */
export function sendControl(port: FeaturePort, peerId: string, control: Control): void {
  try {
    port.sendInternal(FILES_TOPIC, toJson(control), peerId);
  } catch {
    // ended elsewhere (see above)
  }
}
