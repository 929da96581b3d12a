import type { Clock, Logger } from '@rendezvous/common';
import { Contacts } from './contacts.js';
import type { RelayedMessage, ServerMessage } from './messages.js';
import type { PeerjsLimits } from './options.js';
import { RawMessage, SplicedMessage } from './raw-message.js';

/** One connected peer, as the realm sees it: where to send, and when it was last heard. */
export interface Peer {
  readonly id: string;
  readonly token: string;
  /** A SplicedMessage is a relayed OFFER or ANSWER already made into its text. */
  send(message: ServerMessage | SplicedMessage): void;
  close(): void;
  lastSeen: number;
  /**
   * A peer whose socket the realm watches (a peerjs client): closed when silent for alive_timeout. An SDK
   * session is watched by its own heartbeat instead.
   */
  readonly watched: boolean;
  /**
   * Whether the id stays reserved for this token until its LEAVE goes out (an SDK peer, which keeps its token
   * across a reload). A peerjs client makes a new token on every load, so its id is free at once, as in PeerServer.
   */
  readonly reserves: boolean;
}

/** A peer gone from the realm whose LEAVE has not gone out yet. */
interface Departure {
  readonly due: number;
  readonly token: string;
  readonly reserves: boolean;
}

interface Queued {
  readonly message: ServerMessage | SplicedMessage;
  readonly at: number;
  readonly bytes: number;
}

/** Connected peers by id, and messages waiting for peers not connected yet. */
export class Realm {
  private readonly peers = new Map<string, Peer>();
  private readonly queues = new Map<string, Queued[]>();
  /** What is held in `queues`: bytes in all, and messages per sender (so one sender cannot fill it). */
  private queuedBytes = 0;
  private readonly queuedBySender = new Map<string, number>();
  private readonly contacts = new Contacts();
  private readonly departures = new Map<string, Departure>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: PeerjsLimits,
    private readonly log: Logger,
  ) {}

  get size(): number {
    return this.peers.size;
  }

  ids(): string[] {
    return [...this.peers.keys()];
  }

  get(id: string): Peer | undefined {
    return this.peers.get(id);
  }

  /** The token an id is reserved for, while a departed SDK peer may still come back to it. */
  reservedFor(id: string): string | undefined {
    const departure = this.departures.get(id);
    return departure?.reserves === true ? departure.token : undefined;
  }

  /** Adds `peer` (which cancels a pending LEAVE for its id) and delivers what was queued for it. */
  add(peer: Peer): void {
    this.peers.set(peer.id, peer);
    this.departures.delete(peer.id);
    const queued = this.queues.get(peer.id) ?? [];
    this.queues.delete(peer.id);
    for (const entry of queued) {
      this.#release(entry);
      peer.send(entry.message);
    }
  }

  /**
   * Removes `peer` if it is still the one registered under its id. Unless the id comes back within
   * leave_timeout, the peers it talked to then get LEAVE.
   */
  remove(peer: Peer): void {
    if (this.peers.get(peer.id) !== peer) {
      return;
    }
    this.peers.delete(peer.id);
    const due = this.clock.now() + this.limits.leave_timeout;
    this.departures.set(peer.id, { due, token: peer.token, reserves: peer.reserves });
  }

  /** Sends the LEAVEs that are due. */
  leaveDue(): void {
    const now = this.clock.now();
    for (const [id, departure] of this.departures) {
      if (departure.due <= now) {
        this.departures.delete(id);
        this.#sendLeave(id);
      }
    }
  }

  #sendLeave(id: string): void {
    for (const contact of this.contacts.take(id)) {
      this.peers.get(contact)?.send({ type: 'LEAVE', src: id, dst: contact });
    }
  }

  /** Relays `message` from `src`: to `dst` now, or queued until `dst` connects (LEAVE and EXPIRE are not queued). */
  relay(src: Peer, message: RelayedMessage | RawMessage): void {
    const out =
      message instanceof RawMessage
        ? new SplicedMessage(src.id, message)
        : { type: message.type, src: src.id, dst: message.dst, payload: message.payload };
    if (message.type !== 'LEAVE' && message.type !== 'EXPIRE') {
      this.contacts.link(src.id, message.dst);
    }
    const dst = this.peers.get(message.dst);
    if (dst !== undefined) {
      dst.send(out);
      return;
    }
    if (message.type === 'LEAVE' || message.type === 'EXPIRE') {
      return;
    }
    const queue = this.queues.get(message.dst) ?? [];
    const bytes = out instanceof SplicedMessage ? out.text.length : JSON.stringify(out).length;
    const full =
      queue.length >= this.limits.max_queued_per_peer ||
      (this.queuedBySender.get(src.id) ?? 0) >= this.limits.max_queued_per_sender ||
      this.queuedBytes + bytes > this.limits.max_queued_bytes;
    if (full) {
      this.log.debug({ dst: message.dst, src: src.id }, 'peerjs queue full: message expired at once');
      src.send({ type: 'EXPIRE', src: message.dst, dst: src.id });
      return;
    }
    queue.push({ message: out, at: this.clock.now(), bytes });
    this.queues.set(message.dst, queue);
    this.queuedBytes += bytes;
    this.queuedBySender.set(src.id, (this.queuedBySender.get(src.id) ?? 0) + 1);
  }

  /** Bytes held for peers not yet connected (for tests and metrics). */
  get heldBytes(): number {
    return this.queuedBytes;
  }

  #release(entry: Queued): void {
    this.queuedBytes -= entry.bytes;
    const src = entry.message.src;
    if (src !== undefined) {
      const left = (this.queuedBySender.get(src) ?? 1) - 1;
      if (left <= 0) {
        this.queuedBySender.delete(src);
      } else {
        this.queuedBySender.set(src, left);
      }
    }
  }

  /** Drops queued messages older than expire_timeout and tells each sender with EXPIRE. */
  expire(): void {
    const cutoff = this.clock.now() - this.limits.expire_timeout;
    for (const [dst, queue] of this.queues) {
      const keep = queue.filter((entry) => entry.at > cutoff);
      const told = new Set<string>();
      for (const entry of queue) {
        if (entry.at <= cutoff) {
          this.#release(entry);
        }
        const src = entry.message.src;
        if (entry.at <= cutoff && src !== undefined && !told.has(src)) {
          told.add(src);
          this.peers.get(src)?.send({ type: 'EXPIRE', src: dst, dst: src });
        }
      }
      if (keep.length === 0) {
        this.queues.delete(dst);
      } else {
        this.queues.set(dst, keep);
      }
    }
  }

  /** Closes every peer silent for alive_timeout or longer. */
  closeSilent(): void {
    const cutoff = this.clock.now() - this.limits.alive_timeout;
    for (const peer of [...this.peers.values()]) {
      if (peer.watched && peer.lastSeen <= cutoff) {
        this.log.debug({ id: peer.id }, 'peerjs peer silent: closed');
        this.remove(peer);
        peer.close();
      }
    }
  }

  clear(): void {
    for (const peer of this.peers.values()) {
      peer.close();
    }
    this.peers.clear();
    this.departures.clear();
    this.contacts.clear();
    this.queues.clear();
    this.queuedBytes = 0;
    this.queuedBySender.clear();
  }
}
