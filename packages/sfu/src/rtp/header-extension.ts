// Keeping one RTP header extension element across a forward (RFC 8285): ids are negotiated per connection, so the
// element the publisher sent under its id goes out under the id the subscriber negotiated, and every other element
// (whose meaning the subscriber never agreed to) is dropped.
import { rtpHeaderLength } from './rtp-header.js';

const FIXED_HEADER = 12;
/** RFC 8285 §4.2: one-byte form ids 1..14, data 1..16 bytes. */
const ONE_BYTE_MAX_ID = 14;
const ONE_BYTE_MAX_DATA = 16;

/** Where one element's data sits in a packet. */
interface ElementData {
  start: number;
  length: number;
}

/**
 * A copy of `packet` whose extension block holds only element `fromId`, renumbered `toId`: in the one-byte form
 * (RFC 8285 §4.2) when `toId` and the data fit it, else the two-byte form (§4.3); zero-padded to a 32-bit word.
 * Without that element (or with `fromId` or `toId` 0) the copy has no extension block and the X bit cleared.
 * The same buffer comes back when the packet has no extension block or is malformed (the caller decides about those).
 * CSRCs, payload and RTP padding are carried as they are.
 */
export function keepExtension(packet: Buffer, fromId: number, toId: number): Buffer {
  if (!(packet[0]! & 0x10)) {
    return packet;
  }
  const header = rtpHeaderLength(packet);
  if (header < 0) {
    return packet;
  }
  const blockStart = FIXED_HEADER + (packet[0]! & 0x0f) * 4;
  const element = fromId > 0 && toId > 0 ? findElement(packet, blockStart, header, fromId) : null;
  const block = element === null ? 0 : blockLength(toId, element.length);
  const out = Buffer.allocUnsafe(blockStart + block + packet.length - header);
  packet.copy(out, 0, 0, blockStart);
  packet.copy(out, blockStart + block, header);
  if (element === null) {
    out[0] = out[0]! & ~0x10;
    return out;
  }
  writeBlock(out, blockStart, block, toId, packet.subarray(element.start, element.start + element.length));
  return out;
}

/** Bytes of an extension block (4-byte block header included) holding one element of `length` data bytes as `id`. */
function blockLength(id: number, length: number): number {
  const element = oneByteFits(id, length) ? 1 + length : 2 + length;
  return 4 + Math.ceil(element / 4) * 4;
}

function oneByteFits(id: number, length: number): boolean {
  return id <= ONE_BYTE_MAX_ID && length >= 1 && length <= ONE_BYTE_MAX_DATA;
}

function writeBlock(out: Buffer, at: number, block: number, id: number, data: Buffer): void {
  out.fill(0, at, at + block);
  const oneByte = oneByteFits(id, data.length);
  out.writeUInt16BE(oneByte ? 0xbede : 0x1000, at);
  out.writeUInt16BE((block - 4) / 4, at + 2);
  if (oneByte) {
    out[at + 4] = (id << 4) | (data.length - 1);
    data.copy(out, at + 5);
  } else {
    out[at + 4] = id;
    out[at + 5] = data.length;
    data.copy(out, at + 6);
  }
}

/** Element `id`'s data in the block at `blockStart` (ending at `end`), in either form; null when absent or malformed. */
function findElement(buf: Buffer, blockStart: number, end: number, id: number): ElementData | null {
  const profile = buf.readUInt16BE(blockStart);
  if (profile === 0xbede) {
    return findOneByte(buf, blockStart + 4, end, id);
  }
  if (profile >> 4 === 0x100) {
    return findTwoByte(buf, blockStart + 4, end, id);
  }
  return null;
}

// RFC 8285 §4.2: ID (4 bits) | L (4 bits, length - 1) | data. ID 0 is a padding byte; ID 15 ends the block.
function findOneByte(buf: Buffer, start: number, end: number, id: number): ElementData | null {
  let i = start;
  while (i < end) {
    const elementId = buf[i]! >> 4;
    if (elementId === 0) {
      i++;
      continue;
    }
    const length = (buf[i]! & 0x0f) + 1;
    if (elementId === 15 || i + 1 + length > end) {
      return null;
    }
    if (elementId === id) {
      return { start: i + 1, length };
    }
    i += 1 + length;
  }
  return null;
}

// RFC 8285 §4.3: ID (8 bits) | length (8 bits) | data (0..255 bytes). A zero byte is padding.
function findTwoByte(buf: Buffer, start: number, end: number, id: number): ElementData | null {
  let i = start;
  while (i < end) {
    const elementId = buf[i]!;
    if (elementId === 0) {
      i++;
      continue;
    }
    const length = i + 1 < end ? buf[i + 1]! : -1;
    if (length < 0 || i + 2 + length > end) {
      return null;
    }
    if (elementId === id) {
      return { start: i + 2, length };
    }
    i += 2 + length;
  }
  return null;
}

/** A copy of the packet without its header extension block and with the X bit cleared (RFC 3550 §5.3.1); see keepExtension. */
export function stripRtpExtensions(packet: Buffer): Buffer {
  return keepExtension(packet, 0, 0);
}
