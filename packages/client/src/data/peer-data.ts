/**
 * One remote peer's part of the data layer: its outgoing message queue (kept across connection rebuilds), the
 * channels of its current connection, and its open streams (which belong to that connection).
 */
import { RendezvousError } from '@rendezvous/protocol';
import { listen, type DataChannelLike, type PeerChannels } from './channel-port.js';
import { tooLarge, tooManyStreams } from './data-errors.js';
import type { IncomingStream } from './incoming-stream.js';
import {
  HIGH_WATER_MARK,
  LOW_WATER_MARK,
  MAX_QUEUED_BYTES_PER_PEER,
  MAX_QUEUED_MESSAGES_PER_PEER,
  MAX_STREAMS_PER_PEER,
  STREAM_LABEL_PREFIX,
} from './limits.js';
import { decodeMessage, type DataMessage, type Frame } from './message-framing.js';
import { OutgoingStream } from './outgoing-stream.js';
import { takeIncomingStream, type StreamHandle } from './stream-intake.js';
import { encodeMeta, type StreamMeta } from './stream-framing.js';

export interface PeerDataHooks {
  /** A message; `topic` non-null for an internal one (its `message` is then a JSON value). */
  message(from: string, message: DataMessage, topic: string | null): void;
  /** A stream the peer opened; `topic` non-null for an internal one. */
  stream(stream: IncomingStream, topic: string | null): void;
  /** The message channel of the connection attached last is open. */
  reachable(peerId: string): void;
  error(error: RendezvousError): void;
}

export class PeerData {
  readonly peerId: string;
  readonly #hooks: PeerDataHooks;
  readonly #queue: Frame[] = [];
  #queuedBytes = 0;
  #channels: PeerChannels | null = null;
  #off: (() => void)[] = [];
  readonly #outgoing = new Set<OutgoingStream>();
  readonly #incoming = new Set<StreamHandle>();
  #nextStream = 1;

  constructor(peerId: string, hooks: PeerDataHooks) {
    this.peerId = peerId;
    this.#hooks = hooks;
  }

  get queuedBytes(): number {
    return this.#queuedBytes;
  }
  get queuedMessages(): number {
    return this.#queue.length;
  }
  get attached(): boolean {
    return this.#channels !== null;
  }

  /**
   * Uses `channels` from now on (dropping the previous connection's), sends what is queued once it is open, and
   * then reports the peer reachable (once per attach; at once when the channel is already open).
   */
  attach(channels: PeerChannels): void {
    this.detach();
    this.#channels = channels;
    const messages = channels.messages;
    messages.binaryType = 'arraybuffer';
    messages.bufferedAmountLowThreshold = LOW_WATER_MARK;
    let reached = false;
    const opened = (): void => {
      this.pump();
      if (!reached && this.#channels === channels && messages.readyState === 'open') {
        reached = true;
        this.#hooks.reachable(this.peerId);
      }
    };
    this.#off = [
      listen(messages, 'open', opened),
      listen(messages, 'bufferedamountlow', () => this.pump()),
      listen(messages, 'message', (event) => this.#receive(event.data)),
      channels.onChannel((channel) => this.#remoteChannel(channel)),
    ];
    opened();
  }

  /** The connection went away: its streams fail with DATA_CHANNEL_CLOSED; the message queue stays. */
  detach(): void {
    for (const off of this.#off.splice(0)) {
      off();
    }
    this.#channels = null;
    for (const stream of [...this.#outgoing]) {
      stream.shutdown();
    }
    for (const handle of [...this.#incoming]) {
      handle.shutdown();
    }
  }

  /** Detaches and drops the queue. */
  dispose(): void {
    this.detach();
    this.#queue.length = 0;
    this.#queuedBytes = 0;
  }

  /** The error `enqueue(frame)` would meet, or null when the queue has room. */
  checkRoom(frame: Frame): RendezvousError | null {
    const bytes = this.#queuedBytes + frame.size;
    if (bytes > MAX_QUEUED_BYTES_PER_PEER) {
      return tooLarge('queue', bytes, MAX_QUEUED_BYTES_PER_PEER, this.peerId);
    }
    if (this.#queue.length >= MAX_QUEUED_MESSAGES_PER_PEER) {
      return tooLarge('queue', this.#queue.length + 1, MAX_QUEUED_MESSAGES_PER_PEER, this.peerId);
    }
    return null;
  }

  /** Queues `frame` (after `checkRoom`); `pump` sends it when the channel has room. */
  enqueue(frame: Frame): void {
    this.#queue.push(frame);
    this.#queuedBytes += frame.size;
  }

  /** Hands queued frames to the open message channel, in order, while its buffer is under HIGH_WATER_MARK. */
  pump(): void {
    const channel = this.#channels?.messages;
    if (channel === undefined) {
      return;
    }
    for (let frame = this.#queue[0]; frame !== undefined; frame = this.#queue[0]) {
      if (channel.readyState !== 'open') {
        return;
      }
      const buffered = channel.bufferedAmount;
      if (buffered > 0 && buffered + frame.size > HIGH_WATER_MARK) {
        return;
      } // resumes on 'bufferedamountlow'
      try {
        channel.send(frame.data);
      } catch {
        return; // the channel is closing; the frame waits for the next connection
      }
      this.#queue.shift();
      this.#queuedBytes -= frame.size;
    }
  }

  openStream(meta: StreamMeta, topic?: string): OutgoingStream {
    const metaFrame = encodeMeta(meta, topic);
    if (this.#channels === null) {
      const detail = { peerId: this.peerId };
      throw new RendezvousError('DATA_CHANNEL_CLOSED', `No connection to ${this.peerId} now.`, { detail });
    }
    if (this.#outgoing.size >= MAX_STREAMS_PER_PEER) {
      throw tooManyStreams(this.peerId, MAX_STREAMS_PER_PEER);
    }
    const channel = this.#channels.open(`${STREAM_LABEL_PREFIX}${this.#nextStream++}`);
    let stream: OutgoingStream | null = null;
    let ended = false; // the constructor may end it at once (a channel that is already closed)
    stream = new OutgoingStream(this.peerId, channel, meta, metaFrame, (error) => {
      ended = true;
      if (stream !== null) {
        this.#outgoing.delete(stream);
      }
      if (error !== null) {
        this.#hooks.error(error);
      }
    });
    if (!ended) {
      this.#outgoing.add(stream);
    }
    return stream;
  }

  #receive(raw: unknown): void {
    const result = decodeMessage(this.peerId, raw);
    if (result.ok) {
      this.#hooks.message(this.peerId, result.message, result.topic);
    } else {
      this.#hooks.error(result.error);
    }
  }

  #remoteChannel(channel: DataChannelLike): void {
    if (!channel.label.startsWith(STREAM_LABEL_PREFIX)) {
      return;
    } // not ours
    if (this.#incoming.size >= MAX_STREAMS_PER_PEER) {
      channel.close();
      return this.#hooks.error(tooManyStreams(this.peerId, MAX_STREAMS_PER_PEER));
    }
    let handle: StreamHandle | null = null;
    let ended = false; // the intake may end at once (a channel that is already closed)
    handle = takeIncomingStream(this.peerId, channel, {
      onStream: (stream, topic) => this.#hooks.stream(stream, topic),
      onDone: (error) => {
        ended = true;
        if (handle !== null) {
          this.#incoming.delete(handle);
        }
        if (error !== null) {
          this.#hooks.error(error);
        }
      },
    });
    if (!ended) {
      this.#incoming.add(handle);
    }
  }
}
