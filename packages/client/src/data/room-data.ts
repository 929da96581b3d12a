/**
 * The data layer of a room, topology neutral: it sends and receives over per-peer `PeerChannels` that the
 * transport attaches (mesh: one connection's channels; SFU: whatever it provides), and never sees a connection.
 *
 * - Messages (`send`, event `message`): one frame each on the peer's message channel, framed as in
 *   message-framing.ts, at most MAX_MESSAGE_BYTES. Queued per peer while its channel is not open or its buffer is
 *   past HIGH_WATER_MARK (bounded by MAX_QUEUED_BYTES_PER_PEER and MAX_QUEUED_MESSAGES_PER_PEER: past them `send`
 *   throws and nothing is queued), then sent in order. The queue outlives a connection rebuild; what was already
 *   handed to a channel that then closed is lost (delivery is at most once).
 * - Streams (`openStream`, event `stream`): one channel per stream, for transfers of any size with backpressure
 *   and progress; see outgoing-stream.ts, incoming-stream.ts and stream-framing.ts.
 * - Internal topics (`sendInternal`, `openStream(…, { topic })`, events `internal` and `internal-stream`): an SDK
 *   feature's traffic (chat, files) on a topic such as `chat`, sharing the queue and channels but never seen by the
 *   application's `message` and `stream` events. Event `reachable` tells when a peer's message channel is open.
 * - Hostile input from a peer (bad framing, oversize frames, unknown tags) is dropped and reported as `error`.
 */
import { RendezvousError } from '@rendezvous/protocol';
import { TypedEmitter } from '../typed-emitter.js';
import type { PeerChannels } from './channel-port.js';
import type { IncomingStream } from './incoming-stream.js';
import { encodeInternal, encodeMessage, type DataMessage, type Frame, type JsonValue, type SendData } from './message-framing.js';
import type { OutgoingStream } from './outgoing-stream.js';
import { PeerData } from './peer-data.js';
import type { StreamMeta } from './stream-framing.js';

export interface RoomDataEvents {
  /** A message from `from`: a string, an ArrayBuffer, or a JSON value, as it was sent. */
  message: [from: string, data: DataMessage];
  /** A peer opened a stream to us. Add listeners (or start iterating) in this listener. */
  stream: [stream: IncomingStream];
  /** An internal message on `topic` (see `sendInternal`); the `message` event never sees these. */
  internal: [from: string, topic: string, data: JsonValue];
  /** A peer opened an internal stream on `topic`; the `stream` event never sees these. */
  'internal-stream': [topic: string, stream: IncomingStream];
  /** `peerId`'s message channel is open, after each attach of a connection whose channel opens. */
  reachable: [peerId: string];
  /** Input from a peer that was dropped (BAD_MESSAGE, DATA_TOO_LARGE, INVALID_STATE for too many streams). */
  error: [error: RendezvousError];
}

export interface SendOptions {
  /** One peer id, several, or (absent) every peer. */
  to?: string | readonly string[];
}

export class RoomData extends TypedEmitter<RoomDataEvents> {
  readonly #peers = new Map<string, PeerData>();
  #closed = false;

  /** Makes `peerId` a target of `send` before its connection exists (its messages queue). Idempotent. */
  addPeer(peerId: string): void {
    this.#peer(peerId);
  }

  /** The transport (re)built `peerId`'s connection: use `channels` from now on; flush the queue once open. */
  attach(peerId: string, channels: PeerChannels): void {
    this.#peer(peerId)?.attach(channels);
  }

  /** `peerId`'s connection went away: its streams fail with DATA_CHANNEL_CLOSED; its queue waits for `attach`. */
  detach(peerId: string): void {
    this.#peers.get(peerId)?.detach();
  }

  /** `peerId` left: its queue is dropped and its streams fail with DATA_CHANNEL_CLOSED. */
  removePeer(peerId: string): void {
    this.#peers.get(peerId)?.dispose();
    this.#peers.delete(peerId);
  }

  /** The peers `send` reaches without `to`. */
  get peerIds(): string[] {
    return [...this.#peers.keys()];
  }

  /** Bytes and messages waiting for `peerId`'s channel (0 when unknown). */
  queued(peerId: string): { bytes: number; messages: number } {
    const peer = this.#peers.get(peerId);
    return { bytes: peer?.queuedBytes ?? 0, messages: peer?.queuedMessages ?? 0 };
  }

  /**
   * Sends `data` to `to` (default: every peer). All or nothing: throws, sending to none, when `data` is over
   * MAX_MESSAGE_BYTES or a target's queue is full (DATA_TOO_LARGE, `detail.what` 'message' or 'queue'), a target
   * is unknown (PEER_NOT_IN_ROOM), or the layer is closed (INVALID_STATE); TypeError for data without a JSON form.
   */
  send(data: SendData, options: SendOptions = {}): void {
    this.#checkOpen();
    this.#sendFrame(encodeMessage(data), options);
  }

  /**
   * Sends `data` on internal `topic` (TOPIC_PATTERN) to `to` (default: every peer), in order with `send`. Throws
   * like `send`, and a TypeError for a bad topic. Peers get it as `internal`, never as `message`.
   */
  sendInternal(topic: string, data: JsonValue, options: SendOptions = {}): void {
    this.#checkOpen();
    this.#sendFrame(encodeInternal(topic, data), options);
  }

  #checkOpen(): void {
    if (this.#closed) {
      throw new RendezvousError('INVALID_STATE', 'The room data layer is closed.');
    }
  }

  #sendFrame(frame: Frame, options: SendOptions): void {
    const targets = this.#targets(options.to);
    for (const peer of targets) {
      const error = peer.checkRoom(frame);
      if (error !== null) {
        throw error;
      }
    }
    for (const peer of targets) {
      peer.enqueue(frame);
    }
    for (const peer of targets) {
      peer.pump();
    }
  }

  /**
   * Opens a stream to `to` on a channel of its own; with `options.topic`, an internal stream (the peer gets it as
   * `internal-stream`, the topic travelling beside the meta). Throws DATA_CHANNEL_CLOSED when `to` has no
   * connection now, INVALID_STATE past MAX_STREAMS_PER_PEER, DATA_TOO_LARGE for a meta over MAX_META_BYTES,
   * TypeError for a bad meta or topic.
   */
  openStream(to: string, meta: StreamMeta = {}, options: { topic?: string } = {}): OutgoingStream {
    this.#checkOpen();
    const peer = this.#peers.get(to);
    if (peer === undefined) {
      throw notInRoom(to);
    }
    return peer.openStream(meta, options.topic);
  }

  /** Drops every peer (streams fail, queues go) and every listener. Idempotent. */
  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    for (const peerId of [...this.#peers.keys()]) {
      this.removePeer(peerId);
    }
    this.removeAllListeners();
  }

  #peer(peerId: string): PeerData | undefined {
    if (this.#closed) {
      return undefined;
    }
    let peer = this.#peers.get(peerId);
    if (peer === undefined) {
      peer = new PeerData(peerId, {
        message: (from, message, topic) =>
          topic === null ? this.emit('message', from, message) : this.emit('internal', from, topic, message as JsonValue),
        stream: (stream, topic) => (topic === null ? this.emit('stream', stream) : this.emit('internal-stream', topic, stream)),
        reachable: (id) => this.emit('reachable', id),
        error: (error) => this.emit('error', error),
      });
      this.#peers.set(peerId, peer);
    }
    return peer;
  }

  #targets(to: SendOptions['to']): PeerData[] {
    if (to === undefined) {
      return [...this.#peers.values()];
    }
    const ids = typeof to === 'string' ? [to] : [...new Set(to)];
    return ids.map((id) => {
      const peer = this.#peers.get(id);
      if (peer === undefined) {
        throw notInRoom(id);
      }
      return peer;
    });
  }
}

function notInRoom(peerId: string): RendezvousError {
  return new RendezvousError('PEER_NOT_IN_ROOM', `No peer ${peerId} in this room.`, { detail: { peerId } });
}
