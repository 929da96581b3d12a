// Which packets of an incoming stream to ask the publisher to resend with Generic NACK (RFC 4585 §6.2.1, used by
// RTP/AVPF per §3.2). Gaps in the sequence numbers become missing entries; each is NACKed at most `maxRetries`
// times, `retryIntervalMs` apart (about one round trip), and given up after `maxAgeMs` (past that the jitter
// buffer downstream has moved on and a keyframe request serves better).

export interface NackTrackerOptions {
  /** Times one packet is asked for. Default 10. */
  maxRetries?: number;
  /** Minimum time between two requests for the same packet; set it near the RTT. Default 100. */
  retryIntervalMs?: number;
  /** A packet missing for longer is dropped from the list. Default 1000. */
  maxAgeMs?: number;
  /** Bound on tracked missing packets; a gap larger than this clears the list (ask for a keyframe instead). Default 500. */
  maxMissing?: number;
}

interface Missing {
  firstMs: number;
  sentMs: number;
  tries: number;
}

export class NackTracker {
  retryIntervalMs: number;
  /** Packets given up on (too old, too many tries, or pushed out by a large gap): a growing count suggests a PLI. */
  gaveUp = 0;

  private readonly maxRetries: number;
  private readonly maxAgeMs: number;
  private readonly maxMissing: number;
  /** Extended sequence numbers, in ascending order (Map keeps insertion order and gaps are added in order). */
  private readonly missing = new Map<number, Missing>();
  private highest = -1;

  constructor(options: NackTrackerOptions = {}) {
    this.maxRetries = options.maxRetries ?? 10;
    this.retryIntervalMs = options.retryIntervalMs ?? 100;
    this.maxAgeMs = options.maxAgeMs ?? 1000;
    this.maxMissing = options.maxMissing ?? 500;
  }

  /** Number of packets currently missing. */
  get size(): number {
    return this.missing.size;
  }

  /** Records a received packet (original or retransmission, by its original sequence number). */
  onPacket(seq: number, nowMs: number): void {
    seq &= 0xffff;
    if (this.highest < 0) {
      this.highest = 0x10000 + seq;
      return;
    }
    const ext = this.highest + ((((seq - this.highest) & 0xffff) << 16) >> 16);
    if (ext <= this.highest) {
      this.missing.delete(ext);
      return;
    }
    const gap = ext - this.highest - 1;
    if (gap > this.maxMissing) {
      this.gaveUp += this.missing.size + gap;
      this.missing.clear();
    } else {
      for (let s = this.highest + 1; s < ext; s++) {
        this.missing.set(s, { firstMs: nowMs, sentMs: -Infinity, tries: 0 });
      }
      this.trim();
    }
    this.highest = ext;
  }

  /**
   * The sequence numbers to NACK now, oldest first; each returned one counts as a try. Drops entries past their age
   * or tries.
   */
  due(nowMs: number): number[] {
    const seqs: number[] = [];
    for (const [ext, entry] of this.missing) {
      if (nowMs - entry.firstMs > this.maxAgeMs || entry.tries >= this.maxRetries) {
        this.missing.delete(ext);
        this.gaveUp++;
      } else if (nowMs - entry.sentMs >= this.retryIntervalMs) {
        entry.tries++;
        entry.sentMs = nowMs;
        seqs.push(ext & 0xffff);
      }
    }
    return seqs;
  }

  reset(): void {
    this.missing.clear();
    this.highest = -1;
  }

  private trim(): void {
    for (const ext of this.missing.keys()) {
      if (this.missing.size <= this.maxMissing) {
        return;
      }
      this.missing.delete(ext);
      this.gaveUp++;
    }
  }
}
