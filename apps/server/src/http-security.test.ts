import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { IceServer } from '@rendezvous/protocol';
import { rawGet, rawRequest, startTestServer, type RawResponse } from './test-raw-http.js';

/** A built web app in miniature: the shell, one asset, and the source map a production build must not serve. */
function webRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rv-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("app");\n//# sourceMappingURL=app.js.map\n');
  writeFileSync(join(dir, 'assets', 'app.js.map'), '{"version":3,"sources":["secret.ts"]}');
  return dir;
}

const csp = (response: RawResponse) => response.headers['content-security-policy'] ?? '';

test('web-app pages and the API carry CSP (with frame-ancestors), Referrer-Policy and nosniff; no HSTS over http', async () => {
  const server = await startTestServer({ webRoot: webRoot() });
  try {
    for (const path of ['/', '/room/brave-otter-lamp', '/assets/app.js', '/healthz', '/api/nope']) {
      const response = await rawGet(server, path);
      assert.ok(response.status === 200 || response.status === 404, `${path}: ${response.status}`);
      assert.match(csp(response), /default-src 'self'/, path);
      assert.match(csp(response), /script-src 'self' 'wasm-unsafe-eval'(;|$)/, path);
      assert.match(csp(response), /object-src 'none'/, path);
      assert.match(csp(response), /frame-ancestors 'self'/, path);
      assert.equal(response.headers['referrer-policy'], 'no-referrer', path);
      assert.equal(response.headers['x-content-type-options'], 'nosniff', path);
      assert.match(response.headers['permissions-policy'] ?? '', /camera=\(self\)/, path);
      assert.equal(response.headers['strict-transport-security'], undefined, path);
    }
    assert.equal((await rawGet(server, '/')).headers['x-frame-options'], 'SAMEORIGIN');
  } finally {
    await server.close();
  }
});

test('source maps are 404 even when the build folder has them; a backwards Range does not crash the static server', async () => {
  const server = await startTestServer({ webRoot: webRoot() });
  try {
    const map = await rawGet(server, '/assets/app.js.map');
    assert.equal(map.status, 404);
    assert.equal((JSON.parse(map.body) as { error: string }).error, 'NOT_FOUND');
    assert.doesNotMatch(map.body, /secret\.ts/);
    assert.equal((await rawGet(server, '/assets/app.js', { Range: 'bytes=9-1' })).status, 200);
    assert.equal((await rawGet(server, '/assets/app.js', { Range: 'bytes=0-6' })).status, 206);
    assert.equal((await rawGet(server, '/healthz')).status, 200);
  } finally {
    await server.close();
  }
});

test('HSTS only under --https; --frame-ancestors sets the CSP directive', async () => {
  const server = await startTestServer({ webRoot: webRoot(), frameAncestors: "'none'" }, ['--https']);
  try {
    const response = await rawGet(server, '/');
    assert.equal(response.headers['strict-transport-security'], 'max-age=15552000');
    assert.match(csp(response), /frame-ancestors 'none'/);
    assert.equal(response.headers['x-frame-options'], 'DENY');
  } finally {
    await server.close();
  }
});

const turnOn = { turn: true, turnHost: '127.0.0.1', turnPort: 0, turnSecret: 'a-long-shared-secret-for-tests' };
const usernameOf = (response: RawResponse) =>
  String((JSON.parse(response.body) as { iceServers: IceServer[] }).iceServers[1]?.username);

test('/api/ice-servers: GET and HEAD only; other methods get 405 METHOD_NOT_ALLOWED with Allow', async () => {
  const server = await startTestServer(turnOn);
  try {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const response = await rawRequest(
        server,
        `${method} /api/ice-servers HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n`,
      );
      assert.equal(response.status, 405, method);
      assert.equal(response.headers['allow'], 'GET, HEAD');
      assert.equal((JSON.parse(response.body) as { error: string }).error, 'METHOD_NOT_ALLOWED');
    }
    const head = await rawRequest(server, 'HEAD /api/ice-servers HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    assert.equal(head.status, 200);
  } finally {
    await server.close();
  }
});

test('/api/ice-servers is rate limited per address (429 + Retry-After) while another address is served; identity is the address', async () => {
  const server = await startTestServer({ ...turnOn, iceServersPerAddressPerMinute: 3 });
  try {
    for (let i = 0; i < 3; i++) {
      const response = await rawGet(server, '/api/ice-servers', {}, '127.0.0.1');
      assert.equal(response.status, 200, `request ${i + 1}`);
      assert.match(usernameOf(response), /^\d+:ip-127\.0\.0\.1$/);
    }
    const limited = await rawGet(server, '/api/ice-servers', {}, '127.0.0.1');
    assert.equal(limited.status, 429);
    assert.equal((JSON.parse(limited.body) as { error: string }).error, 'HTTP_RATE_LIMITED');
    assert.ok(Number(limited.headers['retry-after']) >= 1, `Retry-After ${limited.headers['retry-after']}`);
    const other = await rawGet(server, '/api/ice-servers', {}, '127.0.0.2');
    assert.equal(other.status, 200);
    assert.match(usernameOf(other), /^\d+:ip-127\.0\.0\.2$/);
    // A forwarded-for header is not believed without --trust-proxy: still limited as 127.0.0.1.
    assert.equal((await rawGet(server, '/api/ice-servers', { 'X-Forwarded-For': '198.51.100.7' }, '127.0.0.1')).status, 429);
  } finally {
    await server.close();
  }
});

test('with --trust-proxy the last X-Forwarded-For hop is the client: its own limit and identity', async () => {
  const server = await startTestServer({ ...turnOn, iceServersPerAddressPerMinute: 1, trustProxy: true });
  try {
    const first = await rawGet(server, '/api/ice-servers', { 'X-Forwarded-For': '10.9.9.9, 203.0.113.9' });
    assert.equal(first.status, 200);
    assert.match(usernameOf(first), /:ip-203\.0\.113\.9$/);
    assert.equal((await rawGet(server, '/api/ice-servers', { 'X-Forwarded-For': '203.0.113.9' })).status, 429);
    assert.equal((await rawGet(server, '/api/ice-servers', { 'X-Forwarded-For': '203.0.113.10' })).status, 200);
  } finally {
    await server.close();
  }
});

test('per-address limits count an IPv6 /64 as one address: two addresses in it share the limit, another /64 does not', async () => {
  const server = await startTestServer({ ...turnOn, iceServersPerAddressPerMinute: 2, trustProxy: true });
  try {
    const from = (address: string) => rawGet(server, '/api/ice-servers', { 'X-Forwarded-For': address });
    const first = await from('2001:db8:1:2::a');
    assert.equal(first.status, 200);
    assert.match(usernameOf(first), /^\d+:ip-2001:db8:1:2::\/64$/, 'one TURN identity per /64');
    assert.equal((await from('2001:DB8:1:2:ffff:eeee:dddd:cccc')).status, 200);
    assert.equal((await from('2001:db8:1:2::b')).status, 429, 'a third address of the same /64');
    assert.equal((await from('2001:db8:1:3::a')).status, 200, 'the next /64 has its own limit');
  } finally {
    await server.close();
  }
});

test('ICE URLs name a trusted host: a forged Host header is not copied, --public-host always is', async () => {
  const urlsOf = (response: RawResponse) =>
    JSON.stringify((JSON.parse(response.body) as { iceServers: IceServer[] }).iceServers.map((s) => s.urls));
  const server = await startTestServer(turnOn);
  try {
    assert.match(urlsOf(await rawGet(server, '/api/ice-servers', { Host: 'localhost:1234' })), /turn:localhost:/);
    const forged = urlsOf(await rawGet(server, '/api/ice-servers', { Host: 'evil.example' }));
    assert.doesNotMatch(forged, /evil/);
    assert.match(forged, /stun:127\.0\.0\.1:/);
  } finally {
    await server.close();
  }
  const named = await startTestServer({ ...turnOn, publicHost: 'meet.example.org' });
  try {
    assert.match(urlsOf(await rawGet(named, '/api/ice-servers', { Host: '127.0.0.1' })), /stun:meet\.example\.org:/);
  } finally {
    await named.close();
  }
});
