// RTP fixed header access (RFC 3550 §5.1), read and written in place on the packet buffer.
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
// |                           timestamp                           |
// |           synchronization source (SSRC) identifier            |
// |            contributing source (CSRC) identifiers (CC × 32)   |
// |  profile-defined (16)         |        length (16, words)     |  if X (§5.3.1)
// |                        header extension                       |
//
// These run for every forwarded packet: they read straight from the buffer and allocate nothing.
// The readers assume the caller checked `rtpHeaderLength(buf) >= 0` (at least the 12 fixed bytes).

const FIXED_HEADER = 12;

/**
 * RFC 5761 §4: on a muxed port, a second byte whose low 7 bits are 64–95 is an RTCP packet type (192–223);
 * RTP payload types in that range are forbidden for exactly this reason.
 */
export function isRtcp(buf: Uint8Array): boolean {
  if (buf.length < 2) {
    return false;
  }
  const pt = buf[1]! & 0x7f;
  return pt >= 64 && pt <= 95;
}

/**
 * Length of the RTP header: 12 fixed bytes + 4 per CSRC + the header extension block (RFC 3550 §5.3.1).
 * Returns -1 when the packet is not version 2, is too short for what the header announces, or its padding
 * count (RFC 3550 §5.1, P bit: the last octet counts the padding octets) does not fit after the header.
 */
export function rtpHeaderLength(buf: Uint8Array): number {
  if (buf.length < FIXED_HEADER) {
    return -1;
  }
  const b0 = buf[0]!;
  if (b0 >> 6 !== 2) {
    return -1;
  }
  let length = FIXED_HEADER + (b0 & 0x0f) * 4;
  if (b0 & 0x10) {
    if (buf.length < length + 4) {
      return -1;
    }
    length += 4 + ((buf[length + 2]! << 8) | buf[length + 3]!) * 4;
  }
  if (length > buf.length) {
    return -1;
  }
  if (b0 & 0x20) {
    const padding = buf[buf.length - 1]!;
    if (padding === 0 || length + padding > buf.length) {
      return -1;
    }
  }
  return length;
}

/** Payload octets: the packet minus header and padding (RFC 3550 §5.1); -1 when malformed. */
export function rtpPayloadLength(buf: Uint8Array): number {
  const header = rtpHeaderLength(buf);
  if (header < 0) {
    return -1;
  }
  const padding = buf[0]! & 0x20 ? buf[buf.length - 1]! : 0;
  return buf.length - header - padding;
}

export function rtpPayloadType(buf: Uint8Array): number {
  return buf[1]! & 0x7f;
}

export function rtpMarker(buf: Uint8Array): boolean {
  return (buf[1]! & 0x80) !== 0;
}

export function rtpSequence(buf: Uint8Array): number {
  return (buf[2]! << 8) | buf[3]!;
}

export function rtpTimestamp(buf: Uint8Array): number {
  return readUint32(buf, 4);
}

export function rtpSsrc(buf: Uint8Array): number {
  return readUint32(buf, 8);
}

/** Sets the 7-bit payload type, keeping the marker bit. */
export function setRtpPayloadType(buf: Uint8Array, pt: number): void {
  buf[1] = (buf[1]! & 0x80) | (pt & 0x7f);
}

export function setRtpSequence(buf: Uint8Array, seq: number): void {
  buf[2] = (seq >>> 8) & 0xff;
  buf[3] = seq & 0xff;
}

export function setRtpTimestamp(buf: Uint8Array, ts: number): void {
  writeUint32(buf, 4, ts);
}

export function setRtpSsrc(buf: Uint8Array, ssrc: number): void {
  writeUint32(buf, 8, ssrc);
}

/** RFC 6464 §3: client-to-mixer audio level, `level` 0..127 in -dBov (127 = silence), `voice` the V bit. */
export interface AudioLevel {
  level: number;
  voice: boolean;
}

/**
 * Reads the RFC 6464 audio level extension with local id `extId` from either RFC 8285 form:
 * one-byte (§4.2, profile 0xBEDE) or two-byte (§4.3, profile 0x100 + 4 app bits). Null when absent or malformed.
 */
export function readAudioLevel(buf: Uint8Array, extId: number): AudioLevel | null {
  const offset = findExtension(buf, extId);
  if (offset < 0) {
    return null;
  }
  const byte = buf[offset]!;
  return { level: byte & 0x7f, voice: (byte & 0x80) !== 0 };
}

/**
 * Offset of the first data byte of RFC 8285 extension element `extId`, or -1 when absent, empty or malformed.
 */
export function findExtension(buf: Uint8Array, extId: number): number {
  const header = rtpHeaderLength(buf);
  if (header < 0 || !(buf[0]! & 0x10) || extId <= 0) {
    return -1;
  }
  const blockStart = FIXED_HEADER + (buf[0]! & 0x0f) * 4;
  const profile = (buf[blockStart]! << 8) | buf[blockStart + 1]!;
  const start = blockStart + 4;
  if (profile === 0xbede) {
    return findOneByte(buf, start, header, extId);
  }
  if (profile >> 4 === 0x100) {
    return findTwoByte(buf, start, header, extId);
  }
  return -1;
}

// RFC 8285 §4.2: element = ID (4 bits) | L (4 bits, data length - 1) | data. ID 0 is a padding byte;
// ID 15 stops processing of the whole block.
function findOneByte(buf: Uint8Array, start: number, end: number, extId: number): number {
  let i = start;
  while (i < end) {
    const b = buf[i]!;
    const id = b >> 4;
    if (id === 0) {
      i++;
      continue;
    }
    if (id === 15) {
      return -1;
    }
    const length = (b & 0x0f) + 1;
    if (i + 1 + length > end) {
      return -1;
    }
    if (id === extId) {
      return i + 1;
    }
    i += 1 + length;
  }
  return -1;
}

// RFC 8285 §4.3: element = ID (8 bits) | length (8 bits) | data (0..255 bytes). A zero byte is padding.
function findTwoByte(buf: Uint8Array, start: number, end: number, extId: number): number {
  let i = start;
  while (i < end) {
    const id = buf[i]!;
    if (id === 0) {
      i++;
      continue;
    }
    if (i + 2 > end) {
      return -1;
    }
    const length = buf[i + 1]!;
    if (i + 2 + length > end) {
      return -1;
    }
    if (id === extId) {
      return length > 0 ? i + 2 : -1;
    }
    i += 2 + length;
  }
  return -1;
}

function readUint32(buf: Uint8Array, at: number): number {
  return ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
}

function writeUint32(buf: Uint8Array, at: number, value: number): void {
  buf[at] = (value >>> 24) & 0xff;
  buf[at + 1] = (value >>> 16) & 0xff;
  buf[at + 2] = (value >>> 8) & 0xff;
  buf[at + 3] = value & 0xff;
}
