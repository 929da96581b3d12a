/**
 * Decoding a STUN message: the 20-byte header and the attribute TLVs (RFC 8489 §5 and §14,
 * https://www.rfc-editor.org/rfc/rfc8489#section-5). Decoding only walks the structure: one small object per
 * attribute, no copies. Attribute values are read on demand by the typed accessors (address-attributes.ts,
 * text-attributes.ts, ...), which throw `StunDecodeError('BAD_ATTRIBUTE')` for a malformed value.
 */
import { AttributeType, attributeName, isKnownAttribute } from './attribute-types.js';
import { StunDecodeError } from './errors.js';
import { HEADER_LENGTH, MAGIC_COOKIE, classOf, className, methodName, methodOf, type StunClass } from './message-type.js';

/** One attribute of a decoded message. `offset` is where its 4-byte header starts in `StunMessage.raw`. */
export class StunAttribute {
  readonly type: number;
  readonly offset: number;
  /** The value length from the attribute header (without padding). */
  readonly length: number;
  private readonly raw: Buffer;

  constructor(raw: Buffer, type: number, offset: number, length: number) {
    this.raw = raw;
    this.type = type;
    this.offset = offset;
    this.length = length;
  }

  /** Where the value starts in `StunMessage.raw`. */
  get valueOffset(): number {
    return this.offset + 4;
  }

  /** The value bytes: a view of the message, not a copy. */
  get value(): Buffer {
    return this.raw.subarray(this.offset + 4, this.offset + 4 + this.length);
  }
}

const NONE: readonly number[] = Object.freeze([]);

/** A decoded STUN message. Made by `decodeMessage` (not meant to be constructed directly); keeps a view of the input. */
export class StunMessage {
  /** The whole message (header and attributes): a view of the decoded input. */
  readonly raw: Buffer;
  /** The 14-bit message type (method and class interleaved). */
  readonly type: number;
  readonly method: number;
  readonly class: StunClass;
  /**
   * The attributes in wire order. Attributes after MESSAGE-INTEGRITY other than MESSAGE-INTEGRITY-SHA256 and
   * FINGERPRINT, after MESSAGE-INTEGRITY-SHA256 other than FINGERPRINT, and after FINGERPRINT are ignored
   * (RFC 8489 §14.5-14.7) and not listed.
   */
  readonly attributes: readonly StunAttribute[];
  /**
   * Comprehension-required attribute types (0x0000-0x7FFF) this codec does not understand, each once, in
   * order of appearance. Non-empty in a request means: answer 420 with UNKNOWN-ATTRIBUTES listing them.
   */
  readonly unknownRequired: readonly number[];
  /** Offset of the MESSAGE-INTEGRITY attribute header in `raw`, or -1. */
  readonly integrityOffset: number;
  /** Offset of the MESSAGE-INTEGRITY-SHA256 attribute header in `raw`, or -1. */
  readonly integritySha256Offset: number;
  /** Offset of the FINGERPRINT attribute header in `raw`, or -1. */
  readonly fingerprintOffset: number;

  constructor(
    raw: Buffer,
    type: number,
    attributes: readonly StunAttribute[],
    unknownRequired: readonly number[],
    integrityOffset: number,
    integritySha256Offset: number,
    fingerprintOffset: number,
  ) {
    this.raw = raw;
    this.type = type;
    this.method = methodOf(type);
    this.class = classOf(type);
    this.attributes = attributes;
    this.unknownRequired = unknownRequired;
    this.integrityOffset = integrityOffset;
    this.integritySha256Offset = integritySha256Offset;
    this.fingerprintOffset = fingerprintOffset;
  }

  /** The message length field: bytes after the header. */
  get length(): number {
    return this.raw.length - HEADER_LENGTH;
  }

  /** The 96-bit transaction id: a 12-byte view of the message. */
  get transactionId(): Buffer {
    return this.raw.subarray(8, HEADER_LENGTH);
  }

  /** The transaction id as 24 hex digits, for use as a map key. */
  get transactionIdHex(): string {
    return this.raw.toString('hex', 8, HEADER_LENGTH);
  }

  /** The first attribute of this type, or undefined. */
  get(type: number): StunAttribute | undefined {
    const attributes = this.attributes;
    for (let i = 0; i < attributes.length; i++) {
      const attribute = attributes[i]!;
      if (attribute.type === type) {
        return attribute;
      }
    }
    return undefined;
  }

  /** Every attribute of this type, in wire order. */
  getAll(type: number): StunAttribute[] {
    const found: StunAttribute[] = [];
    for (const attribute of this.attributes) {
      if (attribute.type === type) {
        found.push(attribute);
      }
    }
    return found;
  }

  has(type: number): boolean {
    return this.get(type) !== undefined;
  }

  /** "Binding request 0123...cdef [USERNAME(9) MESSAGE-INTEGRITY(20)]", for logs. */
  toString(): string {
    const attributes = this.attributes.map((a) => `${attributeName(a.type)}(${a.length})`).join(' ');
    return `${methodName(this.method)} ${className(this.class)} ${this.transactionIdHex} [${attributes}]`;
  }
}

/** A Buffer view of the same memory (no copy) for a Uint8Array that is not a Buffer. */
export function asBuffer(input: Uint8Array): Buffer {
  return Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}

/**
 * Quick demultiplexing check (RFC 8489 §5, RFC 7983): first two bits zero, magic cookie, and a length field
 * that is a multiple of 4 and matches the input exactly. Does not walk the attributes.
 */
export function isStunMessage(input: Uint8Array): boolean {
  if (input.length < HEADER_LENGTH || (input[0]! & 0xc0) !== 0) {
    return false;
  }
  const length = (input[2]! << 8) | input[3]!;
  if ((length & 3) !== 0 || length + HEADER_LENGTH !== input.length) {
    return false;
  }
  return ((input[4]! << 24) | (input[5]! << 16) | (input[6]! << 8) | input[7]!) >>> 0 === MAGIC_COOKIE;
}

// What may still be read after an integrity attribute (RFC 8489 §14.5-14.7).
const ACCEPT_ALL = 0;
const AFTER_INTEGRITY = 1;
const AFTER_INTEGRITY_SHA256 = 2;
const AFTER_FINGERPRINT = 3;

/**
 * Decodes one whole STUN message (a UDP datagram, or one frame from `StreamFramer`). Checks the header and
 * that the attributes tile the body exactly; does not check attribute values or integrity (see
 * `verifyMessageIntegrity`, `verifyFingerprint`). Throws only `StunDecodeError`.
 */
export function decodeMessage(input: Uint8Array): StunMessage {
  const buf = asBuffer(input);
  const size = buf.length;
  if (size < HEADER_LENGTH) {
    throw new StunDecodeError('TOO_SHORT', `${size} bytes`);
  }
  if ((buf[0]! & 0xc0) !== 0) {
    throw new StunDecodeError('NOT_STUN');
  }
  if (buf.readUInt32BE(4) !== MAGIC_COOKIE) {
    throw new StunDecodeError('BAD_COOKIE');
  }
  const length = buf.readUInt16BE(2);
  if (length + HEADER_LENGTH === size && (length & 3) !== 0) {
    throw new StunDecodeError('BAD_PADDING', `length ${length} is not a multiple of 4: an attribute is not padded`);
  }
  if (length + HEADER_LENGTH !== size) {
    throw new StunDecodeError('BAD_LENGTH', `length field ${length}, ${size - HEADER_LENGTH} bytes follow the header`);
  }

  const attributes: StunAttribute[] = [];
  let unknown: number[] | undefined;
  let integrity = -1;
  let integritySha256 = -1;
  let fingerprint = -1;
  let state = ACCEPT_ALL;
  let pos = HEADER_LENGTH;
  // pos and size are multiples of 4, so each step has at least a 4-byte attribute header to read.
  while (pos < size) {
    const type = buf.readUInt16BE(pos);
    const valueLength = buf.readUInt16BE(pos + 2);
    const valueEnd = pos + 4 + valueLength;
    if (valueEnd > size) {
      throw new StunDecodeError(
        'BAD_ATTRIBUTE',
        `${attributeName(type)} of ${valueLength} bytes at ${pos} overruns the message`,
        type,
      );
    }
    // size is a multiple of 4, so the padding of a value that fits fits too.
    const next = (valueEnd + 3) & ~3;

    let accept: boolean;
    if (state === ACCEPT_ALL) {
      accept = true;
    } else if (state === AFTER_INTEGRITY) {
      accept = type === AttributeType.MESSAGE_INTEGRITY_SHA256 || type === AttributeType.FINGERPRINT;
    } else {
      accept = state === AFTER_INTEGRITY_SHA256 && type === AttributeType.FINGERPRINT;
    }

    if (accept) {
      attributes.push(new StunAttribute(buf, type, pos, valueLength));
      if (type === AttributeType.MESSAGE_INTEGRITY) {
        integrity = pos;
        state = AFTER_INTEGRITY;
      } else if (type === AttributeType.MESSAGE_INTEGRITY_SHA256) {
        integritySha256 = pos;
        state = AFTER_INTEGRITY_SHA256;
      } else if (type === AttributeType.FINGERPRINT) {
        fingerprint = pos;
        state = AFTER_FINGERPRINT;
      } else if (type < 0x8000 && !isKnownAttribute(type)) {
        if (unknown === undefined) {
          unknown = [type];
        } else if (!unknown.includes(type)) {
          unknown.push(type);
        }
      }
    }
    pos = next;
  }

  return new StunMessage(buf, buf.readUInt16BE(0), attributes, unknown ?? NONE, integrity, integritySha256, fingerprint);
}
