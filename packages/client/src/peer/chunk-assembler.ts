/**
 * Puts peerjs's chunked BinaryPack messages back together: `{__peerData: <message number>, n, total, data}`. The
 * chunks of a message may arrive in any order (an unordered channel); a message's bytes, the messages in progress
 * and every field are bounded, and a duplicate or inconsistent chunk is refused rather than counted.
 */
import { MAX_PARTIAL_MESSAGES, PEERJS_CHUNK_MTU } from './limits.js';

export type ChunkOutcome =
  { kind: 'complete'; bytes: ArrayBuffer } | { kind: 'partial' } | { kind: 'error'; reason: string; size?: number };

interface Partial {
  total: number;
  parts: (Uint8Array | undefined)[];
  count: number;
  bytes: number;
}

export class ChunkAssembler {
  readonly #maxBytes: number;
  readonly #partials = new Map<number, Partial>();

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get inProgress(): number {
    return this.#partials.size;
  }

  add(chunk: Record<string, unknown>): ChunkOutcome {
    const { __peerData: id, n, total, data } = chunk;
    const maxTotal = Math.ceil(this.#maxBytes / PEERJS_CHUNK_MTU) + 1;
    if (!isIndex(id, Number.MAX_SAFE_INTEGER) || !isIndex(total, maxTotal + 1) || total === 0 || !isIndex(n, total)) {
      return { kind: 'error', reason: 'a chunk with bad numbers' };
    }
    if (!(data instanceof ArrayBuffer)) {
      return { kind: 'error', reason: 'a chunk without bytes' };
    }
    let partial = this.#partials.get(id);
    if (partial === undefined) {
      if (this.#partials.size >= MAX_PARTIAL_MESSAGES) {
        return { kind: 'error', reason: `more than ${MAX_PARTIAL_MESSAGES} chunked messages at once` };
      }
      partial = { total, parts: [], count: 0, bytes: 0 };
      this.#partials.set(id, partial);
    }
    if (partial.total !== total || partial.parts[n] !== undefined) {
      this.#partials.delete(id);
      return { kind: 'error', reason: 'a duplicate or inconsistent chunk' };
    }
    partial.bytes += data.byteLength;
    if (partial.bytes > this.#maxBytes) {
      this.#partials.delete(id);
      return { kind: 'error', reason: 'a chunked message over the size limit', size: partial.bytes };
    }
    partial.parts[n] = new Uint8Array(data);
    partial.count += 1;
    if (partial.count < partial.total) {
      return { kind: 'partial' };
    }
    this.#partials.delete(id);
    const whole = new Uint8Array(partial.bytes);
    let offset = 0;
    for (const part of partial.parts) {
      whole.set(part ?? new Uint8Array(0), offset);
      offset += part?.byteLength ?? 0;
    }
    return { kind: 'complete', bytes: whole.buffer };
  }

  clear(): void {
    this.#partials.clear();
  }
}

function isIndex(value: unknown, below: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < below;
}
