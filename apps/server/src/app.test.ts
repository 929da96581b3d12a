import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '@rendezvous/protocol';
import { startRendezvous } from './app.js';
import { loadConfig } from './config.js';

const testConfig = (argv: string[] = []) =>
  loadConfig({ argv, env: {}, overrides: { host: '127.0.0.1', port: 0, sfuPort: 0, logLevel: 'silent', turn: false } });

test('healthz reports version, uptime, rooms and sessions; metrics are Prometheus text', async () => {
  const server = await startRendezvous(testConfig());
  try {
    const health = (await (await fetch(`${server.origin}/healthz`)).json()) as Record<string, unknown>;
    assert.equal(health['status'], 'ok');
    assert.match(String(health['version']), /^\d+\.\d+\.\d+/);
    assert.equal(typeof health['uptimeSeconds'], 'number');
    assert.equal(health['rooms'], 0);
    assert.equal(health['sessions'], 0);
    const metrics = await fetch(`${server.origin}/metrics`);
    assert.match(metrics.headers.get('content-type') ?? '', /text\/plain/);
    assert.match(await metrics.text(), /rendezvous_signaling_sessions/);
    const missing = await fetch(`${server.origin}/api/nope`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: string }).error, 'NOT_FOUND');
  } finally {
    await server.close();
  }
});

test('app routes serve the web app shell from the build; without a build, a page that says how to build it', async () => {
  const built = mkdtempSync(join(tmpdir(), 'rv-web-'));
  writeFileSync(join(built, 'index.html'), '<!doctype html><title>Rendezvous</title><div id="app"></div>');
  const server = await startRendezvous(testConfig(['--web-root', built]));
  try {
    for (const path of ['/', '/room/brave-otter-lamp', '/call']) {
      const res = await fetch(`${server.origin}${path}`);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await res.text(), /<div id="app"><\/div>/);
    }
    const post = await fetch(`${server.origin}/`, { method: 'POST' });
    assert.equal(post.status, 405);
  } finally {
    await server.close();
  }
  const missing = await startRendezvous(testConfig(['--web-root', join(built, 'no-such-folder')]));
  try {
    const res = await fetch(`${missing.origin}/room/x`);
    assert.equal(res.status, 503);
    assert.match(await res.text(), /not built yet.*npm start/s);
    assert.equal((await fetch(`${missing.origin}/healthz`)).status, 200, 'the rest of the server works');
  } finally {
    await missing.close();
  }
});

test('a start that fails at a later step closes what it had started (the TURN ports are free again)', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const takenPort = (blocker.address() as AddressInfo).port;
  const probe = createSocket('udp4');
  await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
  const turnPort = probe.address().port;
  probe.close();
  const config = loadConfig({
    argv: [],
    env: {},
    overrides: { host: '127.0.0.1', port: takenPort, sfuPort: 0, logLevel: 'silent', turnHost: '127.0.0.1', turnPort },
  });
  await assert.rejects(startRendezvous(config), /EADDRINUSE/);
  blocker.close();
  const again = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    again.once('error', reject);
    again.bind(turnPort, '127.0.0.1', resolve);
  });
  again.close();
});

test('--https without a certificate generates a self-signed one and serves TLS', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'rv-tls-'));
  const server = await startRendezvous(testConfig(['--https']), { stateDir });
  try {
    assert.equal(server.scheme, 'https');
    assert.equal(server.selfSignedCert, true);
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(`${server.origin}/healthz`, { rejectUnauthorized: false }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal((JSON.parse(body) as { status: string }).status, 'ok');
  } finally {
    await server.close();
  }
});

test('on SIGTERM the server tells clients, closes sockets and exits 0', async () => {
  const entry = fileURLToPath(new URL('./main.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      entry,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--turn-host',
      '127.0.0.1',
      '--turn-port',
      '0',
      '--sfu-port',
      '0',
      '--log-level',
      'silent',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /Local:\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (match) {
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}: ${out}`)));
  });
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  const messages: Array<{ type: string }> = [];
  ws.on('message', (data) => messages.push(JSON.parse((data as Buffer).toString('utf8')) as { type: string }));
  await once(ws, 'open');
  ws.send(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION, displayName: 'Ada' }));
  while (!messages.some((m) => m.type === 'welcome')) {
    await once(ws, 'message');
  }
  const closed = once(ws, 'close');
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [closeCode] = (await closed) as [number];
  const [exitCode] = (await exited) as [number];
  assert.ok(
    messages.some((m) => m.type === 'shutdown'),
    'client was told about the shutdown',
  );
  assert.equal(closeCode, 1001);
  assert.equal(exitCode, 0);
  assert.match(out, /TURN secret: random for this run \(.{4}…\)/);
  assert.doesNotMatch(out, /[A-Za-z0-9_-]{32}/, 'the random TURN secret (32 characters) is never printed whole');
});
