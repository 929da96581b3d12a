/**
 * One TURN allocation over one transport (RFC 8656 §7), the way a browser makes it, then freed again:
 *
 *   Allocate (no credentials)          → 401 with REALM and NONCE (RFC 8489 §9.2)
 *   Allocate + USERNAME, REALM, NONCE,
 *     MESSAGE-INTEGRITY                → success: XOR-RELAYED-ADDRESS, XOR-MAPPED-ADDRESS, LIFETIME
 *   Refresh LIFETIME 0 (authenticated) → success: the allocation is deleted (§7.2)
 *
 * A 438 Stale Nonce answer is retried with the new nonce (RFC 8489 §9.2.5).
 */
import {
  addLifetime,
  addNonce,
  addRealm,
  addRequestedTransport,
  addSoftware,
  addUsername,
  getErrorCode,
  getLifetime,
  getNonce,
  getRealm,
  getXorMappedAddress,
  getXorRelayedAddress,
  longTermKey,
  MessageBuilder,
  StunClass,
  StunErrorCode,
  StunMethod,
  TRANSPORT_UDP,
  verifyMessageIntegrity,
  type StunMessage,
  type TransportAddress,
} from '@rendezvous/stun';
import { openStunClient, ProbeError, type StunClient, type StunClientOptions, type StunTarget } from './stun-client.js';
import { errorText, SOFTWARE } from './stun-probe.js';

export interface TurnCredential {
  username: string;
  credential: string;
}

export interface AllocateResult {
  /** The relayed transport address the server allocated for us. */
  relayed: TransportAddress;
  /** Where the server saw us (our server-reflexive address on this transport). */
  mapped: TransportAddress | undefined;
  /** The allocation lifetime the server granted, in seconds. */
  lifetime: number | undefined;
  /** Round trip of the authenticated Allocate. */
  rttMs: number;
  /** TCP/TLS handshake time (0 over UDP). */
  connectMs: number;
  /** Whether the Refresh with LIFETIME 0 was accepted. */
  freed: boolean;
  /** The server address used: "ip:port". */
  server: string;
}

interface Auth {
  username: string;
  password: string;
  realm: string;
  nonce: string;
  key: Buffer;
}

function getText(read: (message: StunMessage) => string | undefined, message: StunMessage): string | undefined {
  try {
    return read(message);
  } catch {
    return undefined;
  }
}

function build(method: number, auth: Auth | undefined, add: (builder: MessageBuilder) => void): Buffer {
  const builder = new MessageBuilder(method, StunClass.Request);
  add(builder);
  addSoftware(builder, SOFTWARE);
  if (auth !== undefined) {
    addUsername(builder, auth.username);
    addRealm(builder, auth.realm);
    addNonce(builder, auth.nonce);
    builder.addMessageIntegrity(auth.key);
  }
  return builder.addFingerprint().build();
}

function errorCodeOf(message: StunMessage): number | undefined {
  try {
    return getErrorCode(message)?.code;
  } catch {
    return undefined;
  }
}

/**
 * Sends an authenticated request. A 438 Stale Nonce, or a 401 that brings a different nonce than the one we
 * used (a fresh challenge: the server lost our state, e.g. it restarted), is retried with the new nonce, at
 * most twice. A success response that carries MESSAGE-INTEGRITY must verify with our key (else it did not come
 * from a server that knows the credential).
 */
async function authenticated(
  client: StunClient,
  method: number,
  auth: Auth,
  add: (builder: MessageBuilder) => void,
): Promise<{ response: StunMessage; rttMs: number }> {
  for (let attempt = 0; ; attempt++) {
    const exchange = await client.request(build(method, auth, add));
    const { response } = exchange;
    if (response.class === StunClass.ErrorResponse && attempt < 2) {
      const code = errorCodeOf(response);
      const nonce = getText(getNonce, response);
      const rechallenge = code === StunErrorCode.UNAUTHENTICATED && nonce !== undefined && nonce !== auth.nonce;
      if (code === StunErrorCode.STALE_NONCE || rechallenge) {
        if (nonce === undefined) {
          throw new ProbeError('BAD_ANSWER', '438 Stale Nonce without a new NONCE');
        }
        auth.nonce = nonce;
        auth.realm = getText(getRealm, response) ?? auth.realm;
        auth.key = longTermKey(auth.username, auth.realm, auth.password);
        continue;
      }
    }
    if (
      response.class === StunClass.SuccessResponse &&
      response.integrityOffset >= 0 &&
      !verifyMessageIntegrity(response, auth.key)
    ) {
      throw new ProbeError('BAD_ANSWER', 'the response failed its MESSAGE-INTEGRITY check');
    }
    return exchange;
  }
}

function refusal(what: string, response: StunMessage): ProbeError {
  const text = errorText(response);
  const code = errorCodeOf(response);
  const hint =
    code === StunErrorCode.UNAUTHENTICATED
      ? ' (credential refused: wrong shared secret, or the username expired)'
      : code === StunErrorCode.ALLOCATION_QUOTA_REACHED
        ? ' (too many allocations for this user)'
        : '';
  return new ProbeError('REFUSED', `${what} refused: ${text}${hint}`);
}

/** Allocates a relay on the TURN server at `target` with `credential`, reports it, and frees it. */
export async function turnAllocate(
  target: StunTarget,
  credential: TurnCredential,
  options: StunClientOptions,
): Promise<AllocateResult> {
  const client = await openStunClient(target, options);
  try {
    const requestUdp = (builder: MessageBuilder): void => {
      addRequestedTransport(builder, TRANSPORT_UDP);
    };
    const first = await client.request(build(StunMethod.Allocate, undefined, requestUdp));
    let auth: Auth | undefined;
    let allocated = first;
    if (first.response.class === StunClass.ErrorResponse) {
      if (errorCodeOf(first.response) !== StunErrorCode.UNAUTHENTICATED) {
        throw refusal('Allocate', first.response);
      }
      const realm = getText(getRealm, first.response);
      const nonce = getText(getNonce, first.response);
      if (realm === undefined || nonce === undefined) {
        throw new ProbeError('BAD_ANSWER', '401 challenge without REALM and NONCE');
      }
      auth = {
        username: credential.username,
        password: credential.credential,
        realm,
        nonce,
        key: longTermKey(credential.username, realm, credential.credential),
      };
      allocated = await authenticated(client, StunMethod.Allocate, auth, requestUdp);
    }
    const { response, rttMs } = allocated;
    if (response.class === StunClass.ErrorResponse) {
      throw refusal('Allocate', response);
    }
    if (response.class !== StunClass.SuccessResponse) {
      throw new ProbeError('BAD_ANSWER', 'unexpected answer to Allocate');
    }
    let relayed: TransportAddress | undefined;
    let mapped: TransportAddress | undefined;
    let lifetime: number | undefined;
    try {
      relayed = getXorRelayedAddress(response);
      mapped = getXorMappedAddress(response);
      lifetime = getLifetime(response);
    } catch {
      throw new ProbeError('BAD_ANSWER', 'malformed attribute in the Allocate response');
    }
    if (relayed === undefined) {
      throw new ProbeError('BAD_ANSWER', 'the Allocate response has no XOR-RELAYED-ADDRESS');
    }

    // Free the allocation at once rather than leave it to expire (RFC 8656 §7.2: Refresh with LIFETIME 0).
    let freed = false;
    try {
      const addZero = (builder: MessageBuilder): void => {
        addLifetime(builder, 0);
      };
      const refreshed =
        auth === undefined
          ? await client.request(build(StunMethod.Refresh, undefined, addZero))
          : await authenticated(client, StunMethod.Refresh, auth, addZero);
      freed = refreshed.response.class === StunClass.SuccessResponse;
    } catch {
      freed = false;
    }
    return { relayed, mapped, lifetime, rttMs, connectMs: client.connectMs, freed, server: client.remote };
  } finally {
    client.close();
  }
}
