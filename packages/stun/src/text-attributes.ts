/**
 * UTF-8 text attributes: USERNAME (RFC 8489 §14.3), REALM (§14.9), NONCE (§14.10), SOFTWARE (§14.14); and
 * UNKNOWN-ATTRIBUTES (§14.13), a list of 16-bit types. Limits are enforced in both directions, in bytes:
 * USERNAME at most 513 (RFC 5389's bound; RFC 8489 tightened it to 508), the others at most 763 (what a
 * receiver must accept for "fewer than 128 characters"). Writers also refuse 128 characters or more.
 */
import { AttributeType } from './attribute-types.js';
import type { MessageBuilder } from './builder.js';
import { StunDecodeError, StunEncodeError } from './errors.js';
import type { StunAttribute, StunMessage } from './message.js';

export const MAX_USERNAME_BYTES = 513;
export const MAX_TEXT_BYTES = 763;
export const MAX_TEXT_CHARACTERS = 127;

/** Reads an attribute value as UTF-8, refusing more than `maxBytes`. */
export function readString(msg: StunMessage, attribute: StunAttribute, maxBytes: number): string {
  if (attribute.length > maxBytes) {
    throw new StunDecodeError('BAD_ATTRIBUTE', `${attribute.length} bytes, at most ${maxBytes}`, attribute.type);
  }
  const at = attribute.offset + 4;
  return msg.raw.toString('utf8', at, at + attribute.length);
}

function text(msg: StunMessage, type: number, maxBytes: number): string | undefined {
  const attribute = msg.get(type);
  return attribute === undefined ? undefined : readString(msg, attribute, maxBytes);
}

function addText(builder: MessageBuilder, type: number, value: string, maxBytes: number): MessageBuilder {
  // Fewer than 128 characters; UTF-16 length bounds the count of code points from above, so count only when needed.
  if (value.length > MAX_TEXT_CHARACTERS && [...value].length > MAX_TEXT_CHARACTERS) {
    throw new StunEncodeError('VALUE_TOO_LONG', `${[...value].length} characters, at most ${MAX_TEXT_CHARACTERS}`);
  }
  return builder.addString(type, value, maxBytes);
}

export function getUsername(msg: StunMessage): string | undefined {
  return text(msg, AttributeType.USERNAME, MAX_USERNAME_BYTES);
}
export function addUsername(builder: MessageBuilder, username: string): MessageBuilder {
  return builder.addString(AttributeType.USERNAME, username, MAX_USERNAME_BYTES);
}

export function getRealm(msg: StunMessage): string | undefined {
  return text(msg, AttributeType.REALM, MAX_TEXT_BYTES);
}
export function addRealm(builder: MessageBuilder, realm: string): MessageBuilder {
  return addText(builder, AttributeType.REALM, realm, MAX_TEXT_BYTES);
}

export function getNonce(msg: StunMessage): string | undefined {
  return text(msg, AttributeType.NONCE, MAX_TEXT_BYTES);
}
export function addNonce(builder: MessageBuilder, nonce: string): MessageBuilder {
  return addText(builder, AttributeType.NONCE, nonce, MAX_TEXT_BYTES);
}

export function getSoftware(msg: StunMessage): string | undefined {
  return text(msg, AttributeType.SOFTWARE, MAX_TEXT_BYTES);
}
export function addSoftware(builder: MessageBuilder, software: string): MessageBuilder {
  return addText(builder, AttributeType.SOFTWARE, software, MAX_TEXT_BYTES);
}

/** The attribute types listed in UNKNOWN-ATTRIBUTES (in a 420 response), or undefined when absent. */
export function getUnknownAttributes(msg: StunMessage): number[] | undefined {
  const attribute = msg.get(AttributeType.UNKNOWN_ATTRIBUTES);
  if (attribute === undefined) {
    return undefined;
  }
  if ((attribute.length & 1) !== 0) {
    throw new StunDecodeError('BAD_ATTRIBUTE', `odd length ${attribute.length}`, attribute.type);
  }
  const types: number[] = [];
  const at = attribute.offset + 4;
  for (let i = 0; i < attribute.length; i += 2) {
    types.push(msg.raw.readUInt16BE(at + i));
  }
  return types;
}

/** Appends UNKNOWN-ATTRIBUTES listing `types` (typically `request.unknownRequired`). */
export function addUnknownAttributes(builder: MessageBuilder, types: readonly number[]): MessageBuilder {
  for (const type of types) {
    if (!Number.isInteger(type) || type < 0 || type > 0xffff) {
      throw new StunEncodeError('BAD_VALUE', `type ${type}`);
    }
  }
  const at = builder.reserve(AttributeType.UNKNOWN_ATTRIBUTES, types.length * 2);
  const buf = builder.buffer;
  for (let i = 0; i < types.length; i++) {
    buf.writeUInt16BE(types[i]!, at + 2 * i);
  }
  return builder;
}
