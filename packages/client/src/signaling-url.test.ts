import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signalingUrl } from './signaling-url.js';

test('maps http(s) origins to ws(s)://host/ws', () => {
  assert.equal(signalingUrl('https://example.org/room/abc?x=1#y'), 'wss://example.org/ws');
  assert.equal(signalingUrl('http://127.0.0.1:8080/'), 'ws://127.0.0.1:8080/ws');
  assert.equal(signalingUrl(new URL('http://localhost:3000/app')), 'ws://localhost:3000/ws');
  assert.equal(signalingUrl('wss://example.org'), 'wss://example.org/ws');
  assert.equal(signalingUrl('wss://example.org/custom'), 'wss://example.org/custom');
  assert.throws(() => signalingUrl('ftp://example.org'));
});
