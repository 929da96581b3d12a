/**
 * Encoding a STUN message into one growing buffer (RFC 8489 §5 and §14). Typed attribute writers
 * (`addXorMappedAddress(builder, ...)` and friends) sit beside their readers; this class knows only the TLV
 * layout, the length field, and the two attributes that cover the message: MESSAGE-INTEGRITY(-SHA256) and
 * FINGERPRINT, which must come last, in that order.
 */
import { AttributeType } from './attribute-types.js';
import { StunEncodeError } from './errors.js';
import {
  FINGERPRINT_LENGTH,
  MESSAGE_INTEGRITY_LENGTH,
  MESSAGE_INTEGRITY_SHA256_LENGTH,
  fingerprintOf,
  hmacOf,
  type IntegrityKey,
} from './integrity.js';
import { HEADER_LENGTH, MAGIC_COOKIE, messageType, StunClass, TRANSACTION_ID_LENGTH } from './message-type.js';
import type { StunMessage } from './message.js';
import { checkTransactionId, writeRandomTransactionId } from './transaction-id.js';

/** The length field is 16 bits and counts whole 4-byte words. */
const MAX_BODY = 0xfffc;

export interface MessageBuilderOptions {
  /** Bytes to allocate up front (default 256); the buffer doubles when it fills. */
  initialCapacity?: number;
  /** The byte written into padding (default 0). RFC 8489 lets it be anything; RFC 5769's vectors use 0x20. */
  paddingByte?: number;
}

export class MessageBuilder {
  private buf: Buffer;
  private pos = HEADER_LENGTH;
  private built = false;
  private readonly paddingByte: number;

  /** Starts a message. Without `transactionId`, a fresh random one is used. */
  constructor(method: number, cls: StunClass, transactionId?: Uint8Array, options?: MessageBuilderOptions) {
    if (!Number.isInteger(method) || method < 0 || method > 0xfff) {
      throw new StunEncodeError('BAD_VALUE', `method ${method}`);
    }
    this.buf = Buffer.allocUnsafe(Math.max(options?.initialCapacity ?? 256, HEADER_LENGTH));
    this.paddingByte = options?.paddingByte ?? 0;
    this.buf.writeUInt16BE(messageType(method, cls), 0);
    this.buf.writeUInt16BE(0, 2);
    this.buf.writeUInt32BE(MAGIC_COOKIE, 4);
    if (transactionId === undefined) {
      writeRandomTransactionId(this.buf, 8);
    } else {
      checkTransactionId(transactionId);
      this.buf.set(transactionId, 8);
    }
  }

  /** A response to `request`: same method, same transaction id (RFC 8489 §6.3). */
  static responseTo(
    request: StunMessage,
    cls: StunClass = StunClass.SuccessResponse,
    options?: MessageBuilderOptions,
  ): MessageBuilder {
    return new MessageBuilder(request.method, cls, request.transactionId, options);
  }

  /** Bytes written so far, header included. */
  get length(): number {
    return this.pos;
  }

  /** The transaction id: a view of the message being built. */
  get transactionId(): Buffer {
    return this.buf.subarray(8, 8 + TRANSACTION_ID_LENGTH);
  }

  /**
   * The buffer being written. Valid until the next call that adds an attribute (the buffer may be replaced
   * when it grows); use it right after `reserve` to fill in a value.
   */
  get buffer(): Buffer {
    return this.buf;
  }

  /**
   * Appends an attribute header for a value of `length` bytes and its padding, and returns the offset in
   * `buffer` where the caller writes the value. The fast path for typed writers: no intermediate value buffer.
   */
  reserve(type: number, length: number): number {
    if (this.built) {
      throw new StunEncodeError('ALREADY_BUILT');
    }
    if (!Number.isInteger(type) || type < 0 || type > 0xffff) {
      throw new StunEncodeError('BAD_VALUE', `attribute type ${type}`);
    }
    if (!Number.isInteger(length) || length < 0) {
      throw new StunEncodeError('BAD_VALUE', `attribute length ${length}`);
    }
    const padded = (length + 3) & ~3;
    const end = this.pos + 4 + padded;
    if (length > 0xffff || end - HEADER_LENGTH > MAX_BODY) {
      throw new StunEncodeError('VALUE_TOO_LONG', `attribute 0x${type.toString(16)} of ${length} bytes`);
    }
    if (end > this.buf.length) {
      this.grow(end);
    }
    const buf = this.buf;
    const at = this.pos;
    buf.writeUInt16BE(type, at);
    buf.writeUInt16BE(length, at + 2);
    for (let i = at + 4 + length; i < end; i++) {
      buf[i] = this.paddingByte;
    }
    this.pos = end;
    return at + 4;
  }

  /** Appends an attribute with the given value bytes (copied). */
  addAttribute(type: number, value: Uint8Array): this {
    const at = this.reserve(type, value.length);
    this.buf.set(value, at);
    return this;
  }

  /** Appends an attribute with an empty value (DONT-FRAGMENT, USE-CANDIDATE). */
  addEmpty(type: number): this {
    this.reserve(type, 0);
    return this;
  }

  /** Appends an attribute whose value is one unsigned 32-bit big-endian number. */
  addUint32(type: number, value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new StunEncodeError('BAD_VALUE', `${value}`);
    }
    const at = this.reserve(type, 4);
    this.buf.writeUInt32BE(value, at);
    return this;
  }

  /** Appends an attribute whose value is `text` in UTF-8, at most `maxBytes` long. */
  addString(type: number, text: string, maxBytes = 0xffff): this {
    const length = Buffer.byteLength(text, 'utf8');
    if (length > maxBytes) {
      throw new StunEncodeError('VALUE_TOO_LONG', `${length} bytes, at most ${maxBytes}`);
    }
    const at = this.reserve(type, length);
    this.buf.write(text, at, length, 'utf8');
    return this;
  }

  /**
   * Appends MESSAGE-INTEGRITY: HMAC-SHA1 with `key` over everything so far, the length field counting the
   * attribute itself (RFC 8489 §14.5). Add only FINGERPRINT or MESSAGE-INTEGRITY-SHA256 after it.
   */
  addMessageIntegrity(key: IntegrityKey): this {
    const start = this.pos;
    const at = this.reserve(AttributeType.MESSAGE_INTEGRITY, MESSAGE_INTEGRITY_LENGTH);
    this.writeLength();
    hmacOf('sha1', key, this.buf, start).copy(this.buf, at);
    return this;
  }

  /**
   * Appends MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6), optionally truncated to `length` bytes (16-32, a
   * multiple of 4). Add only FINGERPRINT after it.
   */
  addMessageIntegritySha256(key: IntegrityKey, length = MESSAGE_INTEGRITY_SHA256_LENGTH): this {
    if (length < 16 || length > MESSAGE_INTEGRITY_SHA256_LENGTH || (length & 3) !== 0) {
      throw new StunEncodeError('BAD_VALUE', `MESSAGE-INTEGRITY-SHA256 length ${length}`);
    }
    const start = this.pos;
    const at = this.reserve(AttributeType.MESSAGE_INTEGRITY_SHA256, length);
    this.writeLength();
    hmacOf('sha256', key, this.buf, start).copy(this.buf, at, 0, length);
    return this;
  }

  /** Appends FINGERPRINT: CRC-32 of everything so far XOR 0x5354554E (RFC 8489 §14.7). Must be last. */
  addFingerprint(): this {
    const start = this.pos;
    const at = this.reserve(AttributeType.FINGERPRINT, FINGERPRINT_LENGTH);
    this.writeLength();
    this.buf.writeUInt32BE(fingerprintOf(this.buf, start), at);
    return this;
  }

  /**
   * Finishes the message and returns its bytes: a view of the builder's buffer, not a copy. The builder
   * cannot be used afterwards.
   */
  build(): Buffer {
    if (this.built) {
      throw new StunEncodeError('ALREADY_BUILT');
    }
    this.built = true;
    this.writeLength();
    return this.buf.subarray(0, this.pos);
  }

  private writeLength(): void {
    this.buf.writeUInt16BE(this.pos - HEADER_LENGTH, 2);
  }

  private grow(needed: number): void {
    const next = Buffer.allocUnsafe(Math.max(needed, this.buf.length * 2));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}
