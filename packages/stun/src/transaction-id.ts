/**
 * Random 96-bit transaction ids (RFC 8489 §5: "uniformly and randomly chosen from the interval 0 .. 2**96-1,
 * and MUST be cryptographically random"). Drawn from a pool refilled by one `randomFillSync` call per 256
 * ids, so building a request does not cost a call into OpenSSL.
 */
import { randomFillSync } from 'node:crypto';
import { StunEncodeError } from './errors.js';
import { TRANSACTION_ID_LENGTH } from './message-type.js';

const POOL_IDS = 256;
const pool = Buffer.allocUnsafe(POOL_IDS * TRANSACTION_ID_LENGTH);
let used = POOL_IDS * TRANSACTION_ID_LENGTH;

/** Writes 12 fresh random bytes into `target` at `offset`. */
export function writeRandomTransactionId(target: Uint8Array, offset: number): void {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  pool.copy(target, offset, used, used + TRANSACTION_ID_LENGTH);
  used += TRANSACTION_ID_LENGTH;
}

/** A fresh random 12-byte transaction id. */
export function newTransactionId(): Buffer {
  const id = Buffer.allocUnsafe(TRANSACTION_ID_LENGTH);
  writeRandomTransactionId(id, 0);
  return id;
}

/** Throws `StunEncodeError('BAD_TRANSACTION_ID')` unless `id` is 12 bytes. */
export function checkTransactionId(id: Uint8Array): void {
  if (id.length !== TRANSACTION_ID_LENGTH) {
    throw new StunEncodeError('BAD_TRANSACTION_ID', `${id.length} bytes`);
  }
}
