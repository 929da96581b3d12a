import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { createClientView } from './client-address.js';

function request(headers: Record<string, string>, remoteAddress = '10.0.0.1'): IncomingMessage {
  return { headers, socket: { remoteAddress } } as unknown as IncomingMessage;
}

test('behind a trusted proxy the last X-Forwarded-For hop is the client, with or without a port', () => {
  const view = createClientView({ trustProxy: true, scheme: 'http' });
  assert.equal(view.address(request({ 'x-forwarded-for': '198.51.100.1, 203.0.113.9' })), '203.0.113.9');
  // Some proxies (IIS/ARR, Azure) append the client's port; the address is still the client's, not the proxy's.
  assert.equal(view.address(request({ 'x-forwarded-for': '203.0.113.9:4711' })), '203.0.113.9');
  assert.equal(view.address(request({ 'x-forwarded-for': '[2001:db8::7]:4711' })), '2001:db8::7');
  assert.equal(view.address(request({ 'x-forwarded-for': '::ffff:203.0.113.9' })), '203.0.113.9');
  assert.equal(
    view.limitKey(request({ 'x-forwarded-for': '2001:db8::7' })),
    view.limitKey(request({ 'x-forwarded-for': '2001:db8::8' })),
  );
});

test('garbage, empty or over-long X-Forwarded-For values fall back to the socket address', () => {
  const view = createClientView({ trustProxy: true, scheme: 'http' });
  for (const value of [
    '',
    ' , ',
    'unknown',
    'evil.example',
    '1.2.3.4:99999',
    '1.2.3.4:x',
    '[::1',
    '::1]:80',
    `${'9'.repeat(5000)}`,
    '1.2.3.4 5.6.7.8',
  ]) {
    assert.equal(view.address(request({ 'x-forwarded-for': value })), '10.0.0.1', JSON.stringify(value));
  }
});

test('without --trust-proxy the forwarded headers are ignored', () => {
  const view = createClientView({ trustProxy: false, scheme: 'https' });
  const req = request(
    { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http', host: 'meet.example' },
    '::ffff:192.0.2.5',
  );
  assert.equal(view.address(req), '192.0.2.5');
  assert.equal(view.host(req), 'meet.example');
  assert.equal(view.scheme(req), 'https');
});
