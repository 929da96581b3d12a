/**
 * MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5), MESSAGE-INTEGRITY-SHA256 (§14.6) and FINGERPRINT (§14.7,
 * https://www.rfc-editor.org/rfc/rfc8489#section-14.5). Each covers the message up to (not including) its own
 * attribute, with the header length field set as if the message ended right after that attribute.
 *
 * Verification rewrites the length field of the decoded bytes in place for the duration of one synchronous
 * hash call and restores it before returning, so nothing is copied.
 */
import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { crc32 } from './crc32.js';
import { HEADER_LENGTH } from './message-type.js';
import type { StunMessage } from './message.js';

/** A key from `longTermKey`/`shortTermKey`, or a `KeyObject` made from one with `createSecretKey`. */
export type IntegrityKey = Uint8Array | KeyObject;

export const MESSAGE_INTEGRITY_LENGTH = 20;
export const MESSAGE_INTEGRITY_SHA256_LENGTH = 32;
export const FINGERPRINT_LENGTH = 4;
/** FINGERPRINT is the CRC-32 XOR-ed with this ("STUN"), RFC 8489 §14.7. */
export const FINGERPRINT_XOR = 0x5354554e;

/** HMAC of `data[0, end)`. The caller has set the length field. */
export function hmacOf(algorithm: 'sha1' | 'sha256', key: IntegrityKey, data: Buffer, end: number): Buffer {
  return createHmac(algorithm, key).update(data.subarray(0, end)).digest();
}

/** The FINGERPRINT value for `data[0, end)`. The caller has set the length field. */
export function fingerprintOf(data: Uint8Array, end: number): number {
  return (crc32(data, 0, end) ^ FINGERPRINT_XOR) >>> 0;
}

function hmacWithLength(
  algorithm: 'sha1' | 'sha256',
  key: IntegrityKey,
  raw: Buffer,
  attributeOffset: number,
  valueLength: number,
): Buffer {
  const saved = raw.readUInt16BE(2);
  raw.writeUInt16BE(attributeOffset + 4 + valueLength - HEADER_LENGTH, 2);
  try {
    return hmacOf(algorithm, key, raw, attributeOffset);
  } finally {
    raw.writeUInt16BE(saved, 2);
  }
}

/**
 * True when the message has MESSAGE-INTEGRITY and it matches `key` (RFC 8489 §9.1.3 / §9.2.4 step "verify").
 * False when it is absent, has the wrong length, or does not match. Constant-time comparison.
 */
export function verifyMessageIntegrity(msg: StunMessage, key: IntegrityKey): boolean {
  const offset = msg.integrityOffset;
  if (offset < 0) {
    return false;
  }
  const raw = msg.raw;
  if (raw.readUInt16BE(offset + 2) !== MESSAGE_INTEGRITY_LENGTH) {
    return false;
  }
  const expected = hmacWithLength('sha1', key, raw, offset, MESSAGE_INTEGRITY_LENGTH);
  return timingSafeEqual(expected, raw.subarray(offset + 4, offset + 4 + MESSAGE_INTEGRITY_LENGTH));
}

/**
 * True when the message has MESSAGE-INTEGRITY-SHA256 and it matches `key`. The value may be truncated to
 * 16-32 bytes in steps of 4 (RFC 8489 §14.6); any other length is a mismatch.
 */
export function verifyMessageIntegritySha256(msg: StunMessage, key: IntegrityKey): boolean {
  const offset = msg.integritySha256Offset;
  if (offset < 0) {
    return false;
  }
  const raw = msg.raw;
  const length = raw.readUInt16BE(offset + 2);
  if (length < 16 || length > MESSAGE_INTEGRITY_SHA256_LENGTH || (length & 3) !== 0) {
    return false;
  }
  const expected = hmacWithLength('sha256', key, raw, offset, length);
  return timingSafeEqual(expected.subarray(0, length), raw.subarray(offset + 4, offset + 4 + length));
}

/** True when the message has a 4-byte FINGERPRINT that matches its bytes. */
export function verifyFingerprint(msg: StunMessage): boolean {
  const offset = msg.fingerprintOffset;
  if (offset < 0) {
    return false;
  }
  const raw = msg.raw;
  if (raw.readUInt16BE(offset + 2) !== FINGERPRINT_LENGTH) {
    return false;
  }
  const length = offset + 4 + FINGERPRINT_LENGTH - HEADER_LENGTH;
  const saved = raw.readUInt16BE(2);
  let actual: number;
  if (saved === length) {
    actual = fingerprintOf(raw, offset);
  } else {
    // Ignored attributes follow FINGERPRINT: compute as if the message ended after it.
    raw.writeUInt16BE(length, 2);
    actual = fingerprintOf(raw, offset);
    raw.writeUInt16BE(saved, 2);
  }
  return actual === raw.readUInt32BE(offset + 4);
}
