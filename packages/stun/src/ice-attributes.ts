/**
 * ICE connectivity-check attributes (RFC 8445 §7.1.1-7.1.3 and §16.1, https://www.rfc-editor.org/rfc/rfc8445):
 * PRIORITY, USE-CANDIDATE, ICE-CONTROLLED, ICE-CONTROLLING. Browsers put them in the Binding requests
 * they send through a TURN relay and to each other.
 */
import { AttributeType } from './attribute-types.js';
import type { MessageBuilder } from './builder.js';
import { StunEncodeError } from './errors.js';
import type { StunMessage } from './message.js';
import { getUint32, getUint64 } from './values.js';

/** PRIORITY: the candidate priority, an unsigned 32-bit number. */
export function getPriority(msg: StunMessage): number | undefined {
  return getUint32(msg, AttributeType.PRIORITY);
}
export function addPriority(builder: MessageBuilder, priority: number): MessageBuilder {
  return builder.addUint32(AttributeType.PRIORITY, priority);
}

/** USE-CANDIDATE: a flag with no value. */
export function hasUseCandidate(msg: StunMessage): boolean {
  return msg.has(AttributeType.USE_CANDIDATE);
}
export function addUseCandidate(builder: MessageBuilder): MessageBuilder {
  return builder.addEmpty(AttributeType.USE_CANDIDATE);
}

function addTieBreaker(builder: MessageBuilder, type: number, tieBreaker: bigint): MessageBuilder {
  if (tieBreaker < 0n || tieBreaker > 0xffffffffffffffffn) {
    throw new StunEncodeError('BAD_VALUE', 'tie-breaker out of 64 bits');
  }
  const at = builder.reserve(type, 8);
  builder.buffer.writeBigUInt64BE(tieBreaker, at);
  return builder;
}

/** ICE-CONTROLLED: the 64-bit tie-breaker of an agent in the controlled role. */
export function getIceControlled(msg: StunMessage): bigint | undefined {
  return getUint64(msg, AttributeType.ICE_CONTROLLED);
}
export function addIceControlled(builder: MessageBuilder, tieBreaker: bigint): MessageBuilder {
  return addTieBreaker(builder, AttributeType.ICE_CONTROLLED, tieBreaker);
}

/** ICE-CONTROLLING: the 64-bit tie-breaker of an agent in the controlling role. */
export function getIceControlling(msg: StunMessage): bigint | undefined {
  return getUint64(msg, AttributeType.ICE_CONTROLLING);
}
export function addIceControlling(builder: MessageBuilder, tieBreaker: bigint): MessageBuilder {
  return addTieBreaker(builder, AttributeType.ICE_CONTROLLING, tieBreaker);
}
