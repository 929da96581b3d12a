/**
 * One allocation (RFC 8656 §6): its relayed transport address, permissions (§9), channels (§12) and the two data
 * paths, client → peer and peer → client. The data paths are the hot loop of the server: a permission check is
 * one Map lookup by peer IP, a channel one more by port, and relaying between two allocations of this server
 * skips the kernel (`RelayContext.byRelayPort`), exactly as if the datagram had gone out and come back.
 */
import type { AddressFamily } from '@rendezvous/stun';
import type { LimitHits } from './limit-hits.js';
import type { ClientLink } from './link.js';
import type { RelaySocket } from './network.js';
import type { Clock, TurnLimits } from './options.js';
import { RateBucket } from './rate-bucket.js';
import { encodeDataIndication, type SendScan } from './wire.js';

/** A peer IP address with a permission and/or channels (RFC 8656 §9: permissions ignore the port). */
export interface PeerEntry {
  readonly ip: string;
  /** When the permission expires (ms); 0: no permission (expired, or only channels cooling down). */
  permitUntil: number;
  /** One of this server's relay addresses: data goes to and comes from other allocations in-process only. */
  selfOnly: boolean;
  /** Channels to ports of this IP, by port. */
  channels: Map<number, Channel> | undefined;
}

export interface Channel {
  readonly number: number;
  readonly ip: string;
  readonly port: number;
  readonly entry: PeerEntry;
  /** When the binding expires (ms). */
  expiresAt: number;
  /** False once expired: number and peer stay reserved until `coolUntil` (RFC 8656 §12). */
  bound: boolean;
  coolUntil: number;
}

export interface RelayCounters {
  /** Every datagram and stream frame received from clients, relayed or not. */
  clientMessages: number;
  clientToPeerPackets: number;
  clientToPeerBytes: number;
  peerToClientPackets: number;
  peerToClientBytes: number;
}

/** What allocations share: the index of relay ports (for in-process delivery), counters, limits, the clock. */
export interface RelayContext {
  readonly byRelayPort: Map<number, Allocation>;
  readonly counters: RelayCounters;
  readonly limits: TurnLimits;
  /** Read at most once per relayed datagram, and only when the bandwidth cap is on. */
  readonly clock: Clock;
  readonly hits: LimitHits;
}

export class Allocation {
  /** Relay socket; undefined while the Allocate is still binding it. */
  relay: RelaySocket | undefined;
  /** Advertised relayed address (XOR-RELAYED-ADDRESS). */
  relayIp = '';
  relayPort = 0;
  readonly peers = new Map<string, PeerEntry>();
  readonly channels = new Map<number, Channel>();
  closed = false;
  /** What the Allocate success response said beyond the address, for a retransmitted Allocate. */
  reservationToken: Buffer | undefined;
  refusedAdditionalFamily = false;
  /** Earliest permission/channel deadline: the sweep skips the allocation before it. */
  private nextDeadline = Number.POSITIVE_INFINITY;
  /** Bandwidth caps per direction (`maxRelayBytesPerSecond`); undefined when unlimited. */
  private readonly up: RateBucket | undefined;
  private readonly down: RateBucket | undefined;

  constructor(
    private readonly ctx: RelayContext,
    readonly id: number,
    readonly link: ClientLink,
    readonly username: string,
    readonly userId: string,
    readonly family: AddressFamily,
    /** Transaction id (hex) of the Allocate that created it: a retransmission gets the same answer. */
    readonly transactionId: string,
    public expiresAt: number,
  ) {
    const rate = ctx.limits.maxRelayBytesPerSecond;
    this.up = rate > 0 ? new RateBucket(rate) : undefined;
    this.down = rate > 0 ? new RateBucket(rate) : undefined;
  }

  get pending(): boolean {
    return this.relay === undefined;
  }

  activate(relay: RelaySocket, advertisedIp: string): void {
    this.relay = relay;
    this.relayIp = advertisedIp;
    this.relayPort = relay.port;
  }

  /** Installs or refreshes permissions (RFC 8656 §9). False, installing none, when that would exceed the limit. */
  permit(ips: readonly { ip: string; selfOnly: boolean }[], now: number): boolean {
    let added = 0;
    for (const { ip } of ips) {
      if (!this.peers.has(ip)) {
        added++;
      }
    }
    if (this.peers.size + added > this.ctx.limits.maxPermissionsPerAllocation) {
      return false;
    }
    const until = now + this.ctx.limits.permissionLifetimeSec * 1000;
    for (const { ip, selfOnly } of ips) {
      const entry = this.peers.get(ip);
      if (entry === undefined) {
        this.peers.set(ip, { ip, permitUntil: until, selfOnly, channels: undefined });
      } else {
        entry.permitUntil = until;
      }
    }
    if (until < this.nextDeadline) {
      this.nextDeadline = until;
    }
    return true;
  }

  /**
   * RFC 8656 §12.2: binds or refreshes `number` to `ip:port` and refreshes the permission. Returns 0, or the
   * error: 400 when the number or the peer is bound (or cooling down) to another, 508 past the limits.
   */
  bindChannel(number: number, ip: string, port: number, selfOnly: boolean, now: number): 0 | 400 | 508 {
    const existing = this.channels.get(number);
    if (existing !== undefined && (existing.ip !== ip || existing.port !== port)) {
      if (existing.bound || existing.coolUntil > now) {
        return 400;
      }
      this.dropChannel(existing);
    }
    const byPeer = this.peers.get(ip)?.channels?.get(port);
    if (byPeer !== undefined && byPeer.number !== number) {
      if (byPeer.bound || byPeer.coolUntil > now) {
        return 400;
      }
      this.dropChannel(byPeer);
    }
    let channel = this.channels.get(number);
    if (channel === undefined && this.channels.size >= this.ctx.limits.maxChannelsPerAllocation) {
      return 508;
    }
    if (!this.permit([{ ip, selfOnly }], now)) {
      return 508;
    }
    if (channel === undefined) {
      const entry = this.peers.get(ip)!;
      channel = { number, ip, port, entry, expiresAt: 0, bound: true, coolUntil: 0 };
      this.channels.set(number, channel);
      (entry.channels ??= new Map()).set(port, channel);
    }
    channel.bound = true;
    channel.expiresAt = now + this.ctx.limits.channelLifetimeSec * 1000;
    channel.coolUntil = channel.expiresAt + this.ctx.limits.channelRebindCooldownSec * 1000;
    if (channel.expiresAt < this.nextDeadline) {
      this.nextDeadline = channel.expiresAt;
    }
    return 0;
  }

  /** A ChannelData message from the client (RFC 8656 §12.6): relayed when the channel is bound. */
  fromClientChannel(frame: Buffer): void {
    if (frame.length < 4) {
      return;
    }
    const channel = this.channels.get((frame[0]! << 8) | frame[1]!);
    if (channel === undefined || !channel.bound || channel.entry.permitUntil === 0) {
      return;
    }
    const length = (frame[2]! << 8) | frame[3]!;
    if (length + 4 > frame.length) {
      return;
    }
    this.toPeer(channel.entry, channel.port, frame, 4, length);
  }

  /** A Send indication from the client (RFC 8656 §11.2), already scanned. */
  fromClientSend(msg: Buffer, scan: SendScan): void {
    // The server cannot set DF on a datagram: DONT-FRAGMENT counts as unknown comprehension-required → discard.
    if (scan.dontFragment || (scan.peerFamily === 1) !== (this.family === 'IPv4')) {
      return;
    }
    const entry = this.peers.get(scan.peerAddress);
    if (entry === undefined || entry.permitUntil === 0) {
      return;
    }
    this.toPeer(entry, scan.peerPort, msg, scan.dataOffset, scan.dataLength);
  }

  private toPeer(entry: PeerEntry, port: number, buf: Buffer, offset: number, length: number): void {
    let now = Number.NaN;
    if (this.up !== undefined) {
      now = this.ctx.clock.now();
      if (!this.up.take(length, now)) {
        this.ctx.hits.hit('maxRelayBytesPerSecond', now, this.id);
        return;
      }
    }
    const counters = this.ctx.counters;
    counters.clientToPeerPackets++;
    counters.clientToPeerBytes += length;
    const local = this.ctx.byRelayPort.get(port);
    if (local !== undefined && local.relayIp === entry.ip) {
      // Both ends on this server: hand over in-process. The 4 bytes before `offset` (ChannelData header or DATA
      // attribute header) are ours to overwrite.
      local.fromPeer(this.relayIp, this.relayPort, buf, offset, length, true, now);
      return;
    }
    if (entry.selfOnly || this.relay === undefined) {
      return;
    }
    this.relay.send(buf, offset, length, port, entry.ip);
  }

  /**
   * Data from a peer (RFC 8656 §11.3, §12.7): dropped without a permission for its IP, or past the bandwidth cap;
   * sent as ChannelData when a channel is bound to its address, else as a Data indication. `inProcess`: from
   * another allocation of this server, not from a socket (a datagram from a socket whose source is one of our
   * own relay addresses is dropped); then `buf[offset - 4, offset)` and the padding after the data may be
   * overwritten, so ChannelData goes out without a copy, and `now` is the time the sender read (NaN: not read).
   */
  fromPeer(ip: string, port: number, buf: Buffer, offset: number, length: number, inProcess: boolean, now = Number.NaN): void {
    const entry = this.peers.get(ip);
    if (entry === undefined || entry.permitUntil === 0 || this.closed || (entry.selfOnly && !inProcess)) {
      return;
    }
    if (this.down !== undefined) {
      if (Number.isNaN(now)) {
        now = this.ctx.clock.now();
      }
      if (!this.down.take(length, now)) {
        this.ctx.hits.hit('maxRelayBytesPerSecond', now, this.id);
        return;
      }
    }
    const reusable = inProcess;
    const counters = this.ctx.counters;
    counters.peerToClientPackets++;
    counters.peerToClientBytes += length;
    const channel = entry.channels === undefined ? undefined : entry.channels.get(port);
    if (channel === undefined || !channel.bound) {
      const indication = encodeDataIndication(ip, port, buf, offset, length);
      if (indication !== undefined) {
        this.link.send(indication);
      }
      return;
    }
    const padded = this.link.stream ? (length + 3) & ~3 : length;
    let out: Buffer;
    if (reusable && offset >= 4 && offset + padded <= buf.length) {
      out = buf.subarray(offset - 4, offset + padded);
      if (padded !== length) {
        buf.fill(0, offset + length, offset + padded);
      }
    } else {
      out = Buffer.allocUnsafe(4 + padded);
      buf.copy(out, 4, offset, offset + length);
      if (padded !== length) {
        out.fill(0, 4 + length);
      }
    }
    out[0] = channel.number >>> 8;
    out[1] = channel.number & 0xff;
    out[2] = length >>> 8;
    out[3] = length & 0xff;
    this.link.send(out);
  }

  /** Expires permissions and channels due at `now`; true when the allocation itself has expired. */
  sweep(now: number): boolean {
    if (now >= this.expiresAt) {
      return true;
    }
    if (now < this.nextDeadline) {
      return false;
    }
    let next = Number.POSITIVE_INFINITY;
    for (const channel of this.channels.values()) {
      if (channel.bound && channel.expiresAt <= now) {
        channel.bound = false;
      }
      if (channel.bound) {
        next = Math.min(next, channel.expiresAt);
      } else if (channel.coolUntil <= now) {
        this.dropChannel(channel);
      } else {
        next = Math.min(next, channel.coolUntil);
      }
    }
    for (const entry of this.peers.values()) {
      if (entry.permitUntil !== 0 && entry.permitUntil <= now) {
        entry.permitUntil = 0;
      }
      if (entry.permitUntil !== 0) {
        next = Math.min(next, entry.permitUntil);
      } else if (entry.channels === undefined || entry.channels.size === 0) {
        this.peers.delete(entry.ip);
      }
    }
    this.nextDeadline = next;
    return false;
  }

  /** Permissions in force. */
  get permissionCount(): number {
    let count = 0;
    for (const entry of this.peers.values()) {
      if (entry.permitUntil !== 0) {
        count++;
      }
    }
    return count;
  }

  /** Channels bound (not cooling down). */
  get channelCount(): number {
    let count = 0;
    for (const channel of this.channels.values()) {
      if (channel.bound) {
        count++;
      }
    }
    return count;
  }

  private dropChannel(channel: Channel): void {
    this.channels.delete(channel.number);
    channel.entry.channels?.delete(channel.port);
    if (channel.entry.permitUntil === 0 && channel.entry.channels?.size === 0) {
      this.peers.delete(channel.ip);
    }
  }
}
