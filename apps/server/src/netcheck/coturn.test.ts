/**
 * The netcheck client against a real TURN server: coturn (`turnserver`), when installed, on free loopback ports
 * with a REST shared secret, TCP and TLS listeners. Proves the long-term auth dance, XOR-RELAYED-ADDRESS
 * decoding and Refresh-to-free over UDP, TCP and TLS against an implementation that is not ours.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { mintRestCredential } from '@rendezvous/turn';
import { loadTls } from '../tls.js';
import { netcheckCommand } from './command.js';
import { stunBinding } from './stun-probe.js';
import { turnAllocate } from './turn-probe.js';

const TURNSERVER = '/usr/bin/turnserver';
const SECRET = 'netcheck-test-secret';
const skip = existsSync(TURNSERVER) ? false : 'coturn (/usr/bin/turnserver) is not installed';

/** A port free for both TCP and UDP on 127.0.0.1 right now. */
async function freePort(): Promise<number> {
  for (;;) {
    const tcp = createTcpServer();
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const port = (tcp.address() as AddressInfo).port;
    const udp = createSocket('udp4');
    const ok = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, '127.0.0.1', () => resolve(true));
    });
    udp.close();
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
    if (ok) {
      return port;
    }
  }
}

let coturn: ChildProcess | undefined;
let dir = '';
let port = 0;
let tlsPort = 0;
let log = '';
let cert = { cert: '', key: '' };

before(async () => {
  if (skip) {
    return;
  }
  dir = mkdtempSync(join(tmpdir(), 'rendezvous-netcheck-'));
  const tls = await loadTls({ dir });
  cert = { cert: tls.cert, key: tls.key };
  writeFileSync(join(dir, 'cert.pem'), tls.cert);
  writeFileSync(join(dir, 'key.pem'), tls.key);
  port = await freePort();
  tlsPort = await freePort();
  // coturn binds with SO_REUSEPORT, so a port already used by another coturn would not fail: hence freePort().
  coturn = spawn(
    TURNSERVER,
    [
      '-n',
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      `--tls-listening-port=${tlsPort}`,
      `--cert=${join(dir, 'cert.pem')}`,
      `--pkey=${join(dir, 'key.pem')}`,
      '--use-auth-secret',
      `--static-auth-secret=${SECRET}`,
      '--realm=netcheck.test',
      '--no-dtls',
      '--allow-loopback-peers',
      '--no-cli',
      '--log-file=stdout',
      '--simple-log',
      `--db=${join(dir, 'turndb')}`,
      `--pidfile=${join(dir, 'turnserver.pid')}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  coturn.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  coturn.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  // Ready when it answers a Binding.
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await stunBinding({ host: '127.0.0.1', port, transport: 'udp' }, { timeoutMs: 200, rtoMs: 50 });
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`coturn did not start: ${String(error)}\n${log}`);
      }
    }
  }
});

after(async () => {
  if (coturn !== undefined && coturn.exitCode === null) {
    const exited = new Promise((resolve) => coturn?.once('exit', resolve));
    coturn.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
    if (coturn.exitCode === null) {
      coturn.kill('SIGKILL');
    }
  }
  if (dir) {
    rmSync(dir, { recursive: true, force: true });
  }
});

const credential = (secret = SECRET) => {
  const { username, credential: password } = mintRestCredential(secret, 'netcheck-test', 600);
  return { username, credential: password };
};

test('TURN Allocate over UDP, TCP and TLS against coturn: relayed address, then freed', { skip }, async () => {
  for (const transport of ['udp', 'tcp', 'tls'] as const) {
    const target = { host: '127.0.0.1', port: transport === 'tls' ? tlsPort : port, transport };
    const result = await turnAllocate(target, credential(), { timeoutMs: 3000, insecure: true });
    assert.equal(result.relayed.address, '127.0.0.1', transport);
    assert.ok(result.relayed.port > 0, transport);
    assert.equal(result.mapped?.address, '127.0.0.1', transport);
    assert.equal(result.lifetime, 600, transport);
    assert.equal(result.freed, true, `${transport}: Refresh with LIFETIME 0 accepted`);
    assert.equal(result.connectMs > 0 || transport === 'udp', true);
  }
  await assert.rejects(
    turnAllocate({ host: '127.0.0.1', port, transport: 'udp' }, credential('wrong-secret'), { timeoutMs: 3000 }),
    /Allocate refused: 401 Unauthorized \(credential refused/,
  );
  await assert.rejects(
    turnAllocate({ host: 'localhost', port: tlsPort, transport: 'tls' }, credential(), { timeoutMs: 3000 }),
    /TLS certificate not trusted .*--insecure accepts it/,
  );
});

test(
  'rendezvous netcheck: fetches ICE servers over HTTPS and checks every url; exit 0, or 1 on a failure',
  { skip },
  async () => {
    let servers: unknown[] = [];
    const web = createHttpsServer(cert, (req, res) => {
      assert.equal(req.url, '/api/ice-servers');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ iceServers: servers }));
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(web.address() as AddressInfo).port}`;
    const run = async (...args: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await netcheckCommand([url, ...args], {
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: (t: string) => (stderr += t) },
      });
      return { code, stdout, stderr };
    };
    try {
      const turnUrls = [
        `turn:127.0.0.1:${port}?transport=udp`,
        `turn:127.0.0.1:${port}?transport=tcp`,
        `turns:localhost:${tlsPort}?transport=tcp`,
      ];
      servers = [{ urls: `stun:127.0.0.1:${port}` }, { urls: turnUrls, ...credential() }];

      const untrusted = await run();
      assert.equal(untrusted.code, 1);
      assert.match(untrusted.stderr, /certificate|self.signed/i);

      const good = await run('--insecure', '--timeout', '3000');
      assert.equal(good.code, 0, good.stdout);
      for (const label of ['STUN UDP', 'TURN UDP', 'TURN TCP', 'TURN TLS']) {
        assert.match(good.stdout, new RegExp(`^${label} .* ok +127\\.0\\.0\\.1:\\d+ +\\d+ ms`, 'm'), label);
      }
      assert.match(good.stdout, /All 4 checks passed\./);

      servers = [{ urls: `stun:127.0.0.1:${port}` }, { urls: turnUrls.slice(0, 1), ...credential('wrong-secret') }];
      const bad = await run('--insecure', '--timeout', '3000');
      assert.equal(bad.code, 1);
      assert.match(bad.stdout, /^TURN UDP .* FAILED +Allocate refused: 401/m);
      assert.match(bad.stdout, /Not offered by this server: TURN TCP, TURN TLS\./);
      assert.match(bad.stdout, /1 of 2 checks failed: TURN UDP\./);

      servers = [];
      const none = await run('--insecure');
      assert.equal(none.code, 0);
      assert.match(none.stdout, /offers no STUN or TURN servers/);
    } finally {
      await new Promise<void>((resolve) => web.close(() => resolve()));
    }
  },
);
