// RTCP: parse the compound packets peers send (RFC 3550 §6), build the few the SFU sends.
//
// Every RTCP packet starts with the common header (RFC 3550 §6.4.1):
//  0                   1                   2                   3
// |V=2|P| RC/FMT  |      PT       |   length (32-bit words - 1)   |
// Feedback messages (RFC 4585 §6.1) follow it with the packet sender SSRC, the media source SSRC and the FCI.

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
/** Transport-layer feedback (RFC 4585 §6.2); FMT 1 = Generic NACK. */
export const RTCP_RTPFB = 205;
/** Payload-specific feedback (RFC 4585 §6.3); FMT 1 = PLI, 4 = FIR (RFC 5104 §4.3.1), 15 = application layer (REMB). */
export const RTCP_PSFB = 206;

/** RFC 3550 §6.4.1 report block. */
export interface ReportBlock {
  ssrc: number;
  /** Fraction of packets lost since the previous report, fixed point with the binary point at the left (0..255). */
  fractionLost: number;
  /** Signed 24-bit: duplicates can make it negative. */
  cumulativeLost: number;
  /** Extended highest sequence number received: cycles << 16 | highest. */
  highestSeq: number;
  jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR received from this source, 0 if none. */
  lsr: number;
  /** Delay since that SR, in 1/65536 s. */
  dlsr: number;
}

export interface SenderInfo {
  ssrc: number;
  ntpSec: number;
  ntpFrac: number;
  rtpTimestamp: number;
  packets: number;
  octets: number;
}

export type RtcpItem =
  | ({ type: 'sr'; reports: ReportBlock[] } & SenderInfo)
  | { type: 'rr'; ssrc: number; reports: ReportBlock[] }
  | { type: 'pli'; senderSsrc: number; mediaSsrc: number }
  | { type: 'fir'; senderSsrc: number; entries: { ssrc: number; seq: number }[] }
  | { type: 'nack'; senderSsrc: number; mediaSsrc: number; seqs: number[] }
  | { type: 'remb'; senderSsrc: number; bitrate: number; ssrcs: number[] };

/** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
const NTP_UNIX_OFFSET = 2208988800;
const REMB_ID = 0x52454d42; // 'REMB'

/**
 * Parses a compound RTCP packet into the items the SFU acts on. Unknown packet types and formats (SDES, BYE, APP,
 * XR, transport-cc…) are skipped; a bad version or a length running past the buffer stops the walk, keeping the
 * items parsed so far. Never throws.
 */
export function parseRtcp(buf: Uint8Array): RtcpItem[] {
  const items: RtcpItem[] = [];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let at = 0;
  while (at + 4 <= buf.length) {
    const b0 = buf[at]!;
    if (b0 >> 6 !== 2) {
      break;
    }
    const end = at + (view.getUint16(at + 2) + 1) * 4;
    if (end > buf.length) {
      break;
    }
    // RFC 3550 §6.4.1: with P set, the last octet counts padding included in the length.
    const bodyEnd = b0 & 0x20 ? end - buf[end - 1]! : end;
    if (bodyEnd >= at + 4) {
      parseOne(view, at, bodyEnd, b0 & 0x1f, buf[at + 1]!, items);
    }
    at = end;
  }
  return items;
}

function parseOne(view: DataView, at: number, end: number, count: number, pt: number, items: RtcpItem[]): void {
  if (pt === RTCP_SR && at + 28 <= end) {
    items.push({
      type: 'sr',
      ssrc: view.getUint32(at + 4),
      ntpSec: view.getUint32(at + 8),
      ntpFrac: view.getUint32(at + 12),
      rtpTimestamp: view.getUint32(at + 16),
      packets: view.getUint32(at + 20),
      octets: view.getUint32(at + 24),
      reports: readReportBlocks(view, at + 28, end, count),
    });
  } else if (pt === RTCP_RR && at + 8 <= end) {
    items.push({ type: 'rr', ssrc: view.getUint32(at + 4), reports: readReportBlocks(view, at + 8, end, count) });
  } else if ((pt === RTCP_RTPFB || pt === RTCP_PSFB) && at + 12 <= end) {
    const item = parseFeedback(view, at, end, count, pt);
    if (item) {
      items.push(item);
    }
  }
}

function readReportBlocks(view: DataView, at: number, end: number, count: number): ReportBlock[] {
  const reports: ReportBlock[] = [];
  for (let i = 0; i < count && at + 24 <= end; i++, at += 24) {
    const lost = view.getUint32(at + 4);
    reports.push({
      ssrc: view.getUint32(at),
      fractionLost: lost >>> 24,
      cumulativeLost: ((lost & 0xffffff) << 8) >> 8,
      highestSeq: view.getUint32(at + 8),
      jitter: view.getUint32(at + 12),
      lsr: view.getUint32(at + 16),
      dlsr: view.getUint32(at + 20),
    });
  }
  return reports;
}

function parseFeedback(view: DataView, at: number, end: number, fmt: number, pt: number): RtcpItem | null {
  const senderSsrc = view.getUint32(at + 4);
  const mediaSsrc = view.getUint32(at + 8);
  const fci = at + 12;
  if (pt === RTCP_RTPFB) {
    return fmt === 1 ? { type: 'nack', senderSsrc, mediaSsrc, seqs: readNackFci(view, fci, end) } : null;
  }
  if (fmt === 1) {
    return { type: 'pli', senderSsrc, mediaSsrc };
  }
  if (fmt === 4) {
    // RFC 5104 §4.3.1.1: FCI entries of SSRC (32) | seq nr (8) | reserved (24).
    const entries: { ssrc: number; seq: number }[] = [];
    for (let i = fci; i + 8 <= end; i += 8) {
      entries.push({ ssrc: view.getUint32(i), seq: view.getUint8(i + 4) });
    }
    return { type: 'fir', senderSsrc, entries };
  }
  if (fmt === 15) {
    return readRemb(view, senderSsrc, fci, end);
  }
  return null;
}

// RFC 4585 §6.2.1: each FCI is PID (16) | BLP (16); bit i of BLP (LSB = 0) marks PID + i + 1 as lost too.
function readNackFci(view: DataView, at: number, end: number): number[] {
  const seqs: number[] = [];
  for (let i = at; i + 4 <= end; i += 4) {
    const pid = view.getUint16(i);
    const blp = view.getUint16(i + 2);
    seqs.push(pid);
    for (let bit = 0; bit < 16; bit++) {
      if (blp & (1 << bit)) {
        seqs.push((pid + bit + 1) & 0xffff);
      }
    }
  }
  return seqs;
}

// draft-alvestrand-rmcat-remb §2.2: 'REMB' | Num SSRC (8) | BR Exp (6) | BR Mantissa (18) | SSRC feedback × Num.
function readRemb(view: DataView, senderSsrc: number, at: number, end: number): RtcpItem | null {
  if (at + 8 > end || view.getUint32(at) !== REMB_ID) {
    return null;
  }
  const word = view.getUint32(at + 4);
  const count = word >>> 24;
  const exp = (word >>> 18) & 0x3f;
  const mantissa = word & 0x3ffff;
  const ssrcs: number[] = [];
  for (let i = 0, p = at + 8; i < count && p + 4 <= end; i++, p += 4) {
    ssrcs.push(view.getUint32(p));
  }
  return { type: 'remb', senderSsrc, bitrate: mantissa * 2 ** exp, ssrcs };
}

/** Allocates one RTCP packet of `words` 32-bit words and writes its common header. */
function packet(countOrFmt: number, pt: number, words: number): { buf: Buffer; view: DataView } {
  const buf = Buffer.alloc(words * 4);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  buf[0] = 0x80 | (countOrFmt & 0x1f);
  buf[1] = pt;
  view.setUint16(2, words - 1);
  return { buf, view };
}

/** RFC 4585 §6.3.1 Picture Loss Indication: no FCI. */
export function buildPli(senderSsrc: number, mediaSsrc: number): Buffer {
  const { buf, view } = packet(1, RTCP_PSFB, 3);
  view.setUint32(4, senderSsrc);
  view.setUint32(8, mediaSsrc);
  return buf;
}

/**
 * RFC 5104 §4.3.1 Full Intra Request for one source. The header's media SSRC SHALL be 0 (§4.3.1.2); the target goes in
 * the FCI with a command sequence number the sender increments per new request (mod 256).
 */
export function buildFir(senderSsrc: number, mediaSsrc: number, seq: number): Buffer {
  const { buf, view } = packet(4, RTCP_PSFB, 5);
  view.setUint32(4, senderSsrc);
  view.setUint32(12, mediaSsrc);
  buf[16] = seq & 0xff;
  return buf;
}

/**
 * RFC 4585 §6.2.1 Generic NACK. Packs the sequence numbers into PID/BLP pairs: each pair covers PID and the 16 after
 * it, modulo 2^16, so a run across 65535 → 0 shares one pair. The numbers are sorted in wrap-aware order (within
 * ±32768 of the first one); duplicates fold away.
 */
export function buildNack(senderSsrc: number, mediaSsrc: number, seqs: readonly number[]): Buffer {
  const first = (seqs[0] ?? 0) & 0xffff;
  const sorted = seqs.map((s) => s & 0xffff).sort((a, b) => ((a - first + 0x8000) & 0xffff) - ((b - first + 0x8000) & 0xffff));
  const pairs: number[] = [];
  let pid = -1;
  let blp = 0;
  for (const seq of sorted) {
    const diff = pid < 0 ? -1 : (seq - pid) & 0xffff;
    if (diff >= 1 && diff <= 16) {
      blp |= 1 << (diff - 1);
    } else if (diff !== 0) {
      if (pid >= 0) {
        pairs.push(pid, blp);
      }
      pid = seq;
      blp = 0;
    }
  }
  if (pid >= 0) {
    pairs.push(pid, blp);
  }
  const { buf, view } = packet(1, RTCP_RTPFB, 3 + pairs.length / 2);
  view.setUint32(4, senderSsrc);
  view.setUint32(8, mediaSsrc);
  for (let i = 0; i < pairs.length; i++) {
    view.setUint16(12 + i * 2, pairs[i]!);
  }
  return buf;
}

/**
 * draft-alvestrand-rmcat-remb §2.2 Receiver Estimated Max Bitrate: bitrate = mantissa (18 bits) × 2^exp (6 bits),
 * rounded down to what the encoding can hold. Media SSRC in the header is 0; the SSRCs it applies to follow.
 */
export function buildRemb(senderSsrc: number, bitrate: number, ssrcs: readonly number[]): Buffer {
  let mantissa = Math.max(0, Math.floor(bitrate));
  let exp = 0;
  while (mantissa > 0x3ffff && exp < 63) {
    mantissa = Math.floor(mantissa / 2);
    exp++;
  }
  const count = Math.min(ssrcs.length, 255);
  const { buf, view } = packet(15, RTCP_PSFB, 5 + count);
  view.setUint32(4, senderSsrc);
  view.setUint32(12, REMB_ID);
  view.setUint32(16, ((count << 24) | (exp << 18) | Math.min(mantissa, 0x3ffff)) >>> 0);
  for (let i = 0; i < count; i++) {
    view.setUint32(20 + i * 4, ssrcs[i]!);
  }
  return buf;
}

function writeReportBlock(view: DataView, at: number, block: ReportBlock): void {
  view.setUint32(at, block.ssrc);
  const lost = Math.max(-0x800000, Math.min(0x7fffff, block.cumulativeLost)) & 0xffffff;
  view.setUint32(at + 4, (((block.fractionLost & 0xff) << 24) | lost) >>> 0);
  view.setUint32(at + 8, block.highestSeq >>> 0);
  view.setUint32(at + 12, block.jitter >>> 0);
  view.setUint32(at + 16, block.lsr >>> 0);
  view.setUint32(at + 20, block.dlsr >>> 0);
}

/** RFC 3550 §6.4.2 Receiver Report; at most 31 blocks (the RC field is 5 bits), extra blocks are dropped. */
export function buildReceiverReport(ssrc: number, blocks: readonly ReportBlock[]): Buffer {
  const count = Math.min(blocks.length, 31);
  const { buf, view } = packet(count, RTCP_RR, 2 + count * 6);
  view.setUint32(4, ssrc);
  for (let i = 0; i < count; i++) {
    writeReportBlock(view, 8 + i * 24, blocks[i]!);
  }
  return buf;
}

/** RFC 3550 §6.4.1 Sender Report; at most 31 report blocks. */
export function buildSenderReport(info: SenderInfo, blocks: readonly ReportBlock[] = []): Buffer {
  const count = Math.min(blocks.length, 31);
  const { buf, view } = packet(count, RTCP_SR, 7 + count * 6);
  view.setUint32(4, info.ssrc);
  view.setUint32(8, info.ntpSec >>> 0);
  view.setUint32(12, info.ntpFrac >>> 0);
  view.setUint32(16, info.rtpTimestamp >>> 0);
  view.setUint32(20, info.packets >>> 0);
  view.setUint32(24, info.octets >>> 0);
  for (let i = 0; i < count; i++) {
    writeReportBlock(view, 28 + i * 24, blocks[i]!);
  }
  return buf;
}

/** Unix milliseconds → 64-bit NTP timestamp (RFC 3550 §4) as seconds since 1900 (mod 2^32) and a 32-bit fraction. */
export function ntpFromMs(ms: number): { ntpSec: number; ntpFrac: number } {
  const seconds = Math.floor(ms / 1000);
  const frac = Math.min(0xffffffff, Math.round(((ms - seconds * 1000) / 1000) * 2 ** 32));
  return { ntpSec: (seconds + NTP_UNIX_OFFSET) % 2 ** 32, ntpFrac: frac };
}

/** The middle 32 bits of an NTP timestamp (RFC 3550 §6.4.1 LSR): low 16 bits of seconds, high 16 of the fraction. */
export function ntpMiddle32(ntpSec: number, ntpFrac: number): number {
  return (((ntpSec & 0xffff) << 16) | (ntpFrac >>> 16)) >>> 0;
}
