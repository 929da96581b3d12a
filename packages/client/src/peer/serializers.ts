/**
 * How a data connection turns values into data-channel frames and back, as peerjs does for each serialization:
 * - 'binary' (peerjs's default): BinaryPack; a packed message over PEERJS_CHUNK_MTU bytes goes as chunks
 *   `{__peerData: <message number>, n, total, data}`, each packed on its own, and is put back together on receipt;
 * - 'json': the UTF-8 bytes of the JSON text, in a binary frame;
 * - 'raw': whatever the channel carries (strings, ArrayBuffers), unchanged.
 * In every serialization a message `{__peerData: {type: 'close'}}` asks the receiver to close the connection.
 */
import { pack, unpack, type Packable } from 'peerjs-js-binarypack';
import { tooLarge } from '../data/data-errors.js';
import { checkBinaryPack } from './binary-guard.js';
import { ChunkAssembler, type ChunkOutcome } from './chunk-assembler.js';
import { MAX_BINARY_DEPTH, MAX_PEER_FRAME_BYTES, MAX_PEER_MESSAGE_BYTES, PEERJS_CHUNK_MTU } from './limits.js';
import type { Serialization } from './wire.js';

export type Frame = string | ArrayBuffer;

/** What one received frame turned out to be. */
export type Decoded =
  { kind: 'data'; data: unknown } | { kind: 'close' } | { kind: 'partial' } | { kind: 'error'; reason: string; size?: number };

export interface Codec {
  /** The frames of one message, in order. Throws DATA_TOO_LARGE past the limits, TypeError for what has no form. */
  encode(data: unknown): Promise<Frame[]>;
  decode(raw: unknown): Decoded;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function frameSize(frame: Frame): number {
  return typeof frame === 'string' ? frame.length * 3 : frame.byteLength;
}

export function codecFor(serialization: Serialization): Codec {
  switch (serialization) {
    case 'binary':
      return new BinaryCodec();
    case 'json':
      return jsonCodec;
    case 'raw':
      return rawCodec;
  }
}

/** peerjs's close request, in whichever serialization carried it. */
function isCloseRequest(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const peerData: unknown = (value as Record<string, unknown>)['__peerData'];
  return typeof peerData === 'object' && peerData !== null && (peerData as Record<string, unknown>)['type'] === 'close';
}

function toArrayBuffer(view: ArrayBufferView): ArrayBuffer {
  const copy = new Uint8Array(view.byteLength);
  copy.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  return copy.buffer;
}

const jsonCodec: Codec = {
  encode(data) {
    const text = JSON.stringify(data) as string | undefined;
    if (text === undefined) {
      return Promise.reject(new TypeError('This value has no JSON form.'));
    }
    const bytes = encoder.encode(text);
    if (bytes.byteLength > MAX_PEER_FRAME_BYTES) {
      return Promise.reject(tooLarge('message', bytes.byteLength, MAX_PEER_FRAME_BYTES));
    }
    return Promise.resolve([toArrayBuffer(bytes)]);
  },
  decode(raw) {
    let text: string;
    if (typeof raw === 'string') {
      text = raw;
    } else if (raw instanceof ArrayBuffer) {
      text = decoder.decode(raw);
    } else {
      return { kind: 'error', reason: 'a frame that is neither text nor bytes' };
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { kind: 'error', reason: 'a frame that is not JSON' };
    }
    return isCloseRequest(value) ? { kind: 'close' } : { kind: 'data', data: value };
  },
};

const rawCodec: Codec = {
  encode(data) {
    let frame: Frame;
    if (typeof data === 'string' || data instanceof ArrayBuffer) {
      frame = data;
    } else if (ArrayBuffer.isView(data)) {
      frame = toArrayBuffer(data);
    } else {
      return Promise.reject(new TypeError("A 'raw' data connection sends strings, ArrayBuffers and typed arrays."));
    }
    const size = frameSize(frame);
    if (size > MAX_PEER_FRAME_BYTES) {
      return Promise.reject(tooLarge('message', size, MAX_PEER_FRAME_BYTES));
    }
    return Promise.resolve([frame]);
  },
  decode(raw) {
    return typeof raw === 'string' || raw instanceof ArrayBuffer
      ? { kind: 'data', data: raw }
      : { kind: 'error', reason: 'a frame that is neither text nor bytes' };
  },
};

class BinaryCodec implements Codec {
  readonly #assembler = new ChunkAssembler(MAX_PEER_MESSAGE_BYTES);
  #messageNumber = 1;

  async encode(data: unknown): Promise<Frame[]> {
    const packed = await pack(data as Packable);
    const bytes = packed instanceof ArrayBuffer ? packed : toArrayBuffer(new Uint8Array(packed));
    if (bytes.byteLength > MAX_PEER_MESSAGE_BYTES) {
      throw tooLarge('message', bytes.byteLength, MAX_PEER_MESSAGE_BYTES);
    }
    if (bytes.byteLength <= PEERJS_CHUNK_MTU) {
      return [bytes];
    }
    const total = Math.ceil(bytes.byteLength / PEERJS_CHUNK_MTU);
    const id = this.#messageNumber++;
    const frames: Frame[] = [];
    for (let n = 0; n < total; n++) {
      const slice = bytes.slice(n * PEERJS_CHUNK_MTU, (n + 1) * PEERJS_CHUNK_MTU);
      frames.push(pack({ __peerData: id, n, data: slice, total }) as ArrayBuffer);
    }
    return frames;
  }

  decode(raw: unknown, nested = false): Decoded {
    if (!(raw instanceof ArrayBuffer)) {
      return { kind: 'error', reason: 'a text frame on a binary connection' };
    }
    const problem = checkBinaryPack(new Uint8Array(raw), MAX_BINARY_DEPTH);
    if (problem !== null) {
      return { kind: 'error', reason: `BinaryPack: ${problem}` };
    }
    let value: unknown;
    try {
      value = unpack(raw);
    } catch (error) {
      return { kind: 'error', reason: `BinaryPack: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (isCloseRequest(value)) {
      return { kind: 'close' };
    }
    const marker = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['__peerData'] : undefined;
    if (marker === undefined || marker === null || marker === false || marker === 0) {
      return { kind: 'data', data: value };
    }
    if (nested) {
      return { kind: 'error', reason: 'a chunk inside a chunked message' };
    }
    return this.#chunk(this.#assembler.add(value as Record<string, unknown>));
  }

  #chunk(outcome: ChunkOutcome): Decoded {
    switch (outcome.kind) {
      case 'complete':
        return this.decode(outcome.bytes, true);
      case 'partial':
        return { kind: 'partial' };
      case 'error':
        return outcome;
    }
  }
}
