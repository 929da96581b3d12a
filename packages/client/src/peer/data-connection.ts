/**
 * A data connection, as peerjs's DataConnection: one RTCPeerConnection with one data channel labelled `label`
 * (ordered when `reliable`), messages in the connection's serialization ('binary' BinaryPack with peerjs's
 * chunking, 'json' or 'raw'). Sends are paced by the channel's buffer; hostile frames become `error` events.
 */
import { listen } from '../data/channel-port.js';
import { badFrame, tooLarge } from '../data/data-errors.js';
import { BaseConnection, type ConnectionEvents, type ConnectionInit } from './base-connection.js';
import { MAX_PEER_MESSAGE_BYTES } from './limits.js';
import { PeerError, toPeerError } from './peer-errors.js';
import { SendQueue } from './send-queue.js';
import { codecFor, type Codec, type Decoded } from './serializers.js';
import { extension, type Serialization } from './wire.js';

export interface DataConnectionEvents extends ConnectionEvents {
  open: [];
  data: [data: unknown];
}

export interface ConnectOptions {
  /** The data channel's label (default: the connection id). */
  label?: string;
  /** Any JSON value; the other side reads it as `conn.metadata`. */
  metadata?: unknown;
  /** Default 'binary' (BinaryPack, as peerjs's default). */
  serialization?: Serialization;
  /** An ordered channel (default true; peerjs defaults to false, an unordered one). */
  reliable?: boolean;
}

export interface DataConnectionInit extends ConnectionInit {
  label: string;
  serialization: Serialization;
  reliable: boolean;
}

const CLOSE_REQUEST = { __peerData: { type: 'close' } };

export class DataConnection extends BaseConnection<DataConnectionEvents> {
  readonly type = 'data' as const;
  readonly label: string;
  readonly serialization: Serialization;
  readonly reliable: boolean;
  readonly #codec: Codec;
  readonly #queue = new SendQueue();
  #channel: RTCDataChannel | null = null;
  #offChannel: (() => void)[] = [];
  #encoding: Promise<void> = Promise.resolve();

  /** @internal Made by `Peer.connect` or by the Peer for an incoming OFFER. */
  constructor(init: DataConnectionInit) {
    super(init);
    this.label = init.label;
    this.serialization = init.serialization;
    this.reliable = init.reliable;
    this.#codec = codecFor(init.serialization);
  }

  /** Frames waiting to be handed to the channel (peerjs's `bufferSize`). */
  get bufferSize(): number {
    return this.#queue.queuedFrames;
  }

  /** @internal Makes the connection: the originator opens the channel and offers; the callee answers. */
  _start(): void {
    if (this.closed) {
      return;
    }
    const link = this.startLink();
    if (this.originator) {
      this.#attach(link.pc.createDataChannel(this.label, { ordered: this.reliable }));
      link.offer({ ...this.offerFields(), ...extension() });
    } else {
      this.answerOffer(link);
    }
  }

  /**
   * Sends one message, in order, once the channel is open (it waits until then). Errors (DATA_TOO_LARGE, a value
   * the serialization cannot carry) come as `error` events, as in peerjs.
   */
  send(data: unknown): void {
    if (this.closed) {
      this.emitError(new PeerError('connection-closed', 'DATA_CHANNEL_CLOSED', 'This connection is closed.'));
      return;
    }
    this.#encoding = this.#encoding.then(async () => {
      try {
        const frames = await this.#codec.encode(data);
        if (!this.closed) {
          this.#queue.push(frames);
        }
      } catch (error) {
        this.emitError(
          error instanceof TypeError ? new PeerError('bad-message', 'BAD_MESSAGE', error.message) : toPeerError(error),
        );
      }
    });
  }

  /** Closes the connection; with `flush`, after what is queued was sent (and asks the other side to close too). */
  override close(options?: { flush?: boolean }): void {
    if (options?.flush === true && !this.closed) {
      this.send(CLOSE_REQUEST);
      void this.#encoding.then(() => this.#closeWhenSent());
      return;
    }
    super.close();
  }

  protected override offerFields(): Record<string, unknown> {
    return {
      ...(this.metadata === undefined ? {} : { metadata: this.metadata }),
      label: this.label,
      reliable: this.reliable,
      serialization: this.serialization,
    };
  }

  protected override onDataChannel(channel: RTCDataChannel): void {
    if (this.originator || this.#channel !== null) {
      channel.close(); // peerjs opens exactly one channel, from the originator
      return;
    }
    this.#attach(channel);
  }

  protected override release(): void {
    for (const off of this.#offChannel.splice(0)) {
      off();
    }
    this.#queue.detach();
    this.#queue.clear();
    this.#channel?.close();
    this.#channel = null;
  }

  #attach(channel: RTCDataChannel): void {
    this.#channel = channel;
    channel.binaryType = 'arraybuffer';
    this.#queue.attach(channel);
    const opened = (): void => {
      if (!this.open && !this.closed) {
        this.setOpen();
        this.emit('open');
        this.#queue.pump();
      }
    };
    this.#offChannel = [
      listen(channel, 'open', opened),
      listen(channel, 'message', (event) => this.#receive(event.data)),
      listen(channel, 'close', () => this.close()),
    ];
    if (channel.readyState === 'open') {
      opened();
    }
  }

  #receive(raw: unknown): void {
    let decoded: Decoded;
    try {
      decoded = this.#codec.decode(raw);
    } catch (error) {
      decoded = { kind: 'error', reason: error instanceof Error ? error.message : String(error) };
    }
    switch (decoded.kind) {
      case 'data':
        this.emit('data', decoded.data);
        return;
      case 'close':
        this.close();
        return;
      case 'partial':
        return;
      case 'error':
        this.emit(
          'error',
          toPeerError(
            decoded.size === undefined
              ? badFrame(this.peer, decoded.reason)
              : tooLarge('message', decoded.size, MAX_PEER_MESSAGE_BYTES),
          ),
        );
    }
  }

  #closeWhenSent(): void {
    if (this.closed) {
      return;
    }
    if (this.#queue.queuedFrames === 0 && (this.#channel === null || this.#channel.bufferedAmount === 0)) {
      super.close();
      return;
    }
    const channel = this.#channel;
    if (channel === null || channel.readyState !== 'open') {
      super.close();
      return;
    }
    channel.bufferedAmountLowThreshold = 0;
    this.#offChannel.push(listen(channel, 'bufferedamountlow', () => this.#closeWhenSent()));
  }
}
