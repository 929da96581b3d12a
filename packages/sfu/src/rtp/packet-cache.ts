// The last N packets sent on one output stream, for answering NACKs (RFC 4585 §6.2.1) with retransmissions.

/** Ring buffer keyed by 16-bit RTP sequence number. */
export class PacketCache {
  private readonly packets: (Buffer | undefined)[];
  private readonly seqs: Int32Array;
  /** Highest sequence number stored (wrap-aware), -1 when empty. */
  private highest = -1;

  constructor(readonly size = 512) {
    if (!Number.isInteger(size) || size < 1 || size > 0x8000) {
      throw new RangeError(`PacketCache size must be 1..32768, got ${size}`);
    }
    this.packets = new Array<Buffer | undefined>(size);
    this.seqs = new Int32Array(size).fill(-1);
  }

  put(seq: number, packet: Buffer): void {
    seq &= 0xffff;
    const index = seq % this.size;
    this.packets[index] = packet;
    this.seqs[index] = seq;
    if (this.highest < 0 || isNewer(seq, this.highest)) {
      this.highest = seq;
    }
  }

  /**
   * The packet stored under `seq`, if it is still among the last `size` sequence numbers. A slot holding the same
   * index from an older lap (or the same number 65536 packets ago) is never returned.
   */
  get(seq: number): Buffer | undefined {
    seq &= 0xffff;
    if (this.highest < 0 || ((this.highest - seq) & 0xffff) >= this.size) {
      return undefined;
    }
    const index = seq % this.size;
    return this.seqs[index] === seq ? this.packets[index] : undefined;
  }

  clear(): void {
    this.packets.fill(undefined);
    this.seqs.fill(-1);
    this.highest = -1;
  }
}

/** RFC 3550 A.1 style comparison: `a` is after `b` when it is less than half the sequence space ahead. */
function isNewer(a: number, b: number): boolean {
  const diff = (a - b) & 0xffff;
  return diff !== 0 && diff < 0x8000;
}
