/**
 * TURN attributes (RFC 8656 §18, https://www.rfc-editor.org/rfc/rfc8656#section-18) other than the
 * addresses (address-attributes.ts) and ADDRESS-ERROR-CODE (error-codes.ts).
 */
import { AttributeType } from './attribute-types.js';
import type { MessageBuilder } from './builder.js';
import { StunEncodeError } from './errors.js';
import type { StunMessage } from './message.js';
import { fixedLength, getFirstByteOf4, getUint32 } from './values.js';

/** REQUESTED-TRANSPORT protocol numbers (IANA): UDP, and TCP for RFC 6062. */
export const TRANSPORT_UDP = 17;
export const TRANSPORT_TCP = 6;

function uint(value: number, max: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new StunEncodeError('BAD_VALUE', `${what} ${value}`);
  }
  return value;
}

function addFirstByteOf4(builder: MessageBuilder, type: number, value: number): MessageBuilder {
  const at = builder.reserve(type, 4);
  const buf = builder.buffer;
  buf[at] = value;
  buf[at + 1] = 0;
  buf[at + 2] = 0;
  buf[at + 3] = 0;
  return builder;
}

/** LIFETIME (§18.4): seconds the allocation should live. */
export function getLifetime(msg: StunMessage): number | undefined {
  return getUint32(msg, AttributeType.LIFETIME);
}
export function addLifetime(builder: MessageBuilder, seconds: number): MessageBuilder {
  return builder.addUint32(AttributeType.LIFETIME, seconds);
}

/** DATA (§18.6): the application payload, a view of the message. */
export function getData(msg: StunMessage): Buffer | undefined {
  return msg.get(AttributeType.DATA)?.value;
}
export function addData(builder: MessageBuilder, data: Uint8Array): MessageBuilder {
  return builder.addAttribute(AttributeType.DATA, data);
}

/** REQUESTED-TRANSPORT (§18.7): the protocol number, 17 for UDP. Any other value deserves 442. */
export function getRequestedTransport(msg: StunMessage): number | undefined {
  return getFirstByteOf4(msg, AttributeType.REQUESTED_TRANSPORT);
}
export function addRequestedTransport(builder: MessageBuilder, protocol: number = TRANSPORT_UDP): MessageBuilder {
  return addFirstByteOf4(builder, AttributeType.REQUESTED_TRANSPORT, uint(protocol, 0xff, 'protocol'));
}

/** REQUESTED-ADDRESS-FAMILY (§18.8): FAMILY_IPV4 or FAMILY_IPV6; any other value deserves 440. */
export function getRequestedAddressFamily(msg: StunMessage): number | undefined {
  return getFirstByteOf4(msg, AttributeType.REQUESTED_ADDRESS_FAMILY);
}
export function addRequestedAddressFamily(builder: MessageBuilder, family: number): MessageBuilder {
  return addFirstByteOf4(builder, AttributeType.REQUESTED_ADDRESS_FAMILY, uint(family, 0xff, 'family'));
}

/** ADDITIONAL-ADDRESS-FAMILY (§18.11): asks for a second, IPv6, relayed address (dual allocation). */
export function getAdditionalAddressFamily(msg: StunMessage): number | undefined {
  return getFirstByteOf4(msg, AttributeType.ADDITIONAL_ADDRESS_FAMILY);
}
export function addAdditionalAddressFamily(builder: MessageBuilder, family: number): MessageBuilder {
  return addFirstByteOf4(builder, AttributeType.ADDITIONAL_ADDRESS_FAMILY, uint(family, 0xff, 'family'));
}

/**
 * EVEN-PORT (§18.9): present means "relay on an even port"; the value is the R bit, true when the next port
 * up should be reserved too. Undefined when absent.
 */
export function getEvenPort(msg: StunMessage): boolean | undefined {
  const attribute = fixedLength(msg, AttributeType.EVEN_PORT, 1);
  return attribute === undefined ? undefined : (msg.raw[attribute.offset + 4]! & 0x80) !== 0;
}
export function addEvenPort(builder: MessageBuilder, reserveNext: boolean): MessageBuilder {
  const at = builder.reserve(AttributeType.EVEN_PORT, 1);
  builder.buffer[at] = reserveNext ? 0x80 : 0;
  return builder;
}

export const RESERVATION_TOKEN_LENGTH = 8;

/** RESERVATION-TOKEN (§18.10): 8 opaque bytes, a view of the message. */
export function getReservationToken(msg: StunMessage): Buffer | undefined {
  return fixedLength(msg, AttributeType.RESERVATION_TOKEN, RESERVATION_TOKEN_LENGTH)?.value;
}
export function addReservationToken(builder: MessageBuilder, token: Uint8Array): MessageBuilder {
  if (token.length !== RESERVATION_TOKEN_LENGTH) {
    throw new StunEncodeError('BAD_VALUE', `token of ${token.length} bytes`);
  }
  return builder.addAttribute(AttributeType.RESERVATION_TOKEN, token);
}

/** DONT-FRAGMENT (§18.13): a flag with no value. */
export function hasDontFragment(msg: StunMessage): boolean {
  return msg.has(AttributeType.DONT_FRAGMENT);
}
export function addDontFragment(builder: MessageBuilder): MessageBuilder {
  return builder.addEmpty(AttributeType.DONT_FRAGMENT);
}

/**
 * CHANNEL-NUMBER (§18.2): the 16-bit channel number followed by 16 reserved bits. Returned as received: check
 * it with `isValidChannelNumber` (0x4000-0x4FFF) and answer 400 otherwise.
 */
export function getChannelNumber(msg: StunMessage): number | undefined {
  const attribute = fixedLength(msg, AttributeType.CHANNEL_NUMBER, 4);
  return attribute === undefined ? undefined : msg.raw.readUInt16BE(attribute.offset + 4);
}
export function addChannelNumber(builder: MessageBuilder, channel: number): MessageBuilder {
  const value = uint(channel, 0xffff, 'channel') * 0x10000;
  const at = builder.reserve(AttributeType.CHANNEL_NUMBER, 4);
  builder.buffer.writeUInt32BE(value, at);
  return builder;
}
