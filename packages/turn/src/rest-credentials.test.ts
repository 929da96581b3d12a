import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { checkRestCredential, mintRestCredential, parseRestUsername, restPassword } from './rest-credentials.js';

test('a minted credential is expiry:user with base64(HMAC-SHA1(secret, username))', () => {
  const now = Date.UTC(2026, 10, 21, 12, 0, 0);
  const minted = mintRestCredential('north-wind-secret', 'peer-42', 3600, now);
  assert.equal(minted.username, `${now / 1000 + 3600}:peer-42`);
  assert.equal(minted.credential, createHmac('sha1', 'north-wind-secret').update(minted.username).digest('base64'));
  assert.equal(minted.expiresAt, now / 1000 + 3600);
});

test('coturn-compatible: the same formula coturn uses for use-auth-secret', () => {
  // turnutils_uclient -W secret computes this for username "1700000000:alice".
  assert.equal(
    restPassword('secret', '1700000000:alice'),
    createHmac('sha1', 'secret').update('1700000000:alice').digest('base64'),
  );
});

test('check: valid until expiry, refused after, malformed usernames refused', () => {
  const now = 1_800_000_000_000;
  const minted = mintRestCredential('s3cret-s3cret-s3cret', 'u', 60, now);
  const ok = checkRestCredential('s3cret-s3cret-s3cret', minted.username, now + 59_000);
  assert.ok(ok.ok && ok.password === minted.credential && ok.userId === 'u');
  assert.deepEqual(checkRestCredential('s3cret-s3cret-s3cret', minted.username, now + 60_000), { ok: false, reason: 'expired' });
  assert.deepEqual(checkRestCredential('x', 'alice', now), { ok: false, reason: 'malformed' });
  assert.deepEqual(parseRestUsername('1800000000'), { expiresAt: 1800000000, userId: '' });
  assert.equal(parseRestUsername('-5:bob'), null);
});
