import type { IncomingMessage } from 'node:http';
import type { Clock, SignalingLimits } from './options.js';
import type { Session } from './session.js';

const MINUTE_MS = 60_000;

/** The socket's remote address, with IPv4-mapped IPv6 ('::ffff:a.b.c.d') written as 'a.b.c.d'. */
export function defaultClientAddress(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped?.[1] ?? address;
}

/**
 * Counts per key in fixed windows of one minute, shared by every key: when the window rolls, every count
 * starts again (so the map never holds more keys than were seen in one minute).
 */
export class MinuteCounter<K> {
  private windowStart: number;
  private counts = new Map<K, number>();

  constructor(
    private readonly limit: number,
    private readonly clock: Clock,
  ) {
    this.windowStart = clock.now();
  }

  /** Counts one event for `key`; false (and not counted) when `key` already had `limit` this minute. */
  take(key: K): boolean {
    const now = this.clock.now();
    if (now - this.windowStart >= MINUTE_MS) {
      this.windowStart = now;
      this.counts = new Map();
    }
    const count = this.counts.get(key) ?? 0;
    if (count >= this.limit) {
      return false;
    }
    this.counts.set(key, count + 1);
    return true;
  }
}

/** What a new session from an address may do: go ahead, go ahead after ending `evict`, or nothing. */
export type SessionSlot = { kind: 'free' } | { kind: 'evict'; evict: Session } | { kind: 'full' };

/** Per-address bookkeeping: open sockets, sessions (attached and detached), joins; and calls per caller. */
export class AddressLimits {
  private readonly connections = new Map<string, number>();
  /** address -> its sessions, oldest first (Set keeps insertion order). */
  private readonly sessions = new Map<string, Set<Session>>();
  private readonly joins: MinuteCounter<string>;
  /** By peer id, not by Session: an ended session is not kept alive until the window rolls. */
  private readonly calls: MinuteCounter<string>;

  constructor(
    private readonly limits: SignalingLimits,
    clock: Clock,
  ) {
    this.joins = new MinuteCounter(limits.joinsPerAddressPerMinute, clock);
    this.calls = new MinuteCounter(limits.callsPerCallerPerMinute, clock);
  }

  /** Counts a new socket from `address`; false (not counted) when the address is at its limit. */
  openConnection(address: string): boolean {
    const open = this.connections.get(address) ?? 0;
    if (open >= this.limits.maxConnectionsPerAddress) {
      return false;
    }
    this.connections.set(address, open + 1);
    return true;
  }

  closeConnection(address: string): void {
    const open = (this.connections.get(address) ?? 0) - 1;
    if (open > 0) {
      this.connections.set(address, open);
    } else {
      this.connections.delete(address);
    }
  }

  /** Whether `address` may start a session now, and which of its detached sessions must end first. */
  sessionSlot(address: string): SessionSlot {
    const own = this.sessions.get(address);
    if (own === undefined || own.size < this.limits.maxSessionsPerAddress) {
      return { kind: 'free' };
    }
    for (const session of own) {
      if (session.detached) {
        return { kind: 'evict', evict: session };
      }
    }
    return { kind: 'full' };
  }

  addSession(session: Session): void {
    let own = this.sessions.get(session.address);
    if (own === undefined) {
      own = new Set();
      this.sessions.set(session.address, own);
    }
    own.add(session);
  }

  removeSession(session: Session): void {
    const own = this.sessions.get(session.address);
    if (own === undefined) {
      return;
    }
    own.delete(session);
    if (own.size === 0) {
      this.sessions.delete(session.address);
    }
  }

  /** Counts a `join` from `address`; false when the address used its joins for this minute. */
  allowJoin(address: string): boolean {
    return this.joins.take(address);
  }

  /** Counts a `call` by `caller`; false when it placed its calls for this minute. */
  allowCall(caller: Session): boolean {
    return this.calls.take(caller.peerId);
  }

  /** Addresses with an open socket or a session (each is forgotten when its last one goes). */
  get trackedAddresses(): number {
    return new Set([...this.connections.keys(), ...this.sessions.keys()]).size;
  }

  clear(): void {
    this.connections.clear();
    this.sessions.clear();
  }
}
