import { DEFAULT_MEDIA_STATE, type MediaState, type PeerInfo, type ServerMessage } from '@rendezvous/protocol';
import type { Call } from './call.js';
import type { Connection } from './connection.js';
import { DetachedQueue, type QueueLimits, type Sender } from './detached-queue.js';
import { LazyChildLogger } from './lazy-logger.js';
import { SerializedMessage } from './serialized-message.js';
import type { MemoryBudget, QueueRefusal } from './memory-budget.js';
import type { Clock, DirectoryMember, Logger } from './options.js';
import type { Room } from './rooms.js';
import { fullCount, takeTokens, Timer, type TokenCount, type TokenRate } from '@rendezvous/common';

/** Every session starts with this media state (shared, never changed: a new state replaces it). */
const INITIAL_MEDIA: MediaState = Object.freeze({ ...DEFAULT_MEDIA_STATE });

/** What a session is created with. */
export interface SessionInit {
  peerId: string;
  displayName: string;
  userId: string | undefined;
  resumeToken: string;
  /** The client address that started it (the key of maxSessionsPerAddress). */
  address: string;
  deps: SessionDeps;
}

/** What every session of a server shares (one object per server, not per session). */
export interface SessionDeps {
  /** The server's logger: a session binds its peer id to it when it first logs. */
  log: Logger;
  /** Bounds of the queue that holds messages while a session is detached (made when first needed). */
  queueLimits: QueueLimits;
  /** The memory budget the queues are charged to. */
  budget: MemoryBudget;
  /** Runs the resume-grace timers. */
  clock: Clock;
}

/**
 * One signaling session: a peer id with its room, call and media state. It outlives its socket for
 * the resume grace: while `connection` is null (detached), messages for it are queued.
 *
 * It owns its links: to its socket (attach/detachConnection, which set both ends), to its room
 * (enterRoom/leaveRoom, called only by membership.ts) and to its call (set and cleared by `Call`), and
 * its resume-grace timer. dispose() ends it for good and is idempotent. Its logger, queue and grace timer
 * are made when first needed: an idle session holds none of them.
 */
export class Session {
  readonly peerId: string;
  readonly displayName: string;
  readonly userId: string | undefined;
  readonly address: string;
  resumeToken: string;
  /** Replaced, never changed in place. */
  media: MediaState = INITIAL_MEDIA;
  private conn: Connection | null = null;
  private currentRoom: Room | null = null;
  private currentCall: Call | null = null;
  private grace: Timer | null = null;
  private disposed = false;
  private directoryMember: DirectoryMember | null = null;
  private logger: Logger | undefined;
  private detachedQueue: DetachedQueue | undefined;
  private relayBudget: TokenCount | undefined;
  private readonly deps: SessionDeps;

  constructor(init: SessionInit) {
    this.peerId = init.peerId;
    this.displayName = init.displayName;
    this.userId = init.userId;
    this.address = init.address;
    this.resumeToken = init.resumeToken;
    this.deps = init.deps;
  }

  /** This session's logger (`peerId` bound). */
  get log(): Logger {
    return (this.logger ??= new LazyChildLogger(this.deps.log, { peerId: this.peerId }));
  }

  /** Messages sent while detached, delivered after a resume. */
  get queue(): DetachedQueue {
    return (this.detachedQueue ??= new DetachedQueue(this.deps.queueLimits, this.deps.budget, this.address));
  }

  /** Empties the detached queue, returning its messages in order. */
  takeQueued(): ServerMessage[] {
    return this.detachedQueue?.take() ?? [];
  }

  /** The socket it is attached to; null while detached and once ended. */
  get connection(): Connection | null {
    return this.conn;
  }

  get room(): Room | null {
    return this.currentRoom;
  }

  get call(): Call | null {
    return this.currentCall;
  }

  /** Ended for good: messages to it are dropped. */
  get ended(): boolean {
    return this.disposed;
  }

  /** The resume grace is running. */
  get graceRunning(): boolean {
    return this.grace?.active ?? false;
  }

  /**
   * Binds this session to `conn` (both ends) and stops the resume grace. Returns the socket it was
   * attached to before, now unbound, if that was another one (the caller cuts it).
   */
  attach(conn: Connection): Connection | null {
    this.grace?.stop();
    const old = this.detachConnection();
    this.conn = conn;
    conn.bindSession(this);
    return old === conn ? null : old;
  }

  /** Unbinds the socket (both ends), if any, and returns it. */
  detachConnection(): Connection | null {
    const old = this.conn;
    this.conn = null;
    old?.unbindSession(this);
    return old;
  }

  /** Waits `ms` for a resume, then runs `onExpire`. attach() and dispose() stop the wait. */
  startGrace(ms: number, onExpire: () => void): void {
    if (!this.disposed) {
      (this.grace ??= new Timer(this.deps.clock)).start(ms, onExpire);
    }
  }

  /** Room bookkeeping only; membership.ts sends what goes with it. */
  enterRoom(room: Room): void {
    room.add(this);
    this.currentRoom = room;
  }

  /** Room bookkeeping only (see exitRoom in membership.ts, the one way out of a room). */
  leaveRoom(): Room | null {
    const room = this.currentRoom;
    this.currentRoom = null;
    room?.remove(this.peerId);
    return room;
  }

  /** Called by `Call` only. */
  linkCall(call: Call): void {
    this.currentCall = call;
  }

  /** Called by `Call` only. */
  unlinkCall(call: Call): void {
    if (this.currentCall === call) {
      this.currentCall = null;
    }
  }

  /**
   * Ends the session's own state: from here on messages to it are dropped; its grace timer, socket link and
   * queue go. Its room and call are left to the caller, which must tell the others (see endSession). Idempotent.
   */
  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.grace?.stop();
    this.detachConnection();
    this.detachedQueue?.clear();
    this.directoryMember?.release();
    this.directoryMember = null;
  }

  /** The peer directory id this session holds (`peer-open`), if any. */
  get directory(): DirectoryMember | null {
    return this.directoryMember;
  }

  /** Takes ownership of a directory id; released when the session ends. */
  holdDirectory(member: DirectoryMember): void {
    if (this.disposed) {
      member.release();
      return;
    }
    this.directoryMember = member;
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
    if (this.ended || this.connection?.send(message) === true) {
      return;
    }
    if (this.detached) {
      this.queue.offerEvent(message);
    }
  }

  /**
   * Sends a message relayed from the member `from` (queued while detached, as in send()). Null when sent
   * or queued; otherwise the limit that left no room for it in the queue (the sender should be told
   * SERVER_BUSY); the session itself is not affected.
   */
  relay(message: ServerMessage | SerializedMessage, from: Sender): QueueRefusal | null {
    if (this.ended || this.connection?.send(message) === true) {
      return null;
    }
    if (!this.detached) {
      return null;
    }
    return this.queue.offerRelayed(message instanceof SerializedMessage ? message.message() : message, from);
  }

  /** Takes `bytes` from this session's relay budget (made full on first use). False, taking nothing, past it. */
  takeRelayBytes(rate: TokenRate, bytes: number): boolean {
    return takeTokens(rate, (this.relayBudget ??= fullCount(rate)), bytes);
  }
}
