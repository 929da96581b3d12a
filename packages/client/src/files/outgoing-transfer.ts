/**
 * One file to one peer. It offers the file, and once accepted streams it from its chunk boundary (FILE_CHUNK_BYTES),
 * reading the file in FILE_BATCH_BYTES slices and hashing each chunk once (SHA-256, incrementally); after the last byte it sends the
 * digest and waits for the receiver's verdict. If the stream fails it pauses until the receiver asks to resume.
 */
import type { Clock } from '@rendezvous/common';
import type { RendezvousError } from '@rendezvous/protocol';
import type { OutgoingStream } from '../data/index.js';
import type { FeaturePort } from '../feature-port.js';
import { TypedEmitter } from '../typed-emitter.js';
import { isResumePoint, sendControl, type Control } from './control.js';
import { createFileHasher, type FileHasher } from './file-hasher.js';
import { hashMismatch, transferFailed, type TransferFailure } from './file-errors.js';
import { FILE_BATCH_BYTES, FILE_CHUNK_BYTES, FILES_TOPIC, RESUME_TIMEOUT_MS } from './limits.js';
import { ProgressMeter, type TransferProgress } from './progress.js';
import {
  CANCEL_ABORT_REASON,
  isFinished,
  isRemoteCancel,
  type CancelledBy,
  type TransferEvents,
  type TransferState,
} from './transfer-types.js';

export interface SentFile {
  /** The SHA-256 (hex) the receiver verified. */
  sha256: string;
}

/** @internal What FileTransfers lends each transfer. */
export interface TransferContext {
  port: FeaturePort;
  clock: Clock;
  /** The transfer finished (any way): its slot is free. */
  ended(transfer: { readonly id: string }): void;
}

export class OutgoingTransfer extends TypedEmitter<TransferEvents<SentFile>> {
  readonly id: string;
  readonly to: string;
  readonly name: string;
  readonly size: number;
  readonly type: string;
  #state: TransferState = 'queued';
  #error: RendezvousError | null = null;
  #stream: OutgoingStream | null = null;
  /** Bumped for each new stream: an older pump that wakes up sees it is stale and stops. */
  #generation = 0;
  #lastAttempt = 0;
  #hashedUpTo = 0;
  /** The furthest byte any stream handed to its channel: the receiver can have verified no more. */
  #sentUpTo = 0;
  #digest: string | null = null;
  #timer: unknown = null;
  /** Started with the first stream (loading the WebAssembly hasher is asynchronous); never rejects. */
  #hashing: Promise<FileHasher> | null = null;
  readonly #file: Blob;
  readonly #meter: ProgressMeter;
  readonly #ctx: TransferContext;
  readonly #corruptChunk: number | null;

  /** @internal Made by `FileTransfers.send`. */
  constructor(id: string, to: string, file: Blob, name: string, ctx: TransferContext, corruptChunk: number | null) {
    super();
    this.id = id;
    this.to = to;
    this.#file = file;
    this.name = name;
    this.size = file.size;
    this.type = file.type;
    this.#ctx = ctx;
    this.#corruptChunk = corruptChunk;
    this.#meter = new ProgressMeter(file.size, ctx.clock);
  }

  get state(): TransferState {
    return this.#state;
  }
  get error(): RendezvousError | null {
    return this.#error;
  }
  get progress(): TransferProgress {
    return this.#meter.snapshot();
  }

  /** Stops the transfer; the receiver sees it cancelled. No-op once finished. */
  cancel(): void {
    if (isFinished(this.#state)) {
      return;
    }
    if (this.#state !== 'queued') {
      this.#send({ t: 'cancel', id: this.id, reason: 'cancelled' });
    }
    this.#end('cancelled');
    this.emit('cancelled', 'local');
  }

  /** @internal A slot is free: offer the file. */
  start(): void {
    if (this.#state !== 'queued') {
      return;
    }
    this.#setState('offered');
    this.#send({ t: 'offer', id: this.id, name: this.name, size: this.size, type: this.type });
  }

  /** @internal A control message from the receiver about this transfer. */
  handle(control: Control): void {
    if (isFinished(this.#state) || this.#state === 'queued') {
      return;
    }
    switch (control.t) {
      case 'accept':
        return this.#state === 'offered' ? this.#streamFrom(0) : undefined;
      case 'reject':
        return this.#state === 'offered' ? this.#cancelled('rejected') : undefined;
      case 'resume':
        return this.#onResume(control.offset, control.attempt);
      case 'result':
        return this.#onResult(control.ok);
      case 'cancel':
        return control.reason === 'cancelled'
          ? this.#cancelled('remote')
          : this.#fail(transferFailed(this.to, this.id, 'remote-error'));
      default:
        return undefined;
    }
  }

  /** @internal The receiver left the room, or the room closed. */
  shutdown(cause: TransferFailure): void {
    this.#fail(transferFailed(this.to, this.id, cause));
  }

  #onResume(offset: number, attempt: number): void {
    if (this.#state === 'offered' || attempt <= this.#lastAttempt) {
      return;
    }
    if (!isResumePoint(offset, this.size) || offset > this.#sentUpTo) {
      this.#send({ t: 'cancel', id: this.id, reason: 'error' });
      return this.#fail(transferFailed(this.to, this.id, 'protocol', `resume from byte ${offset}`));
    }
    this.#lastAttempt = attempt;
    this.#streamFrom(offset);
  }

  #onResult(ok: boolean): void {
    if (this.#digest === null) {
      return; // no verdict is due before the digest was sent
    }
    if (!ok) {
      return this.#fail(hashMismatch(this.to, this.id, this.#digest, ''));
    }
    this.emit('progress', this.#meter.update(this.size));
    const digest = this.#digest;
    this.#end('done');
    this.emit('done', { sha256: digest });
  }

  #streamFrom(offset: number): void {
    this.#clearTimer();
    const generation = ++this.#generation;
    this.#stream?.abort('superseded');
    this.#stream = null;
    let stream: OutgoingStream;
    try {
      stream = this.#ctx.port.openInternalStream(FILES_TOPIC, this.to, { id: this.id, offset });
    } catch {
      return this.#pause(); // no connection now: the receiver asks again once it is reachable
    }
    this.#stream = stream;
    this.#setState('transferring');
    let lastAcked = -1;
    stream.on('progress', (sent, acked) => {
      if (generation !== this.#generation) {
        return;
      }
      this.#sentUpTo = Math.max(this.#sentUpTo, offset + sent);
      if (acked !== lastAcked) {
        lastAcked = acked; // progress follows acknowledgements, not each piece sent
        this.emit('progress', this.#meter.update(offset + acked));
      }
    });
    void this.#pump(stream, generation, offset);
  }

  async #pump(stream: OutgoingStream, generation: number, offset: number): Promise<void> {
    const stale = (): boolean => generation !== this.#generation || isFinished(this.#state);
    try {
      const hasher = await (this.#hashing ??= createFileHasher());
      let next = offset < this.size ? this.#read(offset) : null;
      for (let at = offset; next !== null; at += FILE_BATCH_BYTES) {
        const batch = await next;
        // Read the next slice while this one is written.
        next = at + FILE_BATCH_BYTES < this.size ? this.#read(at + FILE_BATCH_BYTES) : null;
        next?.catch(() => undefined);
        if (stale()) {
          return;
        }
        await stream.write(this.#prepare(hasher, batch, at));
      }
      await stream.end();
      if (stale()) {
        return;
      }
      this.#stream = null;
      this.#digest ??= hasher.digestHex();
      this.#setState('verifying');
      this.#send({ t: 'digest', id: this.id, sha256: this.#digest });
    } catch (error) {
      if (!stale()) {
        this.#onStreamFailed(error);
      }
    }
  }

  /** Up to FILE_BATCH_BYTES from `at` (a chunk boundary). */
  async #read(at: number): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.#file.slice(at, Math.min(at + FILE_BATCH_BYTES, this.size)).arrayBuffer());
  }

  /**
   * Hashes the chunks of `batch` (from byte `at`) that go out for the first time; flips a byte of the test-only
   * corrupt chunk after hashing.
   */
  #prepare(hasher: FileHasher, batch: Uint8Array<ArrayBuffer>, at: number): Uint8Array<ArrayBuffer> {
    const fresh = this.#hashedUpTo - at;
    if (fresh >= 0 && fresh < batch.byteLength) {
      hasher.update(batch.subarray(fresh));
      this.#hashedUpTo = at + batch.byteLength;
    }
    const corrupt = this.#corruptChunk === null ? -1 : this.#corruptChunk * FILE_CHUNK_BYTES - at;
    if (corrupt >= 0 && corrupt < batch.byteLength) {
      batch[corrupt] = batch[corrupt]! ^ 0xff;
    }
    return batch;
  }

  #onStreamFailed(error: unknown): void {
    this.#stream = null;
    if (isRemoteCancel(error)) {
      return this.#cancelled('remote');
    }
    this.#pause();
  }

  /** Waits for the receiver's `resume` (sent once it sees this peer reachable again), up to RESUME_TIMEOUT_MS. */
  #pause(): void {
    this.#setState('paused');
    this.#clearTimer();
    this.#timer = this.#ctx.clock.setTimeout(() => {
      this.#timer = null;
      this.#send({ t: 'cancel', id: this.id, reason: 'error' });
      this.#fail(transferFailed(this.to, this.id, 'resume-timeout'));
    }, RESUME_TIMEOUT_MS);
  }

  #cancelled(by: CancelledBy): void {
    if (isFinished(this.#state)) {
      return;
    }
    this.#end('cancelled');
    this.emit('cancelled', by);
  }

  #fail(error: RendezvousError): void {
    if (isFinished(this.#state)) {
      return;
    }
    this.#error = error;
    this.#end('error');
    this.emit('error', error);
  }

  #end(state: 'done' | 'cancelled' | 'error'): void {
    this.#generation++;
    this.#clearTimer();
    this.#stream?.abort(CANCEL_ABORT_REASON);
    this.#stream = null;
    this.#setState(state);
    this.#ctx.ended(this);
  }

  #setState(state: TransferState): void {
    if (state !== this.#state) {
      this.#state = state;
      this.emit('state', state);
    }
  }

  #clearTimer(): void {
    if (this.#timer !== null) {
      this.#ctx.clock.clearTimeout(this.#timer);
      this.#timer = null;
    }
  }

  #send(control: Control): void {
    sendControl(this.#ctx.port, this.to, control);
  }
}
