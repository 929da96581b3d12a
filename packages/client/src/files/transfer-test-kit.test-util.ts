/** Helpers for the file-transfer tests: random files, their hashes, a sink that records, and event promises. */
import { createHash, randomBytes } from 'node:crypto';
import type { RendezvousError } from '@rendezvous/protocol';
import { FILE_BATCH_BYTES, FILE_CHUNK_BYTES } from './limits.js';
import { memorySink, type FileSink } from './sinks.js';
import type { TransferEvents } from './transfer-types.js';
import type { TypedEmitter } from '../typed-emitter.js';

export function randomFile(size: number, name = 'data.bin'): { file: File; sha256: string; bytes: Uint8Array } {
  const bytes = new Uint8Array(randomBytes(size));
  return { file: new File([bytes], name, { type: 'application/octet-stream' }), sha256: sha256Hex(bytes), bytes };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A memory sink that counts writes, knows whether it was aborted, and may run a hook after chunk `n` is written. */
export interface RecordingSink extends FileSink {
  readonly written: number;
  readonly aborted: boolean;
  readonly closed: boolean;
}

export function recordingSink(afterChunk?: (index: number) => Promise<void> | void): RecordingSink {
  const inner = memorySink();
  let written = 0;
  let aborted = false;
  let closed = false;
  let index = 0;
  return {
    get written() {
      return written;
    },
    get aborted() {
      return aborted;
    },
    get closed() {
      return closed;
    },
    async write(chunk) {
      await inner.write(chunk);
      written += chunk.byteLength;
      await afterChunk?.(index++);
    },
    close() {
      closed = true;
      return inner.close();
    },
    abort() {
      aborted = true;
      return inner.abort();
    },
  };
}

type Emitter<R> = TypedEmitter<TransferEvents<R>>;

/** Resolves with the transfer's first `done`; rejects on `error` or `cancelled`. */
export function doneOf<R>(transfer: Emitter<R>): Promise<R> {
  return new Promise((resolve, reject) => {
    transfer.once('done', resolve);
    transfer.once('error', reject);
    transfer.once('cancelled', (by) => reject(new Error(`cancelled by ${by}`)));
  });
}

/** Resolves with the transfer's first `error`; rejects if it finishes another way. */
export function errorOf<R>(transfer: Emitter<R>): Promise<RendezvousError> {
  return new Promise((resolve, reject) => {
    transfer.once('error', resolve);
    transfer.once('done', () => reject(new Error('finished as done')));
    transfer.once('cancelled', (by) => reject(new Error(`cancelled by ${by}`)));
  });
}

export function cancelledOf<R>(transfer: Emitter<R>): Promise<string> {
  return new Promise((resolve, reject) => {
    transfer.once('cancelled', resolve);
    transfer.once('done', () => reject(new Error('finished as done')));
    transfer.once('error', reject);
  });
}

export const CHUNK = FILE_CHUNK_BYTES;
/** The receiver stores (and can resume) per batch: one sink write per batch. */
export const BATCH = FILE_BATCH_BYTES;
