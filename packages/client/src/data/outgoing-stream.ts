/**
 * The sending side of a stream: one channel, meta first, then chunks under two bounds (the channel's
 * `bufferedAmount` below HIGH_WATER_MARK, and at most STREAM_WINDOW_BYTES ahead of what the receiver consumed),
 * then `e`, finished when the receiver answers `k`. Framing: see stream-framing.ts.
 */
import type { RendezvousError } from '@rendezvous/protocol';
import { TypedEmitter } from '../typed-emitter.js';
import { listen, trySend, type DataChannelLike } from './channel-port.js';
import { badFrame, streamFailed, type StreamFailure } from './data-errors.js';
import { HIGH_WATER_MARK, LOW_WATER_MARK, STREAM_CHUNK_BYTES, STREAM_WINDOW_BYTES } from './limits.js';
import { ABORT, CREDIT, END, END_ACK, decodeAbortReason, decodeCredit, encodeAbort, type StreamMeta } from './stream-framing.js';

export type OutgoingStreamState = 'opening' | 'open' | 'ending' | 'finished' | 'failed';

export interface OutgoingStreamEvents {
  /** After each chunk handed to the channel, and each time the receiver reports bytes consumed. */
  progress: [bytesSent: number, bytesAcknowledged: number];
  /** The receiver got everything (`end()` resolved). */
  finish: [];
  /** The stream failed (channel closed, aborted by the receiver, bad frames). Not emitted for a local `abort`. */
  error: [error: RendezvousError];
}

interface Waiter {
  resolve: () => void;
  reject: (error: RendezvousError) => void;
}

export class OutgoingStream extends TypedEmitter<OutgoingStreamEvents> {
  readonly to: string;
  readonly label: string;
  readonly meta: Readonly<StreamMeta>;
  #state: OutgoingStreamState = 'opening';
  #error: RendezvousError | null = null;
  #sent = 0;
  #acked = 0;
  #tail: Promise<void> = Promise.resolve();
  #waiter: Waiter | null = null;
  #ending: { promise: Promise<void>; settle: Waiter } | null = null;
  readonly #channel: DataChannelLike;
  readonly #metaFrame: string;
  readonly #off: (() => void)[];
  readonly #onDone: (protocolError: RendezvousError | null) => void;

  /** @internal Made by `RoomData.openStream`. `metaFrame` is the encoded meta. */
  constructor(
    to: string,
    channel: DataChannelLike,
    meta: StreamMeta,
    metaFrame: string,
    onDone: (protocolError: RendezvousError | null) => void,
  ) {
    super();
    this.to = to;
    this.label = channel.label;
    this.meta = meta;
    this.#channel = channel;
    this.#metaFrame = metaFrame;
    this.#onDone = onDone;
    channel.binaryType = 'arraybuffer';
    channel.bufferedAmountLowThreshold = LOW_WATER_MARK;
    this.#off = [
      listen(channel, 'open', () => this.#opened()),
      listen(channel, 'bufferedamountlow', () => this.#wake()),
      listen(channel, 'close', () => this.#fail('closed')),
      listen(channel, 'message', (event) => this.#onFrame(event.data)),
    ];
    if (channel.readyState === 'open') {
      this.#opened();
    } else if (channel.readyState !== 'connecting') {
      this.#fail('closed');
    }
  }

  get state(): OutgoingStreamState {
    return this.#state;
  }
  /** Bytes handed to the channel. */
  get bytesSent(): number {
    return this.#sent;
  }
  /** Bytes the receiver reported consumed (lags by up to STREAM_CREDIT_STEP_BYTES; all of them once finished). */
  get bytesAcknowledged(): number {
    return this.#acked;
  }

  /**
   * Queues `chunk` (copied at once, so the caller may reuse its buffer). Resolves when all of it is handed to the
   * channel, which waits while the channel or the receiver is full. Rejects with DATA_CHANNEL_CLOSED if the stream fails.
   */
  write(chunk: ArrayBuffer | ArrayBufferView): Promise<void> {
    if (this.#error !== null) {
      return Promise.reject(this.#error);
    }
    if (this.#ending !== null) {
      return Promise.reject(streamFailed(this.to, 'protocol', 'write after end'));
    }
    const bytes = copyBytes(chunk);
    const written = this.#tail.then(() => this.#writeNow(bytes));
    this.#tail = written.catch(() => undefined);
    return written;
  }

  /** Sends `e` after the queued writes; resolves when the receiver confirmed it got everything. */
  end(): Promise<void> {
    if (this.#error !== null) {
      return Promise.reject(this.#error);
    }
    if (this.#ending !== null) {
      return this.#ending.promise;
    }
    let settle: Waiter = { resolve: () => undefined, reject: () => undefined };
    const promise = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    this.#ending = { promise, settle };
    // A failure rejects `promise` through #fail.
    void this.#tail.then(() => this.#sendEnd()).catch(() => undefined);
    return promise;
  }

  /** Stops the stream: tells the receiver (`reason`, cut to 256 characters), closes the channel, rejects pending writes. */
  abort(reason = ''): void {
    if (this.#state === 'finished' || this.#state === 'failed') {
      return;
    }
    if (this.#channel.readyState === 'open') {
      trySend(this.#channel, encodeAbort(reason));
    }
    this.#fail('aborted-locally', reason);
  }

  /** @internal The peer's connection went away. */
  shutdown(): void {
    this.#fail('closed');
  }

  async #writeNow(bytes: Uint8Array<ArrayBuffer>): Promise<void> {
    for (let offset = 0; offset < bytes.byteLength; offset += STREAM_CHUNK_BYTES) {
      // A view, not a copy: `bytes` is this stream's own copy, and the channel copies what it sends.
      const piece = bytes.subarray(offset, offset + STREAM_CHUNK_BYTES);
      // Checked right before sending: anything may have happened while this method awaited.
      while (!this.#fits(piece.byteLength)) {
        await this.#wait();
      }
      this.#send(piece);
      this.#sent += piece.byteLength;
      this.emit('progress', this.#sent, this.#acked);
    }
  }

  async #sendEnd(): Promise<void> {
    while (!this.#fits(0)) {
      await this.#wait();
    }
    this.#send(END);
    this.#state = 'ending';
  }

  #send(frame: string | Uint8Array<ArrayBuffer>): void {
    try {
      this.#channel.send(frame);
    } catch {
      this.#fail('closed');
      throw this.#error!;
    }
  }

  /** Resolves on the next change that may make room; rejects once the stream failed. */
  #wait(): Promise<void> {
    if (this.#error !== null) {
      return Promise.reject(this.#error);
    }
    return new Promise<void>((resolve, reject) => (this.#waiter = { resolve, reject }));
  }

  #fits(size: number): boolean {
    if (this.#state !== 'open' || this.#channel.readyState !== 'open') {
      return false;
    }
    const buffered = this.#channel.bufferedAmount;
    if (buffered > 0 && buffered + size > HIGH_WATER_MARK) {
      return false;
    }
    return this.#sent - this.#acked + size <= STREAM_WINDOW_BYTES;
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = null;
    waiter?.resolve();
  }

  #opened(): void {
    if (this.#state !== 'opening') {
      return;
    }
    if (!trySend(this.#channel, this.#metaFrame)) {
      return this.#fail('closed');
    }
    this.#state = 'open';
    this.#wake();
  }

  #onFrame(raw: unknown): void {
    if (this.#state === 'finished' || this.#state === 'failed') {
      return;
    }
    const tag = typeof raw === 'string' ? raw.charAt(0) : '';
    if (tag === CREDIT) {
      return this.#onCredit(decodeCredit(raw as string));
    }
    if (tag === ABORT) {
      return this.#fail('aborted-remotely', decodeAbortReason(raw as string));
    }
    if (tag === END_ACK && this.#state === 'ending') {
      return this.#finish();
    }
    this.#violation(typeof raw === 'string' ? `unexpected frame "${tag}" to a sender` : 'data frame to a sender');
  }

  #onCredit(consumed: number | null): void {
    if (consumed === null || consumed > this.#sent) {
      return this.#violation('bad credit');
    }
    if (consumed <= this.#acked) {
      return;
    }
    this.#acked = consumed;
    this.emit('progress', this.#sent, this.#acked);
    this.#wake();
  }

  #violation(reason: string): void {
    if (this.#channel.readyState === 'open') {
      trySend(this.#channel, encodeAbort('protocol'));
    }
    this.#fail('protocol', reason, badFrame(this.to, reason));
  }

  #finish(): void {
    this.#state = 'finished';
    const lagging = this.#acked < this.#sent;
    this.#acked = this.#sent;
    this.#cleanup();
    // A progress bar driven by acknowledgements ends at the total, not up to one credit step short.
    if (lagging) {
      this.emit('progress', this.#sent, this.#acked);
    }
    this.#ending?.settle.resolve();
    this.emit('finish');
  }

  /** `protocolError` goes to the owner (RoomData reports it as an 'error'). */
  #fail(cause: StreamFailure, reason?: string, protocolError: RendezvousError | null = null): void {
    if (this.#state === 'finished' || this.#state === 'failed') {
      return;
    }
    this.#state = 'failed';
    this.#error = streamFailed(this.to, cause, reason);
    this.#cleanup(protocolError);
    this.#waiter?.reject(this.#error);
    this.#waiter = null;
    this.#ending?.settle.reject(this.#error);
    if (cause !== 'aborted-locally') {
      this.emit('error', this.#error);
    }
  }

  #cleanup(protocolError: RendezvousError | null = null): void {
    for (const off of this.#off.splice(0)) {
      off();
    }
    this.#channel.close();
    this.#onDone(protocolError);
  }
}

function copyBytes(chunk: ArrayBuffer | ArrayBufferView): Uint8Array<ArrayBuffer> {
  if (chunk instanceof ArrayBuffer) {
    return new Uint8Array(chunk.slice(0));
  }
  return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength).slice();
}
