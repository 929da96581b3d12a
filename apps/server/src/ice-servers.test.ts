import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { checkRestCredential } from '@rendezvous/turn';
import { hostOf, iceServersFor } from './ice-servers.js';

const req = (host?: string, localAddress = '10.0.0.5') =>
  ({ headers: host === undefined ? {} : { host }, socket: { localAddress } }) as unknown as IncomingMessage;
const trusted = { has: (name: string) => ['meet.example.org', '192.168.1.20', 'fe80::1', 'localhost'].includes(name) };
const choice = { publicHost: undefined, trusted, listenHost: undefined, fallback: 'fallback.local' };

test('a trusted Host header names the ICE host, without its port; IPv6 keeps its brackets', () => {
  assert.equal(hostOf(req('192.168.1.20:8080'), choice), '192.168.1.20');
  assert.equal(hostOf(req('Meet.Example.org'), choice), 'meet.example.org');
  assert.equal(hostOf(req('[fe80::1]:8443'), choice), '[fe80::1]');
  assert.equal(hostOf(req('localhost:8080'), choice), 'localhost');
});

test('an untrusted or malformed Host header is not copied: the address the request arrived on is used', () => {
  assert.equal(hostOf(req('evil.example.com'), choice), '10.0.0.5');
  assert.equal(hostOf(req('evil.example.com:443', '::ffff:203.0.113.7'), choice), '203.0.113.7');
  assert.equal(hostOf(req('a b', '2001:db8::7'), choice), '[2001:db8::7]');
  assert.equal(hostOf(req(undefined), choice), '10.0.0.5');
  assert.equal(
    hostOf(req('evil.example.com'), { ...choice, listenHost: '198.51.100.2' }),
    '198.51.100.2',
    'TURN on one address only: that one',
  );
  assert.equal(hostOf(undefined, choice), 'fallback.local');
});

test('--public-host always wins; a trusted proxy can name the host the browser used', () => {
  assert.equal(hostOf(req('192.168.1.20:8080'), { ...choice, publicHost: 'turn.example.net' }), 'turn.example.net');
  const behindProxy = { ...choice, hostHeader: () => 'meet.example.org' };
  assert.equal(hostOf(req('127.0.0.1:8080'), behindProxy), 'meet.example.org');
});

test('STUN plus TURN over UDP and TCP, TLS only when on, with a credential the TURN server accepts', () => {
  const settings = { port: 3478, tlsPort: undefined, secret: 'a-long-shared-secret', ttlSeconds: 600 };
  const now = 1_800_000_000_000;
  const [stun, turn] = iceServersFor(settings, '10.1.2.3', 'peer-1', now);
  assert.deepEqual(stun, { urls: 'stun:10.1.2.3:3478' });
  assert.deepEqual(turn?.urls, ['turn:10.1.2.3:3478?transport=udp', 'turn:10.1.2.3:3478?transport=tcp']);
  const check = checkRestCredential(settings.secret, String(turn?.username), now + 1000);
  assert.ok(check.ok && check.password === turn?.credential && check.userId === 'peer-1');
  const withTls = iceServersFor({ ...settings, tlsPort: 5349 }, 'meet.example.org', 'p', now)[1];
  assert.ok(Array.isArray(withTls?.urls) && withTls.urls.includes('turns:meet.example.org:5349?transport=tcp'));
});
