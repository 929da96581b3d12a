import type { DataChannelLike } from '../data/channel-port.js';

type ChannelEvent = 'open' | 'close' | 'bufferedamountlow' | 'error' | 'message';
type Listener = (event: { data: unknown }) => void;

/** What a RelayChannel asks of the hub that carries its frames through the server. */
export interface RelayChannelSink {
  /**
   * Queues a frame on this channel; `size` counts toward `bufferedAmount` until the hub hands it over. `source` is
   * what the caller passed (the same frame sent on several channels is the same source).
   */
  send(channel: RelayChannel, data: string | Uint8Array, size: number, source: unknown): void;
  /** Queues the channel's `close` (after its frames). */
  close(channel: RelayChannel): void;
}

/**
 * A data channel whose frames go through the server (rooms in SFU mode): it behaves like an RTCDataChannel toward the
 * data layer. `bufferedAmount` is what waits in the hub for the signaling socket, so the data layer's backpressure
 * paces senders to what the server accepts. Events fire asynchronously, as a browser's do.
 */
export class RelayChannel implements DataChannelLike {
  readonly label: string;
  /** The channel's name on the wire, as this side sends it (see RelayHub). */
  readonly wireName: string;
  binaryType: BinaryType = 'arraybuffer';
  bufferedAmountLowThreshold = 0;
  #state: RTCDataChannelState;
  #buffered = 0;
  readonly #sink: RelayChannelSink;
  readonly #listeners = new Map<ChannelEvent, Set<Listener>>();

  constructor(label: string, wireName: string, sink: RelayChannelSink, state: 'connecting' | 'open') {
    this.label = label;
    this.wireName = wireName;
    this.#sink = sink;
    this.#state = state;
    if (state === 'connecting') {
      queueMicrotask(() => {
        if (this.#state === 'connecting') {
          this.#state = 'open';
          this.#fire('open');
        }
      });
    }
  }

  get readyState(): RTCDataChannelState {
    return this.#state;
  }
  get bufferedAmount(): number {
    return this.#buffered;
  }

  send(data: string | ArrayBuffer | ArrayBufferView<ArrayBuffer>): void {
    if (this.#state !== 'open') {
      throw new DOMException(`The relay channel ${this.label} is ${this.#state}`, 'InvalidStateError');
    }
    if (typeof data === 'string') {
      this.#buffered += data.length;
      this.#sink.send(this, data, data.length, data);
      return;
    }
    const bytes =
      data instanceof ArrayBuffer
        ? new Uint8Array(data.slice(0))
        : new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    this.#buffered += bytes.byteLength;
    this.#sink.send(this, bytes, bytes.byteLength, data);
  }

  /** Closes after the frames already sent; the other side's channel closes when the server relays the `close`. */
  close(): void {
    if (this.#state === 'closing' || this.#state === 'closed') {
      return;
    }
    this.#state = 'closing';
    this.#sink.close(this);
  }

  addEventListener(type: ChannelEvent, listener: Listener): void {
    let set = this.#listeners.get(type);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    set.add(listener);
  }

  removeEventListener(type: ChannelEvent, listener: Listener): void {
    this.#listeners.get(type)?.delete(listener);
  }

  /** @internal The hub handed `size` bytes of this channel's frames to the socket. */
  drained(size: number): void {
    const before = this.#buffered;
    this.#buffered = Math.max(0, before - size);
    if (before > this.bufferedAmountLowThreshold && this.#buffered <= this.bufferedAmountLowThreshold) {
      queueMicrotask(() => this.#fire('bufferedamountlow'));
    }
  }

  /** @internal A frame arrived from the other side. */
  deliver(data: string | ArrayBuffer): void {
    if (this.#state === 'open' || this.#state === 'closing') {
      this.#fire('message', data);
    }
  }

  /** @internal The channel is gone (closed by either side, or the member left). Idempotent. */
  closed(): void {
    if (this.#state === 'closed') {
      return;
    }
    this.#state = 'closed';
    this.#buffered = 0;
    queueMicrotask(() => {
      this.#fire('close');
      this.#listeners.clear();
    });
  }

  #fire(type: ChannelEvent, data?: unknown): void {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) {
      try {
        listener({ data });
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
