/**
 * The keys MESSAGE-INTEGRITY and MESSAGE-INTEGRITY-SHA256 are computed with (RFC 8489 §9,
 * https://www.rfc-editor.org/rfc/rfc8489#section-9) and the USERHASH value (§14.4).
 */
import { createHash } from 'node:crypto';
import { StunEncodeError } from './errors.js';
import { saslprep } from './saslprep.js';

/** PASSWORD-ALGORITHM values (RFC 8489 §18.5). */
export const PasswordAlgorithm = {
  MD5: 0x0001,
  SHA256: 0x0002,
} as const;

export type PasswordAlgorithm = (typeof PasswordAlgorithm)[keyof typeof PasswordAlgorithm];

/**
 * Long-term credential key (RFC 8489 §9.2.2): MD5 (or SHA-256) of `username ":" realm ":" password`, with
 * SASLprep applied to realm and password (see saslprep.ts for the subset implemented). The username is used as
 * given: it is already in the form the client sent in USERNAME. Cache the result per user; it is 16 or 32 bytes.
 */
export function longTermKey(
  username: string,
  realm: string,
  password: string,
  algorithm: PasswordAlgorithm = PasswordAlgorithm.MD5,
): Buffer {
  const input = `${username}:${saslprep(realm)}:${saslprep(password)}`;
  if (algorithm === PasswordAlgorithm.MD5) {
    return createHash('md5').update(input, 'utf8').digest();
  }
  if (algorithm === PasswordAlgorithm.SHA256) {
    return createHash('sha256').update(input, 'utf8').digest();
  }
  throw new StunEncodeError('BAD_VALUE', `password algorithm ${String(algorithm)}`);
}

/** Short-term credential key (RFC 8489 §9.1.1): the SASLprep'd password itself, UTF-8. ICE uses this. */
export function shortTermKey(password: string): Buffer {
  return Buffer.from(saslprep(password), 'utf8');
}

/** The USERHASH value (RFC 8489 §14.4): SHA-256 of `username ":" realm`. */
export function userHash(username: string, realm: string): Buffer {
  return createHash('sha256')
    .update(`${username}:${saslprep(realm)}`, 'utf8')
    .digest();
}
