// One subscriber's view of one forwarded track: the SFU rewrites SSRC, payload type, sequence number and timestamp
// so the subscriber sees a single continuous RTP stream (RFC 3550 §5.1, §8.2 on SSRC changes; RFC 7667 §3.7 on
// media-switching mixers) even when the source behind it changes.
import { keepExtension } from './header-extension.js';
import { rtpHeaderLength, rtpSequence, rtpSsrc, rtpTimestamp } from './rtp-header.js';

export interface StreamRewriterOptions {
  /** SSRC the subscriber was told about in its SDP. */
  ssrc: number;
  /** Payload type negotiated with the subscriber for this codec. */
  payloadType: number;
  /** Drop the header extension block (ids negotiated with the publisher mean nothing to the subscriber). */
  stripExtensions?: boolean;
  /**
   * With `stripExtensions`: the id the subscriber negotiated for the one extension kept (the audio level, RFC 6464);
   * `rewrite` says which id the source sends it under. 0: keep none.
   */
  keptExtensionId?: number;
  /** After a switch, packets from the previous source arriving this long after are dropped, not switched back to. */
  switchGraceMs?: number;
  /**
   * Write each output packet into one buffer shared by every rewriter of the process instead of a new one: what
   * `rewrite` and `again` return is then valid only until the next call (the SFU hands it to libdatachannel, which
   * copies it, at once). Forwarding then allocates nothing per copy, which spares the GC most of its work.
   */
  reuseOutput?: boolean;
  /** Output sequence number and timestamp to start from (random per RFC 3550 §5.1 when omitted). */
  initialSequence?: number;
  initialTimestamp?: number;
}

export interface RewriterStats {
  packets: number;
  /** Whole RTP packets as sent. */
  bytes: number;
  /** Payload octets (no header, no padding): the SR octet count of RFC 3550 §6.4.1. */
  payloadBytes: number;
}

export interface LastOutput {
  seq: number;
  timestamp: number;
  atMs: number;
}

const DEFAULT_SWITCH_GRACE_MS = 1000;
/** The shared output buffer of `reuseOutput` rewriters: as large as an RTP packet in a UDP datagram can be. */
const SHARED_OUTPUT = Buffer.allocUnsafeSlow(0x10000);
/** A sequence number further than this from the highest (RFC 3550 A.1 MAX_DROPOUT) is a restart, not loss. */
const MAX_JUMP = 3000;

export class StreamRewriter {
  readonly ssrc: number;
  /** Payload type written into each packet; the owner changes it when the source's codec maps to another one. */
  payloadType: number;
  readonly stats: RewriterStats = { packets: 0, bytes: 0, payloadBytes: 0 };
  /** The newest packet sent (highest output sequence number), for sender reports; null before the first. */
  lastOutput: LastOutput | null = null;

  private readonly stripExtensions: boolean;
  private readonly keptExtensionId: number;
  private readonly switchGraceMs: number;
  private readonly reuseOutput: boolean;
  private sourceSsrc = -1;
  private previousSsrc = -1;
  private switchedAtMs = 0;
  private seqOffset = 0;
  private tsOffset = 0;
  /** Extended (cycle-counting) sequence numbers of the current source: first forwarded and highest seen. */
  private baseExtSeq = 0;
  private highestExtSeq = 0;
  private nextSeq: number;
  private readonly initialTimestamp: number;

  constructor(options: StreamRewriterOptions) {
    this.ssrc = options.ssrc >>> 0;
    this.payloadType = options.payloadType & 0x7f;
    this.stripExtensions = options.stripExtensions ?? false;
    this.keptExtensionId = options.keptExtensionId ?? 0;
    this.switchGraceMs = options.switchGraceMs ?? DEFAULT_SWITCH_GRACE_MS;
    this.reuseOutput = options.reuseOutput ?? false;
    this.nextSeq = (options.initialSequence ?? Math.floor(Math.random() * 0x10000)) & 0xffff;
    this.initialTimestamp = (options.initialTimestamp ?? Math.floor(Math.random() * 0x100000000)) >>> 0;
  }

  /**
   * A rewritten copy of `packet` (the source buffer is shared among subscribers and never touched), or null when the
   * packet is malformed, comes from the source replaced less than `switchGraceMs` ago, or, after a switch, precedes the
   * first packet forwarded from the new source (its number would collide with one sent for the previous source).
   * `sourceExtensionId`: the id under which the source sends the extension kept (`keptExtensionId`), 0 for none.
   */
  rewrite(packet: Buffer, nowMs: number, clockRate: number, sourceExtensionId = 0): Buffer | null {
    const headerLength = rtpHeaderLength(packet);
    if (headerLength < 0) {
      return null;
    }
    const ssrc = rtpSsrc(packet);
    const seq = rtpSequence(packet);
    if (ssrc !== this.sourceSsrc) {
      if (ssrc === this.previousSsrc && nowMs - this.switchedAtMs < this.switchGraceMs) {
        return null;
      }
      this.switchSource(ssrc, seq, rtpTimestamp(packet), nowMs, clockRate);
    } else if (Math.abs(this.extend(seq) - this.highestExtSeq) > MAX_JUMP) {
      // Same SSRC, unrelated numbers (RFC 3550 A.1 treats such a jump as a restarted sender): continue as on a switch.
      this.switchSource(ssrc, seq, rtpTimestamp(packet), nowMs, clockRate);
    }
    const extSeq = this.extend(seq);
    if (extSeq < this.baseExtSeq) {
      return null;
    }
    const copy = this.emit(packet, sourceExtensionId);
    const outSeq = rtpSequence(copy);
    const outTs = rtpTimestamp(copy);
    if (extSeq > this.highestExtSeq) {
      this.highestExtSeq = extSeq;
      this.nextSeq = (outSeq + 1) & 0xffff;
      this.setLastOutput(outSeq, outTs, nowMs);
    }
    this.stats.packets++;
    this.stats.bytes += copy.length;
    // Rewriting extensions changes the header only: the payload octets are the source's (RFC 3550 §5.1 padding excluded).
    this.stats.payloadBytes += packet.length - headerLength - (packet[0]! & 0x20 ? packet[packet.length - 1]! : 0);
    return copy;
  }

  /**
   * The source's sequence number behind output number `outSeq`, when that number was sent for the current source
   * (so a NACK can be answered by rewriting the source's packet again, see `again`); else null.
   */
  sourceSequence(outSeq: number): number | null {
    if (this.sourceSsrc < 0) {
      return null;
    }
    const seq = (outSeq - this.seqOffset) & 0xffff;
    const extSeq = this.extend(seq);
    return extSeq >= this.baseExtSeq && extSeq <= this.highestExtSeq ? seq : null;
  }

  /**
   * A packet of the current source rewritten exactly as `rewrite` sent it, for a retransmission: nothing of the
   * stream's state or stats changes. Null when it is malformed or not the current source's.
   */
  again(packet: Buffer, sourceExtensionId = 0): Buffer | null {
    return rtpHeaderLength(packet) < 0 || rtpSsrc(packet) !== this.sourceSsrc ? null : this.emit(packet, sourceExtensionId);
  }

  /** Where timestamp `sourceTs` of source `ssrc` lands in the output, or null when `ssrc` is not the current source. */
  outputTimestamp(ssrc: number, sourceTs: number): number | null {
    return ssrc === this.sourceSsrc ? (sourceTs + this.tsOffset) >>> 0 : null;
  }

  /**
   * A new source continues the output: its first packet gets the sequence number after the last one sent, and a
   * timestamp advanced by the wall time since then (at least 1 tick, so no two frames share a timestamp).
   */
  private switchSource(ssrc: number, seq: number, ts: number, nowMs: number, clockRate: number): void {
    let outTs = this.initialTimestamp;
    if (this.lastOutput !== null) {
      const elapsed = Math.round(((nowMs - this.lastOutput.atMs) * clockRate) / 1000);
      outTs = (this.lastOutput.timestamp + Math.max(1, elapsed)) >>> 0;
    }
    if (this.sourceSsrc >= 0 && ssrc !== this.sourceSsrc) {
      this.previousSsrc = this.sourceSsrc;
      this.switchedAtMs = nowMs;
    }
    this.sourceSsrc = ssrc;
    this.seqOffset = (this.nextSeq - seq) & 0xffff;
    this.tsOffset = (outTs - ts) >>> 0;
    // Packets older than this one would take numbers already sent for the previous source; with no previous
    // source there is nothing to collide with, so reordered first packets still go out.
    this.highestExtSeq = 0x10000 + seq - 1;
    this.baseExtSeq = this.lastOutput === null ? 0 : 0x10000 + seq;
  }

  /** The output copy of a packet of the current source: the kept extension renumbered, then the header rewritten. */
  private emit(packet: Buffer, sourceExtensionId: number): Buffer {
    const out = this.stripExtensions ? keepExtension(packet, sourceExtensionId, this.keptExtensionId) : packet;
    const copy = out !== packet ? out : this.reuseOutput ? copyInto(SHARED_OUTPUT, packet) : Buffer.from(packet);
    const outSeq = (rtpSequence(packet) + this.seqOffset) & 0xffff;
    writeHeader(copy, this.payloadType, outSeq, (rtpTimestamp(packet) + this.tsOffset) >>> 0, this.ssrc);
    return copy;
  }

  /** RFC 3550 A.1: place a 16-bit number in the cycle nearest the highest seen. */
  private extend(seq: number): number {
    const delta = (((seq - this.highestExtSeq) & 0xffff) << 16) >> 16;
    return this.highestExtSeq + delta;
  }

  private setLastOutput(seq: number, timestamp: number, atMs: number): void {
    if (this.lastOutput === null) {
      this.lastOutput = { seq, timestamp, atMs };
    } else {
      this.lastOutput.seq = seq;
      this.lastOutput.timestamp = timestamp;
      this.lastOutput.atMs = atMs;
    }
  }
}

function copyInto(target: Buffer, packet: Buffer): Buffer {
  packet.copy(target);
  return target.subarray(0, packet.length);
}

function writeHeader(buf: Buffer, pt: number, seq: number, ts: number, ssrc: number): void {
  buf[1] = (buf[1]! & 0x80) | pt;
  buf.writeUInt16BE(seq, 2);
  buf.writeUInt32BE(ts, 4);
  buf.writeUInt32BE(ssrc, 8);
}
