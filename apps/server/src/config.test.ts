import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

test('defaults follow the contract', () => {
  const config = loadConfig({ argv: [], env: {} });
  assert.equal(config.port, 8080);
  assert.equal(config.host, '0.0.0.0');
  assert.equal(config.https, false);
  assert.equal(config.roomCapacity, 6);
  assert.equal(config.maxFrameBytes, 65_536);
  assert.equal(config.resumeGraceMs, 15_000);
  assert.equal(config.ringTimeoutMs, 30_000);
  assert.equal(config.logLevel, 'info');
});

test('flags win over env, env wins over the config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rv-config-'));
  const file = join(dir, 'rendezvous.json');
  writeFileSync(file, JSON.stringify({ port: 7000, roomCapacity: 3, 'log-level': 'warn' }));
  const fromFile = loadConfig({ argv: ['--config', file], env: {} });
  assert.equal(fromFile.port, 7000);
  assert.equal(fromFile.roomCapacity, 3);
  assert.equal(fromFile.logLevel, 'warn');
  const fromEnv = loadConfig({ argv: ['--config', file], env: { PORT: '7100' } });
  assert.equal(fromEnv.port, 7100);
  const fromFlag = loadConfig({ argv: ['--config', file, '--port', '7200'], env: { PORT: '7100' } });
  assert.equal(fromFlag.port, 7200);
});

test('every bad setting is reported at once, with where it came from', () => {
  assert.throws(
    () => loadConfig({ argv: ['--port', 'eighty', '--room-capacity', '0'], env: { LOG_LEVEL: 'loud' } }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 3);
      assert.match(error.problems.join('\n'), /--port/);
      assert.match(error.problems.join('\n'), /--room-capacity/);
      assert.match(error.problems.join('\n'), /LOG_LEVEL/);
      return true;
    },
  );
});

test('unknown flags and half a certificate are refused', () => {
  assert.throws(() => loadConfig({ argv: ['--prot', '1'], env: {} }), ConfigError);
  assert.throws(() => loadConfig({ argv: ['--cert', 'a.pem'], env: {} }), /--cert and --key go together/);
});

test('a config file that is missing or not JSON is a clear error', () => {
  assert.throws(() => loadConfig({ argv: ['--config', '/nonexistent/x.json'], env: {} }), /cannot read the file/);
  const dir = mkdtempSync(join(tmpdir(), 'rv-config-'));
  writeFileSync(join(dir, 'bad.json'), '{ nope');
  assert.throws(() => loadConfig({ argv: ['--config', join(dir, 'bad.json')], env: {} }), /not valid JSON/);
  writeFileSync(join(dir, 'unknown.json'), '{"colour":"blue"}');
  assert.throws(() => loadConfig({ argv: ['--config', join(dir, 'unknown.json')], env: {} }), /unknown setting "colour"/);
});

test('HTTPS env accepts the usual spellings; --no-https turns it off', () => {
  assert.equal(loadConfig({ argv: [], env: { HTTPS: 'true' } }).https, true);
  assert.equal(loadConfig({ argv: [], env: { HTTPS: '0' } }).https, false);
  assert.equal(loadConfig({ argv: ['--no-https'], env: { HTTPS: '1' } }).https, false);
});

test('docs/configuration.md documents every option', async () => {
  const { readFileSync } = await import('node:fs');
  const { OPTIONS } = await import('./config-options.js');
  const doc = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
  for (const [key, spec] of Object.entries(OPTIONS)) {
    assert.ok(doc.includes(`\`--${spec.flag}\``), `flag --${spec.flag} is documented`);
    assert.ok(doc.includes(`\`${key}\``), `config key ${key} is documented`);
    if (spec.env !== undefined) {
      assert.ok(doc.includes(`\`${spec.env}\``), `env ${spec.env} is documented`);
    }
  }
});

test('hardening defaults: 4-hour TURN credentials the TURN server accepts, no proxy trust, the own origin only', () => {
  const config = loadConfig({ argv: [], env: {} });
  assert.equal(config.turnCredentialTtl, 14_400);
  assert.equal(config.turnMaxCredentialTtl, 14_400);
  assert.equal(config.trustProxy, false);
  assert.deepEqual(config.allowedOrigins, []);
  assert.equal(config.frameAncestors, "'self'");
  assert.equal(config.iceServersPerAddressPerMinute, 30);
  const listed = loadConfig({
    argv: ['--allowed-origin', 'https://a.example', '--allowed-origin', 'http://b.example:8080'],
    env: {},
  });
  assert.deepEqual(listed.allowedOrigins, ['https://a.example', 'http://b.example:8080']);
  assert.deepEqual(loadConfig({ argv: [], env: { ALLOWED_ORIGINS: 'https://a.example, https://c.example' } }).allowedOrigins, [
    'https://a.example',
    'https://c.example',
  ]);
});

test('settings that contradict each other or smuggle syntax are refused', () => {
  assert.throws(() => loadConfig({ argv: ['--turn-credential-ttl', '86400'], env: {} }), /--turn-max-credential-ttl/);
  assert.equal(
    loadConfig({ argv: ['--turn-credential-ttl', '86400', '--turn-max-credential-ttl', '86400'], env: {} }).turnCredentialTtl,
    86_400,
  );
  assert.throws(() => loadConfig({ argv: ['--http-headers-timeout-ms', '90000'], env: {} }), /--http-request-timeout-ms/);
  assert.throws(() => loadConfig({ argv: ['--allowed-origin', 'https://a.example/path'], env: {} }), /--allowed-origin/);
  assert.throws(() => loadConfig({ argv: ['--frame-ancestors', "'self'; script-src *"], env: {} }), /--frame-ancestors/);
  assert.throws(() => loadConfig({ argv: ['--public-host', 'a.example:443'], env: {} }), /--public-host/);
});

test('a frame-ancestors value that cannot go in a header, and an HTTP cap at or under the signaling cap, are refused', () => {
  // A character past Latin-1 would make every response fail (Node refuses the header), so the server would only serve
  // 500s; other non-ASCII is no valid CSP source either.
  assert.throws(() => loadConfig({ argv: ['--frame-ancestors', "'self' https://例え.jp"], env: {} }), /--frame-ancestors/);
  assert.throws(() => loadConfig({ argv: ['--frame-ancestors', "'self' https://bücher.example"], env: {} }), /--frame-ancestors/);
  assert.equal(
    loadConfig({ argv: ['--frame-ancestors', "'self' https://xn--bcher-kva.example"], env: {} }).frameAncestors,
    "'self' https://xn--bcher-kva.example",
  );
  assert.throws(
    () => loadConfig({ argv: ['--http-connections-per-address', '256', '--max-connections-per-address', '256'], env: {} }),
    /--http-connections-per-address: .*--max-connections-per-address/,
  );
  // Behind a trusted proxy the HTTP cap is off, so it cannot contradict anything.
  assert.equal(
    loadConfig({ argv: ['--http-connections-per-address', '10', '--trust-proxy'], env: {} }).maxHttpConnectionsPerAddress,
    10,
  );
});
