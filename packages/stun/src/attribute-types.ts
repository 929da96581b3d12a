/**
 * Attribute types this codec understands, each with typed accessors elsewhere in the package
 * (STUN: RFC 8489 §18.3, https://www.rfc-editor.org/rfc/rfc8489#section-18.3; TURN: RFC 8656 §18;
 * ICE: RFC 8445 §16.1). Types 0x0000-0x7FFF are comprehension-required: a request that carries one the
 * receiver does not understand is answered with 420 (RFC 8489 §6.3.1).
 */
export const AttributeType = {
  // Comprehension-required
  MAPPED_ADDRESS: 0x0001,
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  UNKNOWN_ATTRIBUTES: 0x000a,
  CHANNEL_NUMBER: 0x000c,
  LIFETIME: 0x000d,
  XOR_PEER_ADDRESS: 0x0012,
  DATA: 0x0013,
  REALM: 0x0014,
  NONCE: 0x0015,
  XOR_RELAYED_ADDRESS: 0x0016,
  REQUESTED_ADDRESS_FAMILY: 0x0017,
  EVEN_PORT: 0x0018,
  REQUESTED_TRANSPORT: 0x0019,
  DONT_FRAGMENT: 0x001a,
  MESSAGE_INTEGRITY_SHA256: 0x001c,
  PASSWORD_ALGORITHM: 0x001d,
  USERHASH: 0x001e,
  XOR_MAPPED_ADDRESS: 0x0020,
  RESERVATION_TOKEN: 0x0022,
  PRIORITY: 0x0024,
  USE_CANDIDATE: 0x0025,
  // Comprehension-optional
  ADDITIONAL_ADDRESS_FAMILY: 0x8000,
  ADDRESS_ERROR_CODE: 0x8001,
  PASSWORD_ALGORITHMS: 0x8002,
  SOFTWARE: 0x8022,
  ALTERNATE_SERVER: 0x8023,
  FINGERPRINT: 0x8028,
  ICE_CONTROLLED: 0x8029,
  ICE_CONTROLLING: 0x802a,
} as const;

export type KnownAttributeType = (typeof AttributeType)[keyof typeof AttributeType];

const NAMES = new Map<number, string>(Object.entries(AttributeType).map(([name, type]) => [type, name.replaceAll('_', '-')]));

/** One byte per type: 1 when this codec understands it. A table, so the decode loop does one load. */
const KNOWN = new Uint8Array(0x10000);
for (const type of NAMES.keys()) {
  KNOWN[type] = 1;
}

/** "XOR-MAPPED-ADDRESS", ... or "0x1234" for a type this codec has no name for. */
export function attributeName(type: number): string {
  return NAMES.get(type) ?? `0x${type.toString(16).padStart(4, '0')}`;
}

/** True for 0x0000-0x7FFF: a receiver that does not understand it must reject the request. */
export function isComprehensionRequired(type: number): boolean {
  return type < 0x8000;
}

/** True when this codec has typed accessors for the attribute type. */
export function isKnownAttribute(type: number): boolean {
  return KNOWN[type & 0xffff] === 1;
}
