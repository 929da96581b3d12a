import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  AttributeType,
  StunMethod,
  addRequestedTransport,
  getErrorCode,
  getMappedAddress,
  getNonce,
  getRealm,
  getSoftware,
  getXorMappedAddress,
  longTermKey,
  verifyMessageIntegrity,
  verifyMessageIntegritySha256,
  type StunMessage,
} from '@rendezvous/stun';
import type { AuthFailureInfo } from './events.js';
import { REALM, startEngine, type Harness } from './test-harness.js';

const code = (msg: StunMessage): number | undefined => getErrorCode(msg)?.code;

describe('authentication (RFC 8489 §9.2.4)', { timeout: 10_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('answers a request without credentials with 401, REALM and a NONCE, unsigned, without SOFTWARE', async () => {
    h = startEngine();
    const { client } = h.connect();
    const response = await client.request(StunMethod.Allocate, (b) => addRequestedTransport(b));
    assert.equal(code(response), 401);
    assert.equal(getRealm(response), REALM);
    assert.match(getNonce(response) ?? '', /^[A-Za-z0-9_-]{22}$/);
    assert.equal(response.integrityOffset, -1);
    assert.equal(getSoftware(response), undefined, 'unauthenticated replies carry no SOFTWARE');
    assert.equal(await h.metric('rendezvous_turn_auth_failures_total'), 0, 'the challenge is not a failure');
  });

  it('signs the responses of authenticated requests, and adds FINGERPRINT only when the request had one', async () => {
    h = startEngine();
    const { client } = h.connect();
    const allocated = await client.allocate();
    assert.equal(code(allocated), undefined);
    assert.ok(verifyMessageIntegrity(allocated, client.key));
    assert.equal(getSoftware(allocated), 'Rendezvous TURN', 'authenticated replies name the software');
    assert.equal(allocated.fingerprintOffset, -1);
    const refreshed = await client.request(StunMethod.Refresh, undefined, { sign: true, fingerprint: true });
    assert.ok(verifyMessageIntegrity(refreshed, client.key));
    assert.ok(refreshed.fingerprintOffset > 0);
  });

  it('accepts MESSAGE-INTEGRITY-SHA256 and answers with it', async () => {
    h = startEngine();
    const { client } = h.connect();
    await client
      .request(StunMethod.Allocate, (b) => addRequestedTransport(b))
      .then((r) => {
        client.realm = getRealm(r);
        client.nonce = getNonce(r);
      });
    const response = await client.request(StunMethod.Allocate, (b) => addRequestedTransport(b), { sign: true, sha256: true });
    assert.equal(code(response), undefined);
    assert.ok(verifyMessageIntegritySha256(response, client.key));
    assert.equal(response.integrityOffset, -1);
  });

  it('refuses a wrong password with 401 (static users) and reports the failure', async () => {
    h = startEngine({ users: { bob: 'right-password' } });
    const failures: AuthFailureInfo[] = [];
    h.engine.events.on('auth-failure', (info) => failures.push(info));
    const good = h.connect({ credentials: { username: 'bob', password: 'right-password' } }).client;
    assert.equal(code(await good.allocate()), undefined);
    const bad = h.connect({ credentials: { username: 'bob', password: 'wrong' } }).client;
    const response = await bad.allocate();
    assert.equal(code(response), 401);
    assert.ok(getNonce(response) !== undefined && getRealm(response) === REALM);
    assert.deepEqual(
      failures.map((f) => [f.reason, f.username, f.method]),
      [['bad-integrity', 'bob', 'Allocate']],
    );
    assert.equal(await h.metric('rendezvous_turn_auth_failures_total', { reason: 'bad-integrity' }), 1);
  });

  it('refuses an unknown user and an expired REST credential with 401', async () => {
    h = startEngine();
    const unknown = h.connect({ credentials: { username: 'nobody', password: 'x' } }).client;
    assert.equal(code(await unknown.allocate()), 401);
    const credentials = h.rest('carol', 60);
    const { client } = h.connect({ credentials });
    assert.equal(code(await client.allocate()), undefined, 'valid before expiry');
    h.clock.advance(61_000);
    const late = h.connect({ credentials }).client;
    assert.equal(code(await late.allocate()), 401);
    assert.equal(await h.metric('rendezvous_turn_auth_failures_total', { reason: 'expired' }), 1);
    assert.equal(await h.metric('rendezvous_turn_auth_failures_total', { reason: 'unknown-user' }), 1);
  });

  it('answers an expired nonce with 438 and a fresh NONCE, and the retry succeeds', async () => {
    h = startEngine({ limits: { nonceLifetimeSec: 60, defaultLifetimeSec: 600 } });
    const { client } = h.connect();
    assert.equal(code(await client.allocate()), undefined);
    const old = client.nonce;
    h.clock.advance(61_000);
    const stale = await client.request(StunMethod.Refresh, undefined, { sign: true });
    assert.equal(code(stale), 438);
    assert.equal(getRealm(stale), REALM);
    assert.notEqual(getNonce(stale), old);
    assert.equal(code(await client.refresh()), undefined, 'call() takes the new nonce');
  });

  it('answers a nonce issued to another client IP with 438', async () => {
    h = startEngine();
    const a = h.connect().client;
    assert.equal(code(await a.allocate()), undefined);
    const b = h.connect({ remote: { family: 'IPv4', address: '203.0.113.99', port: 5000 } }).client;
    b.realm = a.realm;
    b.nonce = a.nonce;
    const response = await b.request(StunMethod.Allocate, (x) => addRequestedTransport(x), { sign: true });
    assert.equal(code(response), 438);
  });

  it('answers 400 to integrity without USERNAME/REALM/NONCE', async () => {
    h = startEngine();
    const { client } = h.connect();
    const key = longTermKey('alice', REALM, 'x');
    const response = await client.request(StunMethod.Allocate, (b) => {
      addRequestedTransport(b);
      b.addMessageIntegrity(key);
    });
    assert.equal(code(response), 400);
  });

  it('answers 441 when a request for an existing allocation uses another username', async () => {
    h = startEngine();
    const { client } = h.connect();
    assert.equal(code(await client.allocate()), undefined);
    client.credentials = h.rest('mallory');
    const response = await client.refresh();
    assert.equal(code(response), 441);
    assert.ok(verifyMessageIntegrity(response, client.key), 'signed with the requester key');
    assert.equal(await h.metric('rendezvous_turn_auth_failures_total', { reason: 'wrong-credentials' }), 1);
  });

  it('uses the authenticate hook, sync or async, and refuses when it returns null or throws', async () => {
    const keys = new Map([['dave', longTermKey('dave', REALM, 'pw')]]);
    let mode: 'sync' | 'async' | 'throw' = 'sync';
    h = startEngine({
      authenticate: (ctx) => {
        assert.equal(ctx.realm, REALM);
        if (mode === 'throw') {
          throw new Error('database down');
        }
        const key = keys.get(ctx.username) ?? null;
        return mode === 'async' ? Promise.resolve(key === null ? null : { key, userId: 'user-dave' }) : key;
      },
    });
    assert.equal(code(await h.connect({ credentials: { username: 'dave', password: 'pw' } }).client.allocate()), undefined);
    mode = 'async';
    assert.equal(code(await h.connect({ credentials: { username: 'dave', password: 'pw' } }).client.allocate()), undefined);
    assert.equal(code(await h.connect({ credentials: { username: 'erin', password: 'pw' } }).client.allocate()), 401);
    mode = 'throw';
    assert.equal(code(await h.connect({ credentials: { username: 'dave', password: 'pw' } }).client.allocate()), 401);
    assert.equal(await h.metric('rendezvous_turn_auth_failures_total', { reason: 'hook-error' }), 1);
  });

  it('refuses every TURN request when no credential source is configured', async () => {
    h = startEngine({ secret: undefined });
    assert.equal(code(await h.connect().client.allocate()), 401);
  });

  it('answers Binding without authentication with XOR-MAPPED-ADDRESS only (no MAPPED-ADDRESS, no SOFTWARE)', async () => {
    h = startEngine();
    const remote = { family: 'IPv4' as const, address: '203.0.113.7', port: 61000 };
    const { client } = h.connect({ remote, credentials: null });
    const plain = await client.request(StunMethod.Binding);
    assert.deepEqual(getXorMappedAddress(plain), remote);
    assert.equal(getMappedAddress(plain), undefined);
    assert.equal(getSoftware(plain), undefined);
    assert.equal(plain.fingerprintOffset, -1);
    assert.ok((await client.request(StunMethod.Binding, undefined, { fingerprint: true })).fingerprintOffset > 0);
    assert.ok(!plain.has(AttributeType.MESSAGE_INTEGRITY));
  });
});
