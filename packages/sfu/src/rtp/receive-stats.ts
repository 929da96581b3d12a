// Reception statistics of one incoming RTP source, for the report blocks of the SFU's receiver reports.
// RFC 3550 Appendix A.1 (sequence number tracking), A.3 (expected and lost packets), A.8 (interarrival jitter).
import type { ReportBlock } from './rtcp.js';

const SEQ_MOD = 0x10000;
/** A.1: forward jumps below this are accepted as loss; larger ones need a second packet to confirm a restart. */
const MAX_DROPOUT = 3000;
/** A.1: packets up to this far behind the highest are late (reordered or duplicate), not a restart. */
const MAX_MISORDER = 100;

export interface LastSenderReport {
  /** Middle 32 bits of the SR's NTP timestamp (see `ntpMiddle32`). */
  ntpMiddle32: number;
  /** Local time the SR arrived, in ms. */
  atMs: number;
}

/**
 * Per-source counters. No probation (A.1's MIN_SEQUENTIAL): packets reach here authenticated by SRTP, so the first
 * one starts the count.
 */
export class ReceiveStats {
  private started = false;
  private baseSeq = 0;
  private maxSeq = 0;
  /** Sequence number cycles, counted in units of 2^16 (A.1 `cycles`). */
  private cycles = 0;
  private badSeq = SEQ_MOD + 1;
  private receivedCount = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  /** A.8 jitter estimate in timestamp units, kept fractional between packets. */
  private jitterUnits = 0;
  private lastArrivalMs = 0;
  private lastRtpTs = 0;

  /** Records one received packet. Returns false when it was discarded as an unconfirmed jump (A.1 `bad_seq`). */
  onPacket(seq: number, rtpTs: number, arrivalMs: number, clockRate: number): boolean {
    seq &= 0xffff;
    if (!this.started) {
      this.initSeq(seq);
      this.started = true;
    } else {
      const udelta = (seq - this.maxSeq) & 0xffff;
      if (udelta < MAX_DROPOUT) {
        if (seq < this.maxSeq) {
          this.cycles += SEQ_MOD;
        }
        this.maxSeq = seq;
      } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
        // A very large jump: a restarted sender if the next packet follows this one, else a stray packet.
        if (seq !== this.badSeq) {
          this.badSeq = (seq + 1) & 0xffff;
          return false;
        }
        this.initSeq(seq);
      }
      // Otherwise a duplicate or reordered packet: counted, no change to the highest.
      this.updateJitter(rtpTs, arrivalMs, clockRate);
    }
    this.receivedCount++;
    this.lastArrivalMs = arrivalMs;
    this.lastRtpTs = rtpTs >>> 0;
    return true;
  }

  /** Packets received (duplicates included, as RFC 3550 A.3 counts them). */
  get received(): number {
    return this.receivedCount;
  }

  /** Extended highest sequence number received: cycles × 2^16 + highest. */
  get extendedHighestSeq(): number {
    return this.cycles + this.maxSeq;
  }

  /** Cumulative packets lost (A.3): expected minus received, negative when duplicates outnumber losses. */
  get cumulativeLost(): number {
    return this.expected() - this.receivedCount;
  }

  /** Interarrival jitter (A.8) in timestamp units. */
  get jitter(): number {
    return Math.floor(this.jitterUnits);
  }

  /**
   * The RFC 3550 §6.4.1 report block for this source as of `nowMs`, starting a new interval for `fractionLost`;
   * null before any packet. `lastSr` is the last sender report received from the source, for LSR/DLSR.
   */
  reportBlock(ssrc: number, nowMs: number, lastSr?: LastSenderReport): ReportBlock | null {
    if (!this.started) {
      return null;
    }
    const expected = this.expected();
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.receivedCount - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.receivedCount;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost = expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    const lost = Math.max(-0x800000, Math.min(0x7fffff, expected - this.receivedCount));
    return {
      ssrc: ssrc >>> 0,
      fractionLost: Math.min(255, fractionLost),
      cumulativeLost: lost,
      highestSeq: this.extendedHighestSeq >>> 0,
      jitter: this.jitter >>> 0,
      lsr: lastSr ? lastSr.ntpMiddle32 >>> 0 : 0,
      // DLSR in units of 1/65536 s.
      dlsr: lastSr ? Math.max(0, Math.floor(((nowMs - lastSr.atMs) * 65536) / 1000)) >>> 0 : 0,
    };
  }

  private expected(): number {
    return this.cycles + this.maxSeq - this.baseSeq + 1;
  }

  private initSeq(seq: number): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = SEQ_MOD + 1;
    this.cycles = 0;
    this.receivedCount = 0;
    this.receivedPrior = 0;
    this.expectedPrior = 0;
  }

  // A.8: D = (Rj - Ri) - (Sj - Si) in timestamp units over consecutive arrivals; J += (|D| - J) / 16.
  private updateJitter(rtpTs: number, arrivalMs: number, clockRate: number): void {
    const arrivalDelta = ((arrivalMs - this.lastArrivalMs) * clockRate) / 1000;
    const rtpDelta = (rtpTs - this.lastRtpTs) | 0; // signed 32-bit difference across the wrap
    const d = Math.abs(arrivalDelta - rtpDelta);
    this.jitterUnits += (d - this.jitterUnits) / 16;
  }
}
