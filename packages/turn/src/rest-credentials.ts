import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * TURN REST API ephemeral credentials (draft-uberti-behave-turn-rest, as coturn's `use-auth-secret`):
 * `username = "<expiry unix seconds>:<user id>"`, `credential = base64(HMAC-SHA1(secret, username))`.
 * The web server mints them per session; the TURN server recomputes the password from the username, so
 * nothing is stored per user.
 */
export interface RestCredential {
  username: string;
  credential: string;
  /** Unix seconds after which the TURN server refuses the username. */
  expiresAt: number;
}

/** The password the TURN server expects for `username` under `secret`. */
export function restPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

export function mintRestCredential(
  secret: string,
  userId: string,
  ttlSeconds: number,
  nowMs: number = Date.now(),
): RestCredential {
  const expiresAt = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiresAt}:${userId}`;
  return { username, credential: restPassword(secret, username), expiresAt };
}

/** Expiry and user of a REST username, or null when it is not of the `expiry:user` form. */
export function parseRestUsername(username: string): { expiresAt: number; userId: string } | null {
  const match = /^(\d{1,12})(?::(.*))?$/s.exec(username);
  if (match === null) {
    return null;
  }
  return { expiresAt: Number(match[1]), userId: match[2] ?? '' };
}

/**
 * Checks a REST credential: well-formed, not expired, expiring no further than `maxTtlSec` from now, and the
 * password matches. Returns the password (the TURN server derives the long-term key from it) or the reason it is
 * refused.
 */
export function checkRestCredential(
  secret: string,
  username: string,
  nowMs: number = Date.now(),
  maxTtlSec: number = Number.POSITIVE_INFINITY,
): { ok: true; password: string; userId: string } | { ok: false; reason: 'malformed' | 'expired' | 'expiry-too-far' } {
  const parsed = parseRestUsername(username);
  if (parsed === null) {
    return { ok: false, reason: 'malformed' };
  }
  if (parsed.expiresAt * 1000 <= nowMs) {
    return { ok: false, reason: 'expired' };
  }
  // A credential minted with a longer TTL than allowed (or forged far ahead with a leaked secret) is refused too.
  if (parsed.expiresAt * 1000 > nowMs + maxTtlSec * 1000) {
    return { ok: false, reason: 'expiry-too-far' };
  }
  return { ok: true, password: restPassword(secret, username), userId: parsed.userId };
}

/** Constant-time comparison of two credentials. */
export function sameCredential(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
