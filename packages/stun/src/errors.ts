/**
 * Typed errors of the codec. Decoding untrusted bytes throws only `StunDecodeError`; building a message from
 * bad arguments (a programming error, or a value the caller did not validate) throws only `StunEncodeError`.
 * Codes are stable strings: never rename one, only add.
 */

export const STUN_DECODE_ERRORS = {
  TOO_SHORT: 'The input is shorter than the fixed header.',
  NOT_STUN: 'The first two bits are not zero: this is not a STUN message.',
  BAD_COOKIE: 'The magic cookie is not 0x2112A442.',
  BAD_LENGTH: 'The length field does not match the input.',
  BAD_PADDING: 'The message length is not a multiple of 4: an attribute is not padded to 4 bytes.',
  BAD_ATTRIBUTE: 'An attribute overruns the message, or its value is malformed for its type.',
  BAD_CHANNEL_NUMBER: 'The channel number is outside 0x4000-0x4FFF.',
  BAD_FRAME: 'The first byte starts neither a STUN message nor a ChannelData message.',
} as const satisfies Record<string, string>;

export type StunDecodeErrorCode = keyof typeof STUN_DECODE_ERRORS;

/** Thrown by every decoding function, and by nothing else while decoding. */
export class StunDecodeError extends Error {
  readonly code: StunDecodeErrorCode;
  /** The attribute type at fault, for `BAD_ATTRIBUTE`. */
  readonly attributeType: number | undefined;

  constructor(code: StunDecodeErrorCode, detail?: string, attributeType?: number) {
    super(detail === undefined ? STUN_DECODE_ERRORS[code] : `${STUN_DECODE_ERRORS[code]} (${detail})`);
    this.name = 'StunDecodeError';
    this.code = code;
    this.attributeType = attributeType;
  }
}

export const STUN_ENCODE_ERRORS = {
  VALUE_TOO_LONG: 'The attribute value is longer than its type or the 16-bit length field allows.',
  BAD_ADDRESS: 'The address is not a valid IPv4 or IPv6 literal, or the port is not 0-65535.',
  BAD_VALUE: 'The attribute value is out of range for its type.',
  BAD_TRANSACTION_ID: 'A transaction id is exactly 12 bytes.',
  ALREADY_BUILT: 'The message was already built; start a new MessageBuilder.',
} as const satisfies Record<string, string>;

export type StunEncodeErrorCode = keyof typeof STUN_ENCODE_ERRORS;

/** Thrown when a message cannot be built from the given values. */
export class StunEncodeError extends Error {
  readonly code: StunEncodeErrorCode;

  constructor(code: StunEncodeErrorCode, detail?: string) {
    super(detail === undefined ? STUN_ENCODE_ERRORS[code] : `${STUN_ENCODE_ERRORS[code]} (${detail})`);
    this.name = 'StunEncodeError';
    this.code = code;
  }
}
