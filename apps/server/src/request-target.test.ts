import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTarget, splitHostPort, validHostHeader } from './request-target.js';

test('request targets: clean origin-form paths pass decoded; everything else is refused', () => {
  assert.deepEqual(parseTarget('/room/caf%C3%A9?x=1'), { ok: true, pathname: '/room/café' });
  assert.deepEqual(parseTarget('/'), { ok: true, pathname: '/' });
  assert.deepEqual(parseTarget('/assets/index-CaIi09R4.js'), { ok: true, pathname: '/assets/index-CaIi09R4.js' });
  for (const bad of [
    undefined,
    '',
    '*',
    'http://evil/',
    '//[',
    '//x:99999',
    '/%',
    '/%E0%A4%A',
    '/%C0%AF',
    '/%2e%2e/x',
    '/..%2fetc',
    '/%5c',
    '/%00',
    '/a/../b',
    '/a/./b',
    '/\\x',
    '/[',
    '/%7F',
    '/a b',
  ]) {
    assert.equal(parseTarget(bad).ok, false, String(bad));
  }
});

test('Host headers: names, IPv4, bracketed IPv6, with a port up to 65535', () => {
  for (const good of [undefined, 'localhost', 'meet.example.org:443', '10.0.0.1:8080', '[::1]:8080', '[fe80::1]', 'my_host']) {
    assert.ok(validHostHeader(good), String(good));
  }
  for (const bad of ['', 'a b', '[::1', 'a:99999', 'a:', 'a:b', 'ex@mple', 'a/b']) {
    assert.ok(!validHostHeader(bad), bad);
  }
  assert.deepEqual(splitHostPort('[FE80::1]:8443'), { hostname: 'fe80::1', port: '8443' });
  assert.deepEqual(splitHostPort('Meet.Example.org.:443'), { hostname: 'meet.example.org', port: '443' });
  assert.deepEqual(splitHostPort('::1'), { hostname: '::1', port: undefined });
});
