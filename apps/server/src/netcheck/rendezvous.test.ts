/**
 * `rendezvous netcheck` against the product itself: the HTTP server hands out the built-in TURN server's ICE
 * servers (UDP, TCP and TLS on free ports), and the CLI's client allocates over each transport.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startRendezvous } from '../app.js';
import { loadConfig } from '../config.js';
import { netcheckCommand } from './command.js';

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await netcheckCommand(args, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}

test('netcheck against a running Rendezvous: STUN, and TURN over UDP, TCP and TLS all work', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'rendezvous-netcheck-state-'));
  const config = loadConfig({
    argv: ['--turn-secret', 'netcheck-shared-secret-0123'],
    env: {},
    overrides: { host: '127.0.0.1', port: 0, sfuPort: 0, logLevel: 'silent', turnHost: '127.0.0.1', turnPort: 0, turnTlsPort: 0 },
  });
  const server = await startRendezvous(config, { stateDir });
  try {
    const good = await run([server.origin, '--insecure', '--timeout', '3000']);
    assert.equal(good.code, 0, good.stdout + good.stderr);
    for (const label of ['STUN UDP', 'TURN UDP', 'TURN TCP', 'TURN TLS']) {
      assert.match(good.stdout, new RegExp(`^${label} .* ok +127\\.0\\.0\\.1:\\d+ +\\d+ ms`, 'm'), label);
    }
    assert.match(good.stdout, /All 4 checks passed\./);
    // Every allocation was freed with Refresh(LIFETIME 0), and nothing says otherwise.
    assert.doesNotMatch(good.stdout, /could not free/);
    assert.equal(server.turn?.server.stats().allocations, 0);

    // The certificate is self-signed: without --insecure, TLS fails and the exit code says so.
    const strict = await run([server.origin, '--timeout', '3000']);
    assert.equal(strict.code, 1);
    assert.match(strict.stdout, /^TURN TLS .* FAILED +TLS certificate not trusted/m);
  } finally {
    await server.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test('netcheck: a server without TURN has nothing to check; an unreachable one fails', async () => {
  const config = loadConfig({
    argv: ['--no-turn'],
    env: {},
    overrides: { host: '127.0.0.1', port: 0, sfuPort: 0, logLevel: 'silent' },
  });
  const server = await startRendezvous(config);
  const origin = server.origin;
  try {
    const none = await run([origin]);
    assert.equal(none.code, 0);
    assert.match(none.stdout, /offers no STUN or TURN servers/);
  } finally {
    await server.close();
  }
  const gone = await run([origin, '--timeout', '1000']);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /cannot fetch .*connection refused/);
  const usage = await run(['--bogus']);
  assert.equal(usage.code, 2);
});
