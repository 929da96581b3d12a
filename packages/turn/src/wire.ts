/**
 * The relay hot paths' own view of the wire, next to the codec: reading a Send indication and writing a Data
 * indication without building attribute objects (RFC 8656 §11.2, §11.3). Everything else goes through
 * @rendezvous/stun. The codec's generic reader allocates one object per attribute; at 100k datagrams a second
 * that is most of the garbage, so these walk the bytes once and allocate only the outgoing buffer.
 */
import { randomFillSync } from 'node:crypto';
import {
  AttributeType,
  FAMILY_IPV4,
  FAMILY_IPV6,
  HEADER_LENGTH,
  MAGIC_COOKIE,
  StunClass,
  StunMethod,
  crc32,
  FINGERPRINT_XOR,
  formatIPv4,
  formatIPv6,
  isKnownAttribute,
  messageType,
  parseIPv4,
  parseIPv6,
} from '@rendezvous/stun';

const DATA_INDICATION = messageType(StunMethod.Data, StunClass.Indication);
const COOKIE_HIGH = MAGIC_COOKIE >>> 16;

const POOL_IDS = 512;
const pool = Buffer.allocUnsafe(POOL_IDS * 12);
let poolUsed = pool.length;

/** Writes 12 random bytes (a transaction id) at `offset`; one randomFillSync per 512 ids. */
export function writeTransactionId(target: Buffer, offset: number): void {
  if (poolUsed === pool.length) {
    randomFillSync(pool);
    poolUsed = 0;
  }
  pool.copy(target, offset, poolUsed, poolUsed + 12);
  poolUsed += 12;
}

/** What `scanSendIndication` found. Reused between calls: copy out what you keep. */
export interface SendScan {
  peerAddress: string;
  peerPort: number;
  /** FAMILY_IPV4 or FAMILY_IPV6. */
  peerFamily: number;
  dataOffset: number;
  dataLength: number;
  dontFragment: boolean;
}

const SCRATCH = new Uint8Array(16);

/**
 * Reads a Send indication (the caller has checked the message type). False when the message is malformed,
 * lacks XOR-PEER-ADDRESS or DATA, has a wrong FINGERPRINT, or carries an unknown comprehension-required
 * attribute: RFC 8489 §6.3.2 and RFC 8656 §11.2 say to discard it then.
 */
export function scanSendIndication(msg: Buffer, out: SendScan): boolean {
  const size = msg.length;
  if (size < HEADER_LENGTH || msg.readUInt16BE(2) + HEADER_LENGTH !== size || (size & 3) !== 0) {
    return false;
  }
  if (msg.readUInt32BE(4) !== MAGIC_COOKIE) {
    return false;
  }
  let peer = -1;
  let peerLength = 0;
  let data = -1;
  out.dontFragment = false;
  for (let pos = HEADER_LENGTH; pos < size;) {
    const type = msg.readUInt16BE(pos);
    const length = msg.readUInt16BE(pos + 2);
    const end = pos + 4 + length;
    if (end > size) {
      return false;
    }
    if (type === AttributeType.XOR_PEER_ADDRESS) {
      if (peer < 0) {
        peer = pos + 4;
        peerLength = length;
      }
    } else if (type === AttributeType.DATA) {
      if (data < 0) {
        data = pos + 4;
        out.dataLength = length;
      }
    } else if (type === AttributeType.DONT_FRAGMENT) {
      out.dontFragment = true;
    } else if (type === AttributeType.FINGERPRINT) {
      // FINGERPRINT comes last (RFC 8489 §14.7); the length field already ends with it.
      if (length !== 4 || end !== size) {
        return false;
      }
      if ((crc32(msg, 0, pos) ^ FINGERPRINT_XOR) >>> 0 !== msg.readUInt32BE(pos + 4)) {
        return false;
      }
    } else if (type < 0x8000 && !isKnownAttribute(type)) {
      return false;
    }
    pos = (end + 3) & ~3;
  }
  if (peer < 0 || data < 0) {
    return false;
  }
  const family = msg[peer + 1]!;
  out.peerFamily = family;
  out.peerPort = msg.readUInt16BE(peer + 2) ^ COOKIE_HIGH;
  out.dataOffset = data;
  if (family === FAMILY_IPV4 && peerLength === 8) {
    out.peerAddress = formatIPv4((msg.readUInt32BE(peer + 4) ^ MAGIC_COOKIE) >>> 0);
    return true;
  }
  if (family === FAMILY_IPV6 && peerLength === 20) {
    for (let i = 0; i < 16; i++) {
      SCRATCH[i] = msg[peer + 4 + i]! ^ msg[4 + i]!;
    }
    out.peerAddress = formatIPv6(SCRATCH, 0);
    return true;
  }
  return false;
}

/**
 * A Data indication (RFC 8656 §11.3) carrying `data[offset, offset + length)` from `peerAddress:peerPort`:
 * header, XOR-PEER-ADDRESS, DATA. Undefined when the address is not an IP literal.
 */
export function encodeDataIndication(
  peerAddress: string,
  peerPort: number,
  data: Buffer,
  offset: number,
  length: number,
): Buffer | undefined {
  const v4 = parseIPv4(peerAddress);
  const addressLength = v4 >= 0 ? 8 : 20;
  const padded = (length + 3) & ~3;
  const total = HEADER_LENGTH + 4 + addressLength + 4 + padded;
  // The 16-bit length field cannot describe more (a 65,507-byte IPv6 datagram does not fit).
  if (total - HEADER_LENGTH > 0xfffc) {
    return undefined;
  }
  if (v4 < 0 && !parseIPv6(peerAddress, SCRATCH, 0)) {
    return undefined;
  }
  const out = Buffer.allocUnsafe(total);
  out.writeUInt16BE(DATA_INDICATION, 0);
  out.writeUInt16BE(total - HEADER_LENGTH, 2);
  out.writeUInt32BE(MAGIC_COOKIE, 4);
  writeTransactionId(out, 8);
  let pos = HEADER_LENGTH;
  out.writeUInt16BE(AttributeType.XOR_PEER_ADDRESS, pos);
  out.writeUInt16BE(addressLength, pos + 2);
  out.writeUInt16BE(v4 >= 0 ? FAMILY_IPV4 : FAMILY_IPV6, pos + 4);
  out.writeUInt16BE(peerPort ^ COOKIE_HIGH, pos + 6);
  if (v4 >= 0) {
    out.writeUInt32BE((v4 ^ MAGIC_COOKIE) >>> 0, pos + 8);
  } else {
    for (let i = 0; i < 16; i++) {
      out[pos + 8 + i] = SCRATCH[i]! ^ out[4 + i]!;
    }
  }
  pos += 4 + addressLength;
  out.writeUInt16BE(AttributeType.DATA, pos);
  out.writeUInt16BE(length, pos + 2);
  data.copy(out, pos + 4, offset, offset + length);
  out.fill(0, pos + 4 + length, total);
  return out;
}
