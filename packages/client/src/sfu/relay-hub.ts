import { MAX_RELAY_RECIPIENTS, type ClientMessageInput, type RelayOp, type ServerMessageOf } from '@rendezvous/protocol';
import type { DataChannelLike, PeerChannels } from '../data/channel-port.js';
import { MAX_MESSAGE_BYTES } from '../data/limits.js';
import { RelayChannel, type RelayChannelSink } from './relay-channel.js';
import { PieceAssembler, toPieces, type RelayPiece } from './relay-pieces.js';

/** The signaling side the hub sends through. */
export interface RelayHost {
  send(message: ClientMessageInput): void;
  /** Frames waiting in the signaling outbox, and a listener for when it shrinks. */
  queuedFrames(): number;
  onSent(listener: () => void): () => void;
  /** The server's relay byte rate (counted per recipient), if it announced one. */
  relayBytesPerSecond(): number | undefined;
}

/** Relay frames the hub keeps in the signaling outbox at once: other messages never wait behind a file. */
const OUTBOX_SHARE = 4;
/** Share of the server's relay byte rate the hub uses. */
const RATE_MARGIN = 0.9;
/** Assumed when the server announces no relay rate (its default). */
const ASSUMED_RELAY_BYTES_PER_SECOND = 16 * 1024 * 1024;
/** What the server charges per recipient on top of the data. */
const ENVELOPE_BYTES = 128;
/** Channels a member may have open toward this client (the data layer closes streams past its own limit). */
const MAX_REMOTE_CHANNELS = 32;
/** The message channel: one per member and direction, never opened or closed on the wire. */
const MESSAGES = 'messages';
/** Frames on a channel the other side opened carry its label with this prefix. */
const BACK = 'back:';

interface Outgoing {
  to: string[];
  ch: string;
  op: RelayOp;
  pieces: RelayPiece[];
  next: number;
  /** What a `messages` frame was made from: the same frame sent to several members goes once. */
  source: unknown;
  charges: [RelayChannel, number][];
  done?: () => void;
}

interface RelayPeer {
  id: string;
  messages: RelayChannel;
  /** Channels this client opened toward the member, by label. */
  mine: Map<string, RelayChannel>;
  /** Channels the member opened, by label. */
  theirs: Map<string, RelayChannel>;
  listeners: Set<(channel: DataChannelLike) => void>;
  pieces: PieceAssembler;
}

/**
 * The data layer's channels in an SFU room, carried by the server (`relay` frames over the signaling socket). One hub
 * per room: it hands frames to the outbox a few at a time and within the server's byte rate, sends a frame meant for
 * several members once, splits large frames into pieces and joins them on arrival.
 */
export class RelayHub {
  readonly #host: RelayHost;
  readonly #peers = new Map<string, RelayPeer>();
  #queue: Outgoing[] = [];
  #tokens: number;
  #tokensAt = Date.now();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #pumpDue = false;
  readonly #offSent: () => void;
  #closed = false;

  constructor(host: RelayHost) {
    this.#host = host;
    this.#tokens = this.#rate();
    this.#offSent = host.onSent(() => this.#pump());
  }

  /** The channels toward a member (replacing any it had). */
  addPeer(peerId: string): PeerChannels {
    this.removePeer(peerId);
    const sink = this.#sinkFor(peerId);
    const peer: RelayPeer = {
      id: peerId,
      messages: new RelayChannel(MESSAGES, MESSAGES, sink, 'open'),
      mine: new Map(),
      theirs: new Map(),
      listeners: new Set(),
      pieces: new PieceAssembler(Math.ceil((MAX_MESSAGE_BYTES * 4) / 3) + 1024),
    };
    this.#peers.set(peerId, peer);
    return {
      messages: peer.messages,
      open: (label) => {
        const channel = new RelayChannel(label, label, sink, 'connecting');
        peer.mine.get(label)?.closed();
        peer.mine.set(label, channel);
        this.#enqueue(peerId, label, 'open', [], null, []);
        return channel;
      },
      onChannel: (listener) => {
        peer.listeners.add(listener);
        return () => peer.listeners.delete(listener);
      },
    };
  }

  /** The member left: its channels close, frames for it are dropped. */
  removePeer(peerId: string): void {
    const peer = this.#peers.get(peerId);
    if (peer === undefined) {
      return;
    }
    this.#peers.delete(peerId);
    for (const channel of [peer.messages, ...peer.mine.values(), ...peer.theirs.values()]) {
      channel.closed();
    }
    peer.listeners.clear();
  }

  /** A relayed frame from a member. Frames from strangers, for unknown channels, or malformed are dropped. */
  receive(message: ServerMessageOf<'relay'>): void {
    const peer = this.#peers.get(message.from);
    if (peer === undefined || this.#closed) {
      return;
    }
    const { ch, op } = message;
    if (op === 'open') {
      return this.#remoteOpened(peer, ch);
    }
    const channel =
      ch === MESSAGES ? peer.messages : ch.startsWith(BACK) ? peer.mine.get(ch.slice(BACK.length)) : peer.theirs.get(ch);
    if (channel === undefined) {
      return;
    }
    if (op === 'close') {
      peer.pieces.forget(ch);
      if (channel !== peer.messages) {
        (ch.startsWith(BACK) ? peer.mine : peer.theirs).delete(channel.label);
        channel.closed();
      }
      return;
    }
    const frame = peer.pieces.add(ch, { data: message.data ?? '', bin: message.bin === true, more: message.more === true });
    if (frame !== undefined && frame !== null) {
      channel.deliver(frame);
    }
  }

  /** Closes every channel and stops sending. Idempotent. */
  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    this.#offSent();
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    for (const peerId of [...this.#peers.keys()]) {
      this.removePeer(peerId);
    }
    this.#queue = [];
  }

  #sinkFor(peerId: string): RelayChannelSink {
    return {
      send: (channel, data, size, source) =>
        this.#enqueue(peerId, channel.wireName, 'data', toPieces(data), source, [[channel, size]]),
      close: (channel) => {
        const peer = this.#peers.get(peerId);
        if (channel.label === MESSAGES || peer === undefined) {
          return channel.closed();
        }
        this.#enqueue(peerId, channel.wireName, 'close', [], null, [], () => {
          (channel.wireName === channel.label ? peer.mine : peer.theirs).delete(channel.label);
          channel.closed();
        });
      },
    };
  }

  #remoteOpened(peer: RelayPeer, ch: string): void {
    if (ch === MESSAGES || ch.startsWith(BACK) || peer.theirs.has(ch) || peer.theirs.size >= MAX_REMOTE_CHANNELS) {
      return;
    }
    const channel = new RelayChannel(ch, `${BACK}${ch}`, this.#sinkFor(peer.id), 'open');
    peer.theirs.set(ch, channel);
    for (const listener of [...peer.listeners]) {
      listener(channel);
    }
  }

  #enqueue(
    peerId: string,
    ch: string,
    op: RelayOp,
    pieces: RelayPiece[],
    source: unknown,
    charges: [RelayChannel, number][],
    done?: () => void,
  ): void {
    if (this.#closed) {
      return;
    }
    const last = this.#queue[this.#queue.length - 1];
    if (
      ch === MESSAGES &&
      last !== undefined &&
      last.ch === MESSAGES &&
      last.next === 0 &&
      source !== null &&
      last.source === source &&
      !last.to.includes(peerId)
    ) {
      last.to.push(peerId);
      last.charges.push(...charges);
    } else {
      this.#queue.push({ to: [peerId], ch, op, pieces, next: 0, source, charges, ...(done === undefined ? {} : { done }) });
    }
    // After the current task's sends: a message to the whole room is sent to each member in a row, and goes once.
    if (!this.#pumpDue) {
      this.#pumpDue = true;
      queueMicrotask(() => {
        this.#pumpDue = false;
        this.#pump();
      });
    }
  }

  #pump(): void {
    while (!this.#closed && this.#timer === null && this.#queue.length > 0 && this.#host.queuedFrames() < OUTBOX_SHARE) {
      const entry = this.#queue[0] as Outgoing;
      const to = entry.to.filter((id) => this.#peers.has(id));
      const piece = entry.pieces[entry.next];
      if (to.length > 0 && !this.#take(((piece?.data.length ?? 0) + ENVELOPE_BYTES) * to.length)) {
        return;
      }
      if (to.length > 0) {
        this.#sendFrames(entry, to, piece);
      }
      entry.next += 1;
      if (to.length === 0 || entry.next >= entry.pieces.length) {
        this.#queue.shift();
        for (const [channel, size] of entry.charges) {
          channel.drained(size);
        }
        entry.done?.();
      }
    }
  }

  #sendFrames(entry: Outgoing, to: string[], piece: RelayPiece | undefined): void {
    const body = {
      type: 'relay' as const,
      ch: entry.ch,
      op: entry.op,
      ...(piece === undefined ? {} : { data: piece.data }),
      ...(piece?.bin === true ? { bin: true as const } : {}),
      ...(piece?.more === true ? { more: true as const } : {}),
    };
    if (to.length === this.#peers.size && to.length > 1) {
      return this.#host.send(body); // everyone: the server fans out
    }
    for (let at = 0; at < to.length; at += MAX_RELAY_RECIPIENTS) {
      this.#host.send({ ...body, to: to.slice(at, at + MAX_RELAY_RECIPIENTS) });
    }
  }

  #rate(): number {
    return (this.#host.relayBytesPerSecond() ?? ASSUMED_RELAY_BYTES_PER_SECOND) * RATE_MARGIN;
  }

  /** Takes `bytes` from the byte bucket (a full bucket pays for anything); otherwise waits for the refill. */
  #take(bytes: number): boolean {
    const rate = this.#rate();
    const now = Date.now();
    this.#tokens = Math.min(rate, this.#tokens + (Math.max(0, now - this.#tokensAt) * rate) / 1000);
    this.#tokensAt = now;
    if (this.#tokens >= Math.min(bytes, rate)) {
      this.#tokens -= bytes;
      return true;
    }
    const waitMs = Math.max(1, Math.ceil(((Math.min(bytes, rate) - this.#tokens) * 1000) / rate));
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#pump();
    }, waitMs);
    return false;
  }
}
