import type { ServerMessage } from '@rendezvous/protocol';
import type { MemoryBudget, QueueRefusal } from './memory-budget.js';

interface Entry {
  message: ServerMessage;
  bytes: number;
  /** Peer id of the member whose message this relays; null for server events. */
  from: string | null;
  /** The address its bytes are charged to in the budget: the sender's, or the detached session's own. */
  charged: string;
}

/** The peer whose message is queued, with the address its bytes are charged to. */
export interface Sender {
  peerId: string;
  address: string;
}

/**
 * Membership events: a resume's `welcome.room` snapshot says all they say, so they may be dropped. (A member's
 * `room-event` is not one of them: it is relayed, like a signal.)
 */
const MEMBERSHIP_EVENTS: ReadonlySet<ServerMessage['type']> = new Set(['peer-joined', 'peer-left', 'peer-updated']);

export interface QueueLimits {
  maxCount: number;
  maxBytes: number;
}

/**
 * Messages for a detached session, delivered after a resume. Bounded in count and bytes, with at most
 * half of either for one sender, and accounted in the server's memory budget: relayed messages are
 * charged to their sender's address, server events to the address of `owner`. A full queue never ends
 * the session: a relayed message that does not fit is refused (the sender gets SERVER_BUSY); membership events
 * are collapsed into the resume's room snapshot; calls that rang and ended while away are forgotten.
 */
export class DetachedQueue {
  private entries: Entry[] = [];
  private bytes = 0;
  private readonly perSender = new Map<string, { count: number; bytes: number }>();
  /** Membership events were dropped once; later ones are dropped too, so the snapshot alone tells the story. */
  private membershipCollapsed = false;

  constructor(
    private readonly limits: QueueLimits,
    private readonly budget: MemoryBudget,
    /** The address of the session this queue belongs to. */
    private readonly owner: string,
  ) {}

  get length(): number {
    return this.entries.length;
  }

  get queuedBytes(): number {
    return this.bytes;
  }

  /** Queues a message relayed from `from`. Null when queued; otherwise the limit that refused it. */
  offerRelayed(message: ServerMessage, from: Sender): QueueRefusal | null {
    const bytes = sizeOf(message);
    const share = this.perSender.get(from.peerId) ?? { count: 0, bytes: 0 };
    const maxShareCount = Math.max(1, Math.floor(this.limits.maxCount / 2));
    const maxShareBytes = Math.floor(this.limits.maxBytes / 2);
    if (!this.fits(bytes)) {
      this.compact();
    } // membership events may make way for what only the sender can resend
    if (!this.fits(bytes) || share.count + 1 > maxShareCount || share.bytes + bytes > maxShareBytes) {
      return 'maxQueuedWhileDetached';
    }
    const refused = this.budget.reserveQueued(bytes, from.address);
    if (refused !== null) {
      return refused;
    }
    this.perSender.set(from.peerId, { count: share.count + 1, bytes: share.bytes + bytes });
    this.push({ message, bytes, from: from.peerId, charged: from.address });
    return null;
  }

  /**
   * Queues a server event. When it does not fit, membership events are collapsed and finished calls dropped;
   * what stays is bounded by the one call a session can be in, so it is then queued regardless.
   */
  offerEvent(message: ServerMessage): void {
    const isMembershipEvent = MEMBERSHIP_EVENTS.has(message.type);
    if (isMembershipEvent && this.membershipCollapsed) {
      return;
    }
    const bytes = sizeOf(message);
    if (!this.fits(bytes)) {
      this.compact();
      if (isMembershipEvent) {
        return;
      }
    }
    this.budget.reserveQueued(bytes, this.owner, true);
    this.push({ message, bytes, from: null, charged: this.owner });
  }

  /** Empties the queue, returning its messages in order. */
  take(): ServerMessage[] {
    const messages = this.entries.map((entry) => entry.message);
    this.clear();
    return messages;
  }

  /** Empties the queue (the session resumed or ended). Membership events may be queued again afterwards. */
  clear(): void {
    for (const entry of this.entries) {
      this.budget.releaseQueued(entry.bytes, entry.charged);
    }
    this.entries = [];
    this.bytes = 0;
    this.perSender.clear();
    this.membershipCollapsed = false;
  }

  private fits(bytes: number): boolean {
    return this.entries.length + 1 <= this.limits.maxCount && this.bytes + bytes <= this.limits.maxBytes;
  }

  private push(entry: Entry): void {
    this.entries.push(entry);
    this.bytes += entry.bytes;
  }

  /** Drops every membership event (for good, until the queue is emptied) and every call that began and ended here. */
  private compact(): void {
    this.membershipCollapsed = true;
    const rang = new Set<string>();
    const ended = new Set<string>();
    for (const { message } of this.entries) {
      if (message.type === 'incoming-call') {
        rang.add(message.callId);
      }
      if (message.type === 'call-ended') {
        ended.add(message.callId);
      }
    }
    const forgotten = new Set([...rang].filter((id) => ended.has(id)));
    const kept: Entry[] = [];
    for (const entry of this.entries) {
      const { message } = entry;
      const drop = MEMBERSHIP_EVENTS.has(message.type) || ('callId' in message && forgotten.has(message.callId));
      if (!drop) {
        kept.push(entry);
      } else {
        this.forget(entry);
      }
    }
    this.entries = kept;
  }

  private forget(entry: Entry): void {
    this.bytes -= entry.bytes;
    this.budget.releaseQueued(entry.bytes, entry.charged);
    if (entry.from === null) {
      return;
    }
    const share = this.perSender.get(entry.from);
    if (share !== undefined) {
      this.perSender.set(entry.from, { count: share.count - 1, bytes: share.bytes - entry.bytes });
    }
  }
}

function sizeOf(message: ServerMessage): number {
  return Buffer.byteLength(JSON.stringify(message));
}
