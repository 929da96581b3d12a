export * from './errors.js';
export * from './message-type.js';
export * from './attribute-types.js';
export { StunAttribute, StunMessage, decodeMessage, isStunMessage } from './message.js';
export { MessageBuilder, type MessageBuilderOptions } from './builder.js';
export { newTransactionId } from './transaction-id.js';
export {
  FINGERPRINT_XOR,
  verifyFingerprint,
  verifyMessageIntegrity,
  verifyMessageIntegritySha256,
  type IntegrityKey,
} from './integrity.js';
export { PasswordAlgorithm, longTermKey, shortTermKey, userHash } from './keys.js';
export { saslprep } from './saslprep.js';
export { crc32 } from './crc32.js';
export * from './ip.js';
export * from './address-attributes.js';
export * from './text-attributes.js';
export * from './error-codes.js';
export * from './turn-attributes.js';
export * from './ice-attributes.js';
export * from './auth-attributes.js';
export { getUint32, getUint64 } from './values.js';
export * from './channel-data.js';
export { StreamFramer } from './framer.js';
