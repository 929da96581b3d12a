/**
 * The long-term credential mechanism on the server side, in the order of RFC 8489 §9.2.4
 * (https://www.rfc-editor.org/rfc/rfc8489#section-9.2.4): no integrity → 401 (the challenge, with REALM and
 * NONCE); integrity without USERNAME/REALM/NONCE → 400; a nonce we did not issue to this IP, or expired → 438;
 * an unknown user → 401; a wrong MESSAGE-INTEGRITY(-SHA256) → 401.
 */
import {
  StunErrorCode,
  getNonce,
  getRealm,
  getUsername,
  verifyMessageIntegrity,
  verifyMessageIntegritySha256,
  type StunMessage,
} from '@rendezvous/stun';
import type { CredentialFailure, CredentialResolver, KeyLookup } from './credentials.js';
import type { ClientLink } from './link.js';
import type { NonceIssuer } from './nonce.js';

/** Why a request was refused; 'challenge' is the normal first 401 and not a failure. */
export type AuthFailureReason =
  'challenge' | 'bad-request' | 'stale-nonce' | 'bad-integrity' | 'wrong-credentials' | CredentialFailure;

/** A request that passed authentication: responses to it carry MESSAGE-INTEGRITY made with `key`. */
export interface Authenticated {
  username: string;
  userId: string;
  key: Buffer;
  /** The request used MESSAGE-INTEGRITY-SHA256, so the response does too. */
  sha256: boolean;
}

export type AuthResult =
  | { ok: true; user: Authenticated }
  | { ok: false; status: 400 | 401 | 438; reason: AuthFailureReason; username: string | undefined };

export interface AuthDeps {
  realm: string;
  nonces: NonceIssuer;
  resolve: CredentialResolver;
  now(): number;
}

function fail(status: 400 | 401 | 438, reason: AuthFailureReason, username?: string): AuthResult {
  return { ok: false, status, reason, username };
}

/**
 * Authenticates a request. Synchronous unless the `authenticate` hook returns a promise. Throws
 * StunDecodeError when USERNAME, REALM or NONCE is malformed (the caller answers 400).
 */
export function authenticateRequest(deps: AuthDeps, link: ClientLink, req: StunMessage): AuthResult | Promise<AuthResult> {
  const sha256 = req.integritySha256Offset >= 0;
  if (req.integrityOffset < 0 && !sha256) {
    return fail(StunErrorCode.UNAUTHENTICATED, 'challenge');
  }
  const username = getUsername(req);
  const realm = getRealm(req);
  const nonce = getNonce(req);
  if (username === undefined || realm === undefined || nonce === undefined) {
    return fail(StunErrorCode.BAD_REQUEST, 'bad-request', username);
  }
  if (deps.nonces.check(nonce, link.remote.address, deps.now()) !== 'ok') {
    return fail(StunErrorCode.STALE_NONCE, 'stale-nonce', username);
  }
  const finish = (lookup: KeyLookup): AuthResult => {
    if (!lookup.ok) {
      return fail(StunErrorCode.UNAUTHENTICATED, lookup.reason, username);
    }
    const valid = sha256 ? verifyMessageIntegritySha256(req, lookup.key) : verifyMessageIntegrity(req, lookup.key);
    if (!valid) {
      return fail(StunErrorCode.UNAUTHENTICATED, 'bad-integrity', username);
    }
    return { ok: true, user: { username, userId: lookup.userId, key: lookup.key, sha256 } };
  };
  const lookup = deps.resolve({ username, realm: deps.realm, remote: link.remote, transport: link.transport });
  return lookup instanceof Promise ? lookup.then(finish) : finish(lookup);
}
