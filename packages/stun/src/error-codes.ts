/**
 * STUN/TURN error codes with their default reason phrases (RFC 8489 §14.8, RFC 8656 §18.10, RFC 8445 §16.2),
 * and the ERROR-CODE and ADDRESS-ERROR-CODE attributes (RFC 8489 §14.8, RFC 8656 §18.12):
 *
 *    |   Reserved, should be 0 (ERROR-CODE) / Family, Reserved (ADDRESS-ERROR-CODE)   |Class|  Number   |
 *    |      Reason Phrase (variable, UTF-8, fewer than 128 characters)                               ..
 */
import { AttributeType } from './attribute-types.js';
import type { MessageBuilder } from './builder.js';
import { StunDecodeError, StunEncodeError } from './errors.js';
import type { StunMessage } from './message.js';
import { MAX_TEXT_BYTES } from './text-attributes.js';

export const StunErrorCode = {
  TRY_ALTERNATE: 300,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  UNKNOWN_ATTRIBUTE: 420,
  ALLOCATION_MISMATCH: 437,
  STALE_NONCE: 438,
  ADDRESS_FAMILY_NOT_SUPPORTED: 440,
  WRONG_CREDENTIALS: 441,
  UNSUPPORTED_TRANSPORT_PROTOCOL: 442,
  PEER_ADDRESS_FAMILY_MISMATCH: 443,
  ALLOCATION_QUOTA_REACHED: 486,
  ROLE_CONFLICT: 487,
  SERVER_ERROR: 500,
  INSUFFICIENT_CAPACITY: 508,
} as const;

export type KnownStunErrorCode = (typeof StunErrorCode)[keyof typeof StunErrorCode];

/** The reason phrases the RFCs give; any UTF-8 text is allowed on the wire. */
export const STUN_REASON_PHRASES: Readonly<Record<KnownStunErrorCode, string>> = {
  300: 'Try Alternate',
  400: 'Bad Request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  420: 'Unknown Attribute',
  437: 'Allocation Mismatch',
  438: 'Stale Nonce',
  440: 'Address Family not Supported',
  441: 'Wrong Credentials',
  442: 'Unsupported Transport Protocol',
  443: 'Peer Address Family Mismatch',
  486: 'Allocation Quota Reached',
  487: 'Role Conflict',
  500: 'Server Error',
  508: 'Insufficient Capacity',
};

/** The default reason phrase for `code`, or "" for a code the RFCs above do not define. */
export function reasonPhrase(code: number): string {
  return (STUN_REASON_PHRASES as Record<number, string | undefined>)[code] ?? '';
}

export interface StunErrorValue {
  /** 300-699. */
  code: number;
  reason: string;
}

export interface AddressErrorValue extends StunErrorValue {
  /** The address family the error is about: FAMILY_IPV4 (1) or FAMILY_IPV6 (2), or another value received. */
  family: number;
}

function readError(msg: StunMessage, type: number): { at: number; value: StunErrorValue } | undefined {
  const attribute = msg.get(type);
  if (attribute === undefined) {
    return undefined;
  }
  const raw = msg.raw;
  const at = attribute.offset + 4;
  if (attribute.length < 4) {
    throw new StunDecodeError('BAD_ATTRIBUTE', `${attribute.length} bytes`, type);
  }
  if (attribute.length - 4 > MAX_TEXT_BYTES) {
    throw new StunDecodeError('BAD_ATTRIBUTE', 'reason phrase too long', type);
  }
  const cls = raw[at + 2]! & 0x07;
  const number = raw[at + 3]!;
  if (cls < 3 || cls > 6 || number > 99) {
    throw new StunDecodeError('BAD_ATTRIBUTE', `class ${cls} number ${number}`, type);
  }
  const reason = raw.toString('utf8', at + 4, at + attribute.length);
  return { at, value: { code: cls * 100 + number, reason } };
}

function writeError(builder: MessageBuilder, type: number, code: number, reason: string, family: number): void {
  if (!Number.isInteger(code) || code < 300 || code > 699) {
    throw new StunEncodeError('BAD_VALUE', `error code ${code}`);
  }
  const length = Buffer.byteLength(reason, 'utf8');
  if (length > MAX_TEXT_BYTES) {
    throw new StunEncodeError('VALUE_TOO_LONG', `reason phrase of ${length} bytes`);
  }
  const at = builder.reserve(type, 4 + length);
  const buf = builder.buffer;
  buf[at] = family;
  buf[at + 1] = 0;
  buf[at + 2] = Math.floor(code / 100);
  buf[at + 3] = code % 100;
  buf.write(reason, at + 4, length, 'utf8');
}

export function getErrorCode(msg: StunMessage): StunErrorValue | undefined {
  return readError(msg, AttributeType.ERROR_CODE)?.value;
}

/** Appends ERROR-CODE; `reason` defaults to the RFC's phrase for `code`. */
export function addErrorCode(builder: MessageBuilder, code: number, reason = reasonPhrase(code)): MessageBuilder {
  writeError(builder, AttributeType.ERROR_CODE, code, reason, 0);
  return builder;
}

export function getAddressErrorCode(msg: StunMessage): AddressErrorValue | undefined {
  const found = readError(msg, AttributeType.ADDRESS_ERROR_CODE);
  return found === undefined ? undefined : { family: msg.raw[found.at]!, ...found.value };
}

/** Appends ADDRESS-ERROR-CODE (RFC 8656 §18.12): why the relayed address of `family` was not allocated. */
export function addAddressErrorCode(
  builder: MessageBuilder,
  family: number,
  code: number,
  reason = reasonPhrase(code),
): MessageBuilder {
  if (!Number.isInteger(family) || family < 0 || family > 0xff) {
    throw new StunEncodeError('BAD_VALUE', `family ${family}`);
  }
  writeError(builder, AttributeType.ADDRESS_ERROR_CODE, code, reason, family);
  return builder;
}
