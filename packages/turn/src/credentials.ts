/**
 * Where the long-term key of a username comes from (RFC 8489 §9.2.2): the `authenticate` hook when given,
 * otherwise static users, then TURN REST API credentials under the shared secret (rest-credentials.ts).
 * The server never stores a password; it derives the key per request.
 */
import { longTermKey } from '@rendezvous/stun';
import type { AuthenticateHook, Clock, TurnAuthContext, TurnAuthResult } from './options.js';
import { checkRestCredential } from './rest-credentials.js';

export type CredentialFailure = 'unknown-user' | 'expired' | 'expiry-too-far' | 'hook-error';

export type KeyLookup = { ok: true; key: Buffer; userId: string } | { ok: false; reason: CredentialFailure };

export type CredentialResolver = (ctx: TurnAuthContext) => KeyLookup | Promise<KeyLookup>;

export interface CredentialSources {
  realm: string;
  secret?: string;
  users?: Readonly<Record<string, string>>;
  authenticate?: AuthenticateHook;
  clock: Clock;
  /** REST credentials expiring further than this from now are refused (`maxCredentialTtlSec`). */
  maxCredentialTtlSec?: number;
}

function fromHook(result: TurnAuthResult | null, username: string): KeyLookup {
  if (result === null || result === undefined) {
    return { ok: false, reason: 'unknown-user' };
  }
  if (result instanceof Uint8Array) {
    return { ok: true, key: Buffer.from(result), userId: username };
  }
  return { ok: true, key: Buffer.from(result.key), userId: result.userId ?? username };
}

export function createCredentialResolver(sources: CredentialSources): CredentialResolver {
  const { realm, secret, users, authenticate, clock, maxCredentialTtlSec } = sources;
  if (authenticate !== undefined) {
    return (ctx) => {
      try {
        const result = authenticate(ctx);
        if (result instanceof Promise) {
          return result.then(
            (value) => fromHook(value, ctx.username),
            (): KeyLookup => ({ ok: false, reason: 'hook-error' }),
          );
        }
        return fromHook(result, ctx.username);
      } catch {
        return { ok: false, reason: 'hook-error' };
      }
    };
  }
  return ({ username }) => {
    if (users !== undefined && Object.hasOwn(users, username)) {
      return { ok: true, key: longTermKey(username, realm, users[username]!), userId: username };
    }
    if (secret !== undefined && secret !== '') {
      const rest = checkRestCredential(secret, username, clock.now(), maxCredentialTtlSec);
      if (rest.ok) {
        return { ok: true, key: longTermKey(username, realm, rest.password), userId: rest.userId || username };
      }
      if (rest.reason !== 'malformed') {
        return { ok: false, reason: rest.reason };
      }
    }
    return { ok: false, reason: 'unknown-user' };
  };
}
