/**
 * Address attributes: MAPPED-ADDRESS and ALTERNATE-SERVER (plain, RFC 8489 §14.1, §14.15) and
 * XOR-MAPPED-ADDRESS, XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS (RFC 8489 §14.2, RFC 8656 §18.3, §18.5).
 *
 *     0                   1                   2                   3
 *     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *    |0 0 0 0 0 0 0 0|    Family     |         (X-)Port              |
 *    |                 (X-)Address (32 bits or 128 bits)             |
 *
 * The XOR forms XOR the port with the top 16 bits of the magic cookie, an IPv4 address with the cookie, and an
 * IPv6 address with the cookie followed by the transaction id: bytes 4-19 of the header.
 */
import { AttributeType } from './attribute-types.js';
import type { MessageBuilder } from './builder.js';
import { StunDecodeError, StunEncodeError } from './errors.js';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6, type AddressFamily } from './ip.js';
import { MAGIC_COOKIE } from './message-type.js';
import type { StunAttribute, StunMessage } from './message.js';

/** An IP address and port, shaped like the `rinfo` of Node's `dgram` ('IPv4' | 'IPv6' family strings). */
export interface TransportAddress {
  family: AddressFamily;
  address: string;
  port: number;
}

/** What the writers accept: the family is taken from the address literal, so any `family` is ignored. */
export interface TransportAddressInput {
  address: string;
  port: number;
  family?: string;
}

/** Address family codes on the wire (RFC 8489 §14.1), also used by REQUESTED-ADDRESS-FAMILY. */
export const FAMILY_IPV4 = 0x01;
export const FAMILY_IPV6 = 0x02;

const SCRATCH = new Uint8Array(16);

/** Reads one address attribute; `xor` for the XOR-* types. */
export function readAddress(msg: StunMessage, attribute: StunAttribute, xor: boolean): TransportAddress {
  const raw = msg.raw;
  const at = attribute.offset + 4;
  const length = attribute.length;
  const family = length >= 4 ? raw[at + 1]! : -1;
  if ((family !== FAMILY_IPV4 || length !== 8) && (family !== FAMILY_IPV6 || length !== 20)) {
    throw new StunDecodeError('BAD_ATTRIBUTE', `address family ${family} with ${length} bytes`, attribute.type);
  }
  let port = raw.readUInt16BE(at + 2);
  if (xor) {
    port ^= MAGIC_COOKIE >>> 16;
  }
  if (family === FAMILY_IPV4) {
    let ip = raw.readUInt32BE(at + 4);
    if (xor) {
      ip = (ip ^ MAGIC_COOKIE) >>> 0;
    }
    return { family: 'IPv4', address: formatIPv4(ip), port };
  }
  if (!xor) {
    return { family: 'IPv6', address: formatIPv6(raw, at + 4), port };
  }
  for (let i = 0; i < 16; i++) {
    SCRATCH[i] = raw[at + 4 + i]! ^ raw[4 + i]!;
  }
  return { family: 'IPv6', address: formatIPv6(SCRATCH, 0), port };
}

/** Appends one address attribute of `type`; `xor` for the XOR-* types. */
export function writeAddress(builder: MessageBuilder, type: number, value: TransportAddressInput, xor: boolean): void {
  const port = value.port;
  if (!Number.isInteger(port) || port < 0 || port > 0xffff) {
    throw new StunEncodeError('BAD_ADDRESS', `port ${port}`);
  }
  const xport = xor ? port ^ (MAGIC_COOKIE >>> 16) : port;
  const v4 = parseIPv4(value.address);
  if (v4 >= 0) {
    const at = builder.reserve(type, 8);
    const buf = builder.buffer;
    buf.writeUInt16BE(FAMILY_IPV4, at);
    buf.writeUInt16BE(xport, at + 2);
    buf.writeUInt32BE(xor ? (v4 ^ MAGIC_COOKIE) >>> 0 : v4, at + 4);
    return;
  }
  if (!parseIPv6(value.address, SCRATCH, 0)) {
    throw new StunEncodeError('BAD_ADDRESS', `"${value.address}"`);
  }
  const at = builder.reserve(type, 20);
  const buf = builder.buffer;
  buf.writeUInt16BE(FAMILY_IPV6, at);
  buf.writeUInt16BE(xport, at + 2);
  for (let i = 0; i < 16; i++) {
    buf[at + 4 + i] = xor ? SCRATCH[i]! ^ buf[4 + i]! : SCRATCH[i]!;
  }
}

function first(msg: StunMessage, type: number, xor: boolean): TransportAddress | undefined {
  const attribute = msg.get(type);
  return attribute === undefined ? undefined : readAddress(msg, attribute, xor);
}

function all(msg: StunMessage, type: number, xor: boolean): TransportAddress[] {
  const found: TransportAddress[] = [];
  for (const attribute of msg.attributes) {
    if (attribute.type === type) {
      found.push(readAddress(msg, attribute, xor));
    }
  }
  return found;
}

export function getMappedAddress(msg: StunMessage): TransportAddress | undefined {
  return first(msg, AttributeType.MAPPED_ADDRESS, false);
}
export function addMappedAddress(builder: MessageBuilder, value: TransportAddressInput): MessageBuilder {
  writeAddress(builder, AttributeType.MAPPED_ADDRESS, value, false);
  return builder;
}

export function getXorMappedAddress(msg: StunMessage): TransportAddress | undefined {
  return first(msg, AttributeType.XOR_MAPPED_ADDRESS, true);
}
export function addXorMappedAddress(builder: MessageBuilder, value: TransportAddressInput): MessageBuilder {
  writeAddress(builder, AttributeType.XOR_MAPPED_ADDRESS, value, true);
  return builder;
}

/** The first XOR-PEER-ADDRESS (Send, Data, ChannelBind carry exactly one). */
export function getXorPeerAddress(msg: StunMessage): TransportAddress | undefined {
  return first(msg, AttributeType.XOR_PEER_ADDRESS, true);
}
/** Every XOR-PEER-ADDRESS (CreatePermission may carry several, RFC 8656 §9.1). */
export function getXorPeerAddresses(msg: StunMessage): TransportAddress[] {
  return all(msg, AttributeType.XOR_PEER_ADDRESS, true);
}
export function addXorPeerAddress(builder: MessageBuilder, value: TransportAddressInput): MessageBuilder {
  writeAddress(builder, AttributeType.XOR_PEER_ADDRESS, value, true);
  return builder;
}

export function getXorRelayedAddress(msg: StunMessage): TransportAddress | undefined {
  return first(msg, AttributeType.XOR_RELAYED_ADDRESS, true);
}
/** Every XOR-RELAYED-ADDRESS: a dual-stack allocation answers with one per family (RFC 8656 §7.3). */
export function getXorRelayedAddresses(msg: StunMessage): TransportAddress[] {
  return all(msg, AttributeType.XOR_RELAYED_ADDRESS, true);
}
export function addXorRelayedAddress(builder: MessageBuilder, value: TransportAddressInput): MessageBuilder {
  writeAddress(builder, AttributeType.XOR_RELAYED_ADDRESS, value, true);
  return builder;
}

export function getAlternateServer(msg: StunMessage): TransportAddress | undefined {
  return first(msg, AttributeType.ALTERNATE_SERVER, false);
}
export function addAlternateServer(builder: MessageBuilder, value: TransportAddressInput): MessageBuilder {
  writeAddress(builder, AttributeType.ALTERNATE_SERVER, value, false);
  return builder;
}
