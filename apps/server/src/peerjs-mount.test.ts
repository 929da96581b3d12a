import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';
import { startRendezvous } from './app.js';
import { ConfigError, loadConfig } from './config.js';

const configWith = (argv: string[]) =>
  loadConfig({ argv, env: {}, overrides: { host: '127.0.0.1', port: 0, sfuPort: 0, logLevel: 'silent', turn: false } });

test('--peerjs-path mounts the PeerServer endpoint there: ids over HTTP to any origin, OPEN over WebSocket', async () => {
  const server = await startRendezvous(configWith(['--peerjs-path', '/myapp']));
  try {
    const id = await fetch(`${server.origin}/myapp/peerjs/id?ts=1`, { headers: { origin: 'https://elsewhere.example' } });
    assert.equal(id.status, 200);
    assert.equal(id.headers.get('access-control-allow-origin'), '*');
    assert.match(await id.text(), /^[0-9a-f-]{36}$/);
    assert.equal((await fetch(`${server.origin}/myapp/peerjs/peers`)).status, 401);
    const elsewhere = await fetch(`${server.origin}/peerjs/peerjs/id`);
    assert.match(elsewhere.headers.get('content-type') ?? '', /text\/html/, 'the web app, not the endpoint');
    const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/myapp/peerjs?key=peerjs&id=a1&token=t&version=1.5.5`, {
      origin: 'https://elsewhere.example',
    });
    const first = await new Promise<string>((resolve, reject) => {
      ws.once('message', (data: Buffer) => resolve(data.toString('utf8')));
      ws.once('error', reject);
    });
    assert.deepEqual(JSON.parse(first), { type: 'OPEN' });
    ws.close();
  } finally {
    await server.close();
  }
});

test('--peerjs-path may not take a path the server uses itself', () => {
  for (const path of ['/ws', '/api/x', 'peerjs', '/a b']) {
    assert.throws(() => configWith(['--peerjs-path', path]), ConfigError, path);
  }
  assert.equal(configWith([]).peerjsPath, '/peerjs');
});
