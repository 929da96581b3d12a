import { DEFAULT_MEDIA_STATE, type MediaState, type PeerInfo, type ServerMessage } from '@rendezvous/protocol';
import type { Call } from './calls.js';
import type { Connection } from './connection.js';
import type { DetachedQueue, Sender } from './detached-queue.js';
import type { QueueRefusal } from './memory-budget.js';
import type { Logger } from './options.js';
import type { Room } from './rooms.js';

/** What a session is created with. */
export interface SessionInit {
  peerId: string;
  displayName: string;
  userId: string | undefined;
  resumeToken: string;
  /** The client address that started it (the key of maxSessionsPerAddress). */
  address: string;
  log: Logger;
  /** Holds messages while the session is detached. */
  queue: DetachedQueue;
}

/**
 * One signaling session: a peer id with its room, call and media state. It outlives its socket for
 * the resume grace: while `connection` is null (detached), messages for it are queued.
 */
export class Session {
  readonly peerId: string;
  readonly displayName: string;
  readonly userId: string | undefined;
  readonly address: string;
  readonly log: Logger;
  /** Messages sent while detached, delivered after a resume. */
  readonly queue: DetachedQueue;
  resumeToken: string;
  media: MediaState = { ...DEFAULT_MEDIA_STATE };
  connection: Connection | null = null;
  room: Room | null = null;
  call: Call | null = null;
  graceTimer: unknown = null;
  ended = false;

  constructor(init: SessionInit) {
    this.peerId = init.peerId;
    this.displayName = init.displayName;
    this.userId = init.userId;
    this.address = init.address;
    this.log = init.log;
    this.queue = init.queue;
    this.resumeToken = init.resumeToken;
  }

  get detached(): boolean {
    return this.connection === null && !this.ended;
  }

  info(): PeerInfo {
    return { peerId: this.peerId, displayName: this.displayName, media: { ...this.media } };
  }

  /**
   * Sends a server event on the socket, queues it while detached, drops it once ended. A send that cut
   * the socket as a slow consumer detached the session: the event is queued then too.
   */
  send(message: ServerMessage): void {
    if (this.ended || this.connection?.send(message) === true) return;
    if (this.detached) this.queue.offerEvent(message);
  }

  /**
   * Sends a message relayed from the member `from` (queued while detached, as in send()). Null when sent
   * or queued; otherwise the limit that left no room for it in the queue (the sender should be told
   * SERVER_BUSY); the session itself is not affected.
   */
  relay(message: ServerMessage, from: Sender): QueueRefusal | null {
    if (this.ended || this.connection?.send(message) === true) return null;
    return this.detached ? this.queue.offerRelayed(message, from) : null;
  }
}
