import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { checkRestCredential } from '@rendezvous/turn';
import { hostOf, iceServersFor } from './ice-servers.js';

const req = (host?: string) => ({ headers: host === undefined ? {} : { host } }) as IncomingMessage;

test('the host comes from the Host header, without its port; IPv6 keeps its brackets', () => {
  assert.equal(hostOf(req('192.168.1.20:8080'), 'x'), '192.168.1.20');
  assert.equal(hostOf(req('meet.example.org'), 'x'), 'meet.example.org');
  assert.equal(hostOf(req('[fe80::1]:8443'), 'x'), '[fe80::1]');
  assert.equal(hostOf(req(), 'fallback.local'), 'fallback.local');
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
