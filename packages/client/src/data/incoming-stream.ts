/**
 * The receiving side of a stream, made once its meta arrived (see stream-intake.ts). Chunks come as `data`
 * events, or through the async iterator; the receiver reports consumed bytes so the sender never runs more than
 * STREAM_WINDOW_BYTES ahead, which bounds what an iterator buffers. Framing: see stream-framing.ts.
 */
import { RendezvousError } from '@rendezvous/protocol';
import { TypedEmitter } from '../typed-emitter.js';
import { closeWhenDrained, listen, trySend, type DataChannelLike } from './channel-port.js';
import { badFrame, streamFailed, type StreamFailure } from './data-errors.js';
import { STREAM_CHUNK_BYTES, STREAM_CREDIT_STEP_BYTES, STREAM_WINDOW_BYTES } from './limits.js';
import { ABORT, CREDIT, END, END_ACK, decodeAbortReason, encodeAbort, type StreamMeta } from './stream-framing.js';

export type IncomingStreamState = 'open' | 'ended' | 'failed';

export interface IncomingStreamEvents {
  /** A chunk, in order (also while an iterator runs). */
  data: [chunk: ArrayBuffer];
  /** The sender ended the stream; every chunk has arrived. */
  end: [];
  /** The stream failed (channel closed, aborted by the sender, bad frames). Not emitted for a local `abort`. */
  error: [error: RendezvousError];
}

export class IncomingStream extends TypedEmitter<IncomingStreamEvents> implements AsyncIterable<ArrayBuffer> {
  readonly from: string;
  readonly label: string;
  readonly meta: Readonly<StreamMeta>;
  #state: IncomingStreamState = 'open';
  #error: RendezvousError | null = null;
  #received = 0;
  #consumed = 0;
  #reported = 0;
  #iterating = false;
  readonly #buffer: ArrayBuffer[] = [];
  #pull: { resolve: (result: IteratorResult<ArrayBuffer>) => void; reject: (error: unknown) => void } | null = null;
  readonly #channel: DataChannelLike;
  readonly #off: (() => void)[];
  readonly #onDone: (protocolError: RendezvousError | null) => void;

  /** @internal Made by the stream intake once the meta frame arrived. */
  constructor(from: string, channel: DataChannelLike, meta: StreamMeta, onDone: (protocolError: RendezvousError | null) => void) {
    super();
    this.from = from;
    this.label = channel.label;
    this.meta = meta;
    this.#channel = channel;
    this.#onDone = onDone;
    this.#off = [
      listen(channel, 'close', () => this.#fail('closed')),
      listen(channel, 'message', (event) => this.#onFrame(event.data)),
    ];
  }

  get state(): IncomingStreamState {
    return this.#state;
  }
  get bytesReceived(): number {
    return this.#received;
  }

  /** Refuses or stops the stream: tells the sender (`reason`), closes the channel, fails a running iterator. */
  abort(reason = ''): void {
    if (this.#state !== 'open') {
      return;
    }
    trySend(this.#channel, encodeAbort(reason));
    this.#fail('aborted-locally', reason);
  }

  /** @internal The peer's connection went away. */
  shutdown(): void {
    this.#fail('closed');
  }

  /**
   * The chunks, in order. Start it in the `stream` listener: chunks that arrived before are not repeated. Chunks
   * count as consumed when the iterator yields them; leaving the loop early aborts the stream. One iterator per stream.
   */
  [Symbol.asyncIterator](): AsyncIterator<ArrayBuffer> {
    if (this.#iterating) {
      throw new RendezvousError('INVALID_STATE', 'This stream is already being iterated.');
    }
    this.#iterating = true;
    return {
      next: () => this.#next(),
      return: () => {
        this.abort('the receiver stopped reading');
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }

  #next(): Promise<IteratorResult<ArrayBuffer>> {
    const chunk = this.#buffer.shift();
    if (chunk !== undefined) {
      this.#consume(chunk.byteLength);
      return Promise.resolve({ done: false, value: chunk });
    }
    if (this.#state === 'ended') {
      return Promise.resolve({ done: true, value: undefined });
    }
    if (this.#error !== null) {
      return Promise.reject(this.#error);
    }
    return new Promise((resolve, reject) => (this.#pull = { resolve, reject }));
  }

  #onFrame(raw: unknown): void {
    if (this.#state !== 'open') {
      return;
    }
    if (raw instanceof ArrayBuffer) {
      return this.#onChunk(raw);
    }
    const tag = typeof raw === 'string' ? raw.charAt(0) : '';
    if (raw === END) {
      return this.#end();
    }
    if (tag === ABORT) {
      return this.#fail('aborted-remotely', decodeAbortReason(raw as string));
    }
    this.#violation(typeof raw === 'string' ? `unexpected frame "${tag}" to a receiver` : 'neither text nor bytes');
  }

  #onChunk(chunk: ArrayBuffer): void {
    if (chunk.byteLength > STREAM_CHUNK_BYTES) {
      return this.#violation('chunk over the size limit');
    }
    if (this.#received + chunk.byteLength - this.#consumed > STREAM_WINDOW_BYTES) {
      return this.#violation('sent past the flow-control window');
    }
    this.#received += chunk.byteLength;
    this.emit('data', chunk);
    if (this.#state !== 'open') {
      return;
    } // a data listener aborted
    if (!this.#iterating) {
      return this.#consume(chunk.byteLength);
    }
    if (this.#pull === null) {
      return void this.#buffer.push(chunk);
    }
    const pull = this.#pull;
    this.#pull = null;
    this.#consume(chunk.byteLength);
    pull.resolve({ done: false, value: chunk });
  }

  #consume(size: number): void {
    this.#consumed += size;
    if (this.#state !== 'open' || this.#consumed - this.#reported < STREAM_CREDIT_STEP_BYTES) {
      return;
    }
    this.#reported = this.#consumed;
    trySend(this.#channel, CREDIT + String(this.#consumed));
  }

  #end(): void {
    this.#state = 'ended';
    trySend(this.#channel, END_ACK);
    this.#cleanup(null, false); // the sender closes on `k`; closing here too early could lose it
    closeWhenDrained(this.#channel);
    const pull = this.#pull;
    this.#pull = null;
    pull?.resolve({ done: true, value: undefined });
    this.emit('end');
  }

  #violation(reason: string): void {
    trySend(this.#channel, encodeAbort('protocol'));
    this.#fail('protocol', reason, badFrame(this.from, reason));
  }

  /** `protocolError` goes to the owner (RoomData reports it as an 'error'). */
  #fail(cause: StreamFailure, reason?: string, protocolError: RendezvousError | null = null): void {
    if (this.#state !== 'open') {
      return;
    }
    this.#state = 'failed';
    this.#error = streamFailed(this.from, cause, reason);
    this.#buffer.length = 0;
    this.#cleanup(protocolError);
    const pull = this.#pull;
    this.#pull = null;
    pull?.reject(this.#error);
    if (cause !== 'aborted-locally') {
      this.emit('error', this.#error);
    }
  }

  #cleanup(protocolError: RendezvousError | null = null, close = true): void {
    for (const off of this.#off.splice(0)) {
      off();
    }
    if (close) {
      this.#channel.close();
    }
    this.#onDone(protocolError);
  }
}
