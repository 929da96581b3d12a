import { randomFillSync } from 'node:crypto';

/**
 * Random bytes drawn from a pool refilled 4 KiB at a time: one call into the CSPRNG per ~90 sessions instead
 * of two per session. Every byte is handed out once and the pool holds nothing else, so an id is as random
 * as one from its own randomBytes call.
 */
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

function randomText(bytes: number): string {
  if (used + bytes > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const text = pool.toString('base64url', used, used + bytes);
  used += bytes;
  return text;
}

/** 16 url-safe characters (96 random bits). Used for peer ids and call ids. */
export function newId(): string {
  return randomText(12);
}

/** 43 url-safe characters (256 random bits): a bearer credential that resumes a session. */
export function newResumeToken(): string {
  return randomText(32);
}
