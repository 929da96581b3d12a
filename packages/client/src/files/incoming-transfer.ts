/**
 * One file offered by a peer. The application accepts it (into a sink: by default the Origin Private File System)
 * or rejects it. Bytes arrive on a stream, are gathered into FILE_BATCH_BYTES batches, and each whole batch is hashed
 * (SHA-256, incrementally) and written to the sink in order: `verified` bytes are always hashed and stored, so
 * after a drop the transfer resumes from there. The sender's digest decides: a match gives the file, a mismatch
 * deletes what was stored and reports FILE_HASH_MISMATCH.
 */
import type { RendezvousError } from '@rendezvous/protocol';
import type { IncomingStream } from '../data/index.js';
import { TypedEmitter } from '../typed-emitter.js';
import { sendControl, type Control } from './control.js';
import { createFileHasher, type FileHasher } from './file-hasher.js';
import { hashMismatch, offerNotPending, storageFailed, transferFailed, type TransferFailure } from './file-errors.js';
import { FILE_BATCH_BYTES, MAX_RESUME_ATTEMPTS, RESUME_TIMEOUT_MS } from './limits.js';
import type { TransferContext } from './outgoing-transfer.js';
import { ProgressMeter, type TransferProgress } from './progress.js';
import { defaultSink, handleSink, storageName, type FileSink } from './sinks.js';
import {
  CANCEL_ABORT_REASON,
  isFinished,
  isRemoteCancel,
  type CancelledBy,
  type TransferEvents,
  type TransferState,
} from './transfer-types.js';

export interface ReceivedFile {
  /** The file: for the OPFS or a picked file, backed by the file on disk (`getFile()`). */
  file: Blob;
  /** Its SHA-256 (hex), computed while it streamed and equal to the sender's. */
  sha256: string;
}

/** Where an accepted file goes: a sink of your own, or a file handle (for example from `showSaveFilePicker`). */
export type FileDestination = FileSink | FileSystemFileHandle;

/** Stops the receive loop with a reason that is not the stream's. */
class Stop extends Error {
  constructor(
    readonly kind: 'protocol' | 'storage',
    readonly reason: string,
  ) {
    super(reason);
  }
}

export class IncomingTransfer extends TypedEmitter<TransferEvents<ReceivedFile>> {
  readonly id: string;
  readonly from: string;
  readonly name: string;
  readonly size: number;
  readonly type: string;
  #state: TransferState = 'offered';
  #accepting = false;
  #error: RendezvousError | null = null;
  #result: ReceivedFile | null = null;
  #sink: FileSink | null = null;
  #stream: IncomingStream | null = null;
  #generation = 0;
  #verified = 0;
  #attempts = 0;
  #digest: string | null = null;
  #timer: unknown = null;
  /** Made on accept (loading the WebAssembly hasher is asynchronous). */
  #hasher: FileHasher | null = null;
  readonly #meter: ProgressMeter;
  readonly #ctx: TransferContext;

  /** @internal Made by FileTransfers for a valid offer. */
  constructor(from: string, offer: Extract<Control, { t: 'offer' }>, ctx: TransferContext) {
    super();
    this.id = offer.id;
    this.from = from;
    this.name = offer.name;
    this.size = offer.size;
    this.type = offer.type;
    this.#ctx = ctx;
    this.#meter = new ProgressMeter(offer.size, ctx.clock);
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
  /** The verified file, once `done`. */
  get result(): ReceivedFile | null {
    return this.#result;
  }

  /**
   * Accepts the offer into `destination` (default: a new file in the OPFS, else memory for files up to
   * MAX_IN_MEMORY_FILE_BYTES). Resolves once the sender was told; rejects (and fails the transfer) when no sink can be
   * made. INVALID_STATE when the offer was already answered.
   */
  async accept(destination?: FileDestination): Promise<void> {
    if (this.#state !== 'offered' || this.#accepting) {
      throw offerNotPending(this.from, this.id, this.#accepting ? 'being accepted' : this.#state);
    }
    this.#accepting = true;
    let sink: FileSink | null;
    const hashing = createFileHasher(); // never rejects
    try {
      sink = await this.#makeSink(destination);
      this.#hasher = await hashing;
    } catch (error) {
      sink = null;
      this.#accepting = false;
      if (this.#state === 'offered') {
        this.#failAndTell(storageFailed(this.from, this.id, String(error)));
      }
      throw this.#error ?? error;
    }
    this.#accepting = false;
    if (this.#state !== 'offered' || sink === null) {
      await sink?.abort();
      if (sink === null) {
        this.#failAndTell(
          storageFailed(this.from, this.id, 'no storage for a file this large (no OPFS, over the in-memory limit)'),
        );
      }
      throw this.#error ?? offerNotPending(this.from, this.id, this.#state);
    }
    this.#sink = sink;
    this.#setState('transferring');
    this.#send({ t: 'accept', id: this.id });
  }

  /** Refuses the offer; the sender sees it cancelled ('rejected'). No-op once answered. */
  reject(): void {
    if (this.#state !== 'offered') {
      return;
    }
    this.#send({ t: 'reject', id: this.id });
    void this.#end('cancelled');
    this.emit('cancelled', 'local');
  }

  /** Stops the transfer (the sender sees it cancelled) and deletes what was stored. No-op once finished. */
  cancel(): void {
    if (isFinished(this.#state)) {
      return;
    }
    this.#send({ t: 'cancel', id: this.id, reason: 'cancelled' });
    void this.#end('cancelled');
    this.emit('cancelled', 'local');
  }

  /** @internal A control message from the sender about this transfer. */
  handle(control: Control): void {
    if (isFinished(this.#state)) {
      return;
    }
    if (control.t === 'cancel') {
      return control.reason === 'cancelled'
        ? this.#cancelled('remote')
        : this.#fail(transferFailed(this.from, this.id, 'remote-error'));
    }
    if (control.t === 'digest' && this.#state !== 'offered' && this.#digest === null) {
      this.#digest = control.sha256;
      void this.#maybeFinish();
    }
  }

  /** @internal A stream for this transfer arrived with its meta's `offset`. */
  takeStream(stream: IncomingStream, offset: number): void {
    const expecting = (this.#state === 'transferring' || this.#state === 'paused') && this.#stream === null;
    if (!expecting || offset !== this.#verified) {
      return stream.abort('unexpected stream');
    }
    this.#clearTimer();
    this.#stream = stream;
    this.#setState('transferring');
    void this.#receive(stream, ++this.#generation);
  }

  /** @internal The sender's data channels are open again: ask it to resume if this transfer waits for data. */
  reachable(): void {
    const waiting = (this.#state === 'paused' || this.#state === 'transferring') && this.#stream === null;
    if (!waiting) {
      return;
    }
    if (++this.#attempts > MAX_RESUME_ATTEMPTS) {
      return this.#failAndTell(transferFailed(this.from, this.id, 'too-many-resumes'));
    }
    this.#send({ t: 'resume', id: this.id, offset: this.#verified, attempt: this.#attempts });
  }

  /** @internal The sender left the room, or the room closed. */
  shutdown(cause: TransferFailure): void {
    this.#fail(transferFailed(this.from, this.id, cause));
  }

  async #makeSink(destination: FileDestination | undefined): Promise<FileSink | null> {
    if (destination === undefined) {
      return defaultSink(storageName(this.id, this.name), this.size, this.type);
    }
    if ('createWritable' in destination) {
      return handleSink(destination);
    }
    return destination;
  }

  async #receive(stream: IncomingStream, generation: number): Promise<void> {
    let batch = new Uint8Array(this.#batchSize());
    let fill = 0;
    try {
      for await (const piece of stream) {
        const bytes = new Uint8Array(piece);
        for (let pos = 0; pos < bytes.byteLength;) {
          if (batch.byteLength === 0) {
            throw new Stop('protocol', 'more bytes than the offered size');
          }
          const n = Math.min(batch.byteLength - fill, bytes.byteLength - pos);
          batch.set(bytes.subarray(pos, pos + n), fill);
          [fill, pos] = [fill + n, pos + n];
          if (fill === batch.byteLength) {
            await this.#store(batch); // the sink may keep it: the next batch is a new buffer
            [batch, fill] = [new Uint8Array(this.#batchSize()), 0];
          }
        }
      }
      if (this.#verified !== this.size) {
        throw new Stop('protocol', 'the stream ended before the offered size');
      }
      if (generation === this.#generation) {
        this.#stream = null;
        this.#setState('verifying');
        await this.#maybeFinish();
      }
    } catch (error) {
      if (generation === this.#generation && !isFinished(this.#state)) {
        this.#onReceiveFailed(error);
      }
    }
  }

  /** The next batch: FILE_BATCH_BYTES, or what is left of the file. */
  #batchSize(): number {
    return Math.min(FILE_BATCH_BYTES, this.size - this.#verified);
  }

  /** Hashes and stores one whole batch; `verified` (the resume point) moves only once both are done. */
  async #store(batch: Uint8Array<ArrayBuffer>): Promise<void> {
    this.#hasher!.update(batch);
    try {
      await this.#sink!.write(batch);
    } catch (error) {
      throw new Stop('storage', String(error));
    }
    this.#verified += batch.byteLength;
    this.emit('progress', this.#meter.update(this.#verified));
  }

  #onReceiveFailed(error: unknown): void {
    this.#stream = null;
    if (error instanceof Stop) {
      const failure =
        error.kind === 'storage'
          ? storageFailed(this.from, this.id, error.reason)
          : transferFailed(this.from, this.id, 'protocol', error.reason);
      return this.#failAndTell(failure);
    }
    if (isRemoteCancel(error)) {
      return this.#cancelled('remote');
    }
    this.#pause();
  }

  /** Waits for the sender to be reachable again (then `reachable` asks it to resume), up to RESUME_TIMEOUT_MS. */
  #pause(): void {
    this.#setState('paused');
    this.#clearTimer();
    this.#timer = this.#ctx.clock.setTimeout(() => {
      this.#timer = null;
      this.#failAndTell(transferFailed(this.from, this.id, 'resume-timeout'));
    }, RESUME_TIMEOUT_MS);
  }

  /** Every byte is stored and the digest is known: compare, then keep the file or delete it. */
  async #maybeFinish(): Promise<void> {
    if (this.#state !== 'verifying' || this.#digest === null || this.#sink === null) {
      return;
    }
    const actual = this.#hasher!.digestHex();
    if (actual !== this.#digest) {
      this.#send({ t: 'result', id: this.id, ok: false });
      return this.#fail(hashMismatch(this.from, this.id, this.#digest, actual));
    }
    const sink = this.#sink;
    this.#sink = null;
    let file: Blob;
    try {
      file = await sink.close();
    } catch (error) {
      await sink.abort();
      return this.#failAndTell(storageFailed(this.from, this.id, String(error)));
    }
    if (isFinished(this.#state)) {
      return void sink.abort(); // cancelled while the file was being closed
    }
    this.#send({ t: 'result', id: this.id, ok: true });
    this.#result = { file, sha256: actual };
    this.emit('progress', this.#meter.update(this.size));
    void this.#end('done');
    this.emit('done', this.#result);
  }

  #cancelled(by: CancelledBy): void {
    if (isFinished(this.#state)) {
      return;
    }
    void this.#end('cancelled');
    this.emit('cancelled', by);
  }

  #failAndTell(error: RendezvousError): void {
    if (!isFinished(this.#state)) {
      this.#send({ t: 'cancel', id: this.id, reason: 'error' });
    }
    this.#fail(error);
  }

  #fail(error: RendezvousError): void {
    if (isFinished(this.#state)) {
      return;
    }
    this.#error = error;
    void this.#end('error');
    this.emit('error', error);
  }

  /** Ends the transfer; anything stored is deleted unless it is `done`. Resolves once the sink let go. */
  async #end(state: 'done' | 'cancelled' | 'error'): Promise<void> {
    this.#generation++;
    this.#clearTimer();
    this.#stream?.abort(CANCEL_ABORT_REASON);
    this.#stream = null;
    const sink = this.#sink;
    this.#sink = null;
    this.#setState(state);
    this.#ctx.ended(this);
    await sink?.abort();
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
    sendControl(this.#ctx.port, this.from, control);
  }
}
