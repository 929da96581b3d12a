import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import WebSocket from 'ws';
import type { RunningServer } from './app.js';
import { createClientView } from './client-address.js';
import { createOriginPolicy } from './origin-policy.js';
import { startTestServer } from './test-raw-http.js';
import { createTrustedHosts } from './trusted-hosts.js';

const request = (headers: Record<string, string>) =>
  ({ headers, socket: { remoteAddress: '127.0.0.1' } }) as unknown as IncomingMessage;

function policy(
  options: { allowedOrigins?: string[]; publicHost?: string; trustProxy?: boolean; scheme?: 'http' | 'https' } = {},
) {
  const trustedHosts = createTrustedHosts({
    publicHost: options.publicHost,
    allowedOrigins: options.allowedOrigins ?? [],
    interfaces: () => ['192.168.1.20', 'fe80::1%eth0'],
  });
  const client = createClientView({ trustProxy: options.trustProxy ?? false, scheme: options.scheme ?? 'http' });
  return createOriginPolicy({ allowedOrigins: options.allowedOrigins ?? [], trustedHosts, client });
}

test('origin policy: own origin on a trusted host, dev localhost, the allow-list; not null, not foreign, not rebound DNS', () => {
  const check = policy({ allowedOrigins: ['https://app.example.org'], publicHost: 'meet.example.org', scheme: 'https' });
  assert.equal(check(undefined, request({ host: 'meet.example.org' })), true, 'no Origin: not a browser');
  assert.equal(check('https://meet.example.org', request({ host: 'meet.example.org' })), true, 'own origin');
  assert.equal(check('https://meet.example.org:443', request({ host: 'meet.example.org:443' })), true, 'default port');
  assert.equal(check('http://meet.example.org', request({ host: 'meet.example.org' })), false, 'wrong scheme');
  assert.equal(check('https://192.168.1.20:8443', request({ host: '192.168.1.20:8443' })), true, 'LAN address');
  assert.equal(check('https://app.example.org', request({ host: 'meet.example.org' })), true, '--allowed-origin');
  assert.equal(check('null', request({ host: 'meet.example.org' })), false, 'opaque origin');
  assert.equal(check('https://evil.example', request({ host: 'meet.example.org' })), false, 'foreign');
  assert.equal(
    check('https://evil.example', request({ host: 'evil.example' })),
    false,
    'DNS rebinding: Host matches but is not ours',
  );
  assert.equal(check('http://localhost:5173', request({ host: 'meet.example.org' })), false, 'localhost page, public host');
  assert.equal(check('not a url', request({ host: 'meet.example.org' })), false);
  const dev = policy();
  assert.equal(dev('http://localhost:5173', request({ host: '127.0.0.1:8080' })), true, 'dev server on another port');
  assert.equal(dev('http://[::1]:3000', request({ host: 'localhost:8080' })), true);
  assert.equal(dev('http://evil.example', request({ host: '127.0.0.1:8080' })), false);
});

test('origin policy behind a trusted proxy uses X-Forwarded-Proto and X-Forwarded-Host; without trust it ignores them', () => {
  const headers = { host: '127.0.0.1:8080', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'meet.example.org' };
  assert.equal(policy({ publicHost: 'meet.example.org', trustProxy: true })('https://meet.example.org', request(headers)), true);
  assert.equal(policy({ publicHost: 'meet.example.org' })('https://meet.example.org', request(headers)), false);
});

/** Opens /ws with `origin` (none when undefined); resolves with the HTTP status of the handshake (101 on success). */
async function handshake(server: RunningServer, origin: string | undefined): Promise<{ status: number; body: string }> {
  const ws = new WebSocket(`${server.origin.replace(/^http/, 'ws')}/ws`, origin === undefined ? {} : { origin });
  const result = await Promise.race([
    once(ws, 'open').then(() => ({ status: 101, body: '' })),
    once(ws, 'unexpected-response').then(async (args) => {
      const response = args[1] as IncomingMessage;
      let body = '';
      for await (const chunk of response) {
        body += String(chunk);
      }
      return { status: response.statusCode ?? 0, body };
    }),
  ]);
  ws.on('error', () => {});
  ws.terminate();
  return result;
}

test('a refused own origin on an untrusted host is reported once per host, for the --public-host hint', () => {
  const reported: string[] = [];
  const trustedHosts = createTrustedHosts({ publicHost: undefined, allowedOrigins: [], interfaces: () => [] });
  const client = createClientView({ trustProxy: false, scheme: 'https' });
  const check = createOriginPolicy({
    allowedOrigins: [],
    trustedHosts,
    client,
    onUntrustedOwnHost: (host) => reported.push(host),
  });
  assert.equal(check('https://meet.example.org', request({ host: 'meet.example.org' })), false);
  assert.equal(check('https://meet.example.org', request({ host: 'meet.example.org' })), false);
  assert.equal(check('https://evil.example', request({ host: 'meet.example.org' })), false, 'foreign: not a hint');
  for (let i = 0; i < 40; i++) {
    check(`https://h${i}.example`, request({ host: `h${i}.example` }));
  }
  assert.equal(reported[0], 'meet.example.org');
  assert.equal(reported.filter((host) => host === 'meet.example.org').length, 1);
  assert.equal(reported.length, 16, 'bounded');
});

test('through a real server: a foreign Origin gets 403 ORIGIN_REFUSED at the handshake; the own origin is accepted', async () => {
  const server = await startTestServer({ allowedOrigins: ['https://app.example.org'] });
  try {
    const refused = await handshake(server, 'https://evil.example');
    assert.equal(refused.status, 403);
    assert.equal((JSON.parse(refused.body) as { error: string }).error, 'ORIGIN_REFUSED');
    assert.equal((await handshake(server, 'null')).status, 403);
    assert.equal((await handshake(server, server.origin)).status, 101, `own origin ${server.origin}`);
    assert.equal((await handshake(server, 'https://app.example.org')).status, 101);
    assert.equal((await handshake(server, 'http://localhost:5173')).status, 101, 'development: reached by a loopback name');
    assert.equal((await handshake(server, undefined)).status, 101, 'not a browser');
  } finally {
    await server.close();
  }
});
