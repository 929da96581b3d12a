/**
 * Shared readers for fixed-size attribute values. Each returns undefined when the attribute is absent and
 * throws `StunDecodeError('BAD_ATTRIBUTE')` when its length is wrong for its type.
 */
import { attributeName } from './attribute-types.js';
import { StunDecodeError } from './errors.js';
import type { StunAttribute, StunMessage } from './message.js';

/** The first attribute of `type`, checked to have exactly `length` bytes; undefined when absent. */
export function fixedLength(msg: StunMessage, type: number, length: number): StunAttribute | undefined {
  const attribute = msg.get(type);
  if (attribute !== undefined && attribute.length !== length) {
    throw new StunDecodeError('BAD_ATTRIBUTE', `${attributeName(type)} has ${attribute.length} bytes, not ${length}`, type);
  }
  return attribute;
}

/** A 4-byte unsigned big-endian value (LIFETIME, PRIORITY). */
export function getUint32(msg: StunMessage, type: number): number | undefined {
  const attribute = fixedLength(msg, type, 4);
  return attribute === undefined ? undefined : msg.raw.readUInt32BE(attribute.offset + 4);
}

/** An 8-byte unsigned big-endian value (ICE-CONTROLLED, ICE-CONTROLLING). */
export function getUint64(msg: StunMessage, type: number): bigint | undefined {
  const attribute = fixedLength(msg, type, 8);
  return attribute === undefined ? undefined : msg.raw.readBigUInt64BE(attribute.offset + 4);
}

/** The first byte of a 4-byte value whose other bytes are reserved (REQUESTED-TRANSPORT, *-ADDRESS-FAMILY). */
export function getFirstByteOf4(msg: StunMessage, type: number): number | undefined {
  const attribute = fixedLength(msg, type, 4);
  return attribute === undefined ? undefined : msg.raw[attribute.offset + 4]!;
}
