/**
 * Optional RFC 8489 authentication attributes: PASSWORD-ALGORITHMS (§14.11), PASSWORD-ALGORITHM (§14.12)
 * and USERHASH (§14.4). Each algorithm entry is
 *
 *    |          Algorithm            |  Algorithm Parameters Length  |
 *    |                    Algorithm Parameters (variable, padded to 4 bytes)               ...
 */
import { AttributeType } from './attribute-types.js';
import type { MessageBuilder } from './builder.js';
import { StunDecodeError, StunEncodeError } from './errors.js';
import type { StunAttribute, StunMessage } from './message.js';
import { fixedLength } from './values.js';

export interface PasswordAlgorithmValue {
  /** PasswordAlgorithm.MD5 (1) or PasswordAlgorithm.SHA256 (2), or another value received. */
  algorithm: number;
  /** A view of the message; empty for MD5 and SHA-256. */
  parameters: Buffer;
}

/** What the writers accept: parameters may be any bytes. */
export interface PasswordAlgorithmInput {
  algorithm: number;
  parameters?: Uint8Array;
}

const EMPTY = new Uint8Array(0);

function readEntries(msg: StunMessage, attribute: StunAttribute, single: boolean): PasswordAlgorithmValue[] {
  const raw = msg.raw;
  const end = attribute.offset + 4 + attribute.length;
  const entries: PasswordAlgorithmValue[] = [];
  let pos = attribute.offset + 4;
  while (pos < end) {
    if (end - pos < 4) {
      throw new StunDecodeError('BAD_ATTRIBUTE', 'truncated algorithm entry', attribute.type);
    }
    const parametersLength = raw.readUInt16BE(pos + 2);
    if (pos + 4 + parametersLength > end) {
      throw new StunDecodeError('BAD_ATTRIBUTE', 'algorithm parameters overrun the attribute', attribute.type);
    }
    entries.push({ algorithm: raw.readUInt16BE(pos), parameters: raw.subarray(pos + 4, pos + 4 + parametersLength) });
    pos = Math.min(end, pos + 4 + ((parametersLength + 3) & ~3));
  }
  if (single && entries.length !== 1) {
    throw new StunDecodeError('BAD_ATTRIBUTE', `${entries.length} algorithm entries, expected 1`, attribute.type);
  }
  return entries;
}

function writeEntries(builder: MessageBuilder, type: number, entries: readonly PasswordAlgorithmInput[]): MessageBuilder {
  let length = 0;
  for (const { algorithm, parameters = EMPTY } of entries) {
    if (!Number.isInteger(algorithm) || algorithm < 0 || algorithm > 0xffff) {
      throw new StunEncodeError('BAD_VALUE', `algorithm ${algorithm}`);
    }
    if (parameters.length > 0xffff) {
      throw new StunEncodeError('VALUE_TOO_LONG', 'algorithm parameters');
    }
    length += 4 + ((parameters.length + 3) & ~3);
  }
  const at = builder.reserve(type, length);
  const buf = builder.buffer;
  let pos = at;
  for (const { algorithm, parameters = EMPTY } of entries) {
    buf.writeUInt16BE(algorithm, pos);
    buf.writeUInt16BE(parameters.length, pos + 2);
    buf.set(parameters, pos + 4);
    const padded = pos + 4 + ((parameters.length + 3) & ~3);
    buf.fill(0, pos + 4 + parameters.length, padded);
    pos = padded;
  }
  return builder;
}

/** PASSWORD-ALGORITHMS: the algorithms a server offers, in its order of preference. */
export function getPasswordAlgorithms(msg: StunMessage): PasswordAlgorithmValue[] | undefined {
  const attribute = msg.get(AttributeType.PASSWORD_ALGORITHMS);
  return attribute === undefined ? undefined : readEntries(msg, attribute, false);
}
export function addPasswordAlgorithms(builder: MessageBuilder, algorithms: readonly PasswordAlgorithmInput[]): MessageBuilder {
  return writeEntries(builder, AttributeType.PASSWORD_ALGORITHMS, algorithms);
}

/** PASSWORD-ALGORITHM: the one algorithm a client chose. */
export function getPasswordAlgorithm(msg: StunMessage): PasswordAlgorithmValue | undefined {
  const attribute = msg.get(AttributeType.PASSWORD_ALGORITHM);
  return attribute === undefined ? undefined : readEntries(msg, attribute, true)[0];
}
export function addPasswordAlgorithm(builder: MessageBuilder, algorithm: number, parameters: Uint8Array = EMPTY): MessageBuilder {
  return writeEntries(builder, AttributeType.PASSWORD_ALGORITHM, [{ algorithm, parameters }]);
}

export const USERHASH_LENGTH = 32;

/** USERHASH: SHA-256 of `username ":" realm` (see `userHash`), a 32-byte view of the message. */
export function getUserHash(msg: StunMessage): Buffer | undefined {
  return fixedLength(msg, AttributeType.USERHASH, USERHASH_LENGTH)?.value;
}
export function addUserHash(builder: MessageBuilder, hash: Uint8Array): MessageBuilder {
  if (hash.length !== USERHASH_LENGTH) {
    throw new StunEncodeError('BAD_VALUE', `userhash of ${hash.length} bytes`);
  }
  return builder.addAttribute(AttributeType.USERHASH, hash);
}
