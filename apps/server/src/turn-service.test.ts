import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { PROTOCOL_VERSION, type IceServer } from '@rendezvous/protocol';
import { checkRestCredential } from '@rendezvous/turn';
import { startRendezvous } from './app.js';
import { loadConfig } from './config.js';

const run = promisify(execFile);

test("STUN/TURN is on by default: coturn's stunclient is answered, and clients get working credentials", async () => {
  const config = loadConfig({
    argv: ['--turn-secret', 'shared-secret-for-tests'],
    env: {},
    overrides: { host: '127.0.0.1', port: 0, sfuPort: 0, logLevel: 'silent', turnHost: '127.0.0.1', turnPort: 0 },
  });
  const server = await startRendezvous(config);
  try {
    const turn = server.turn;
    assert.ok(turn !== undefined);
    const port = turn.addresses.port;

    // A STUN client no one here wrote gets its reflexive address from the product's port.
    const { stdout } = await run('turnutils_stunclient', ['-p', String(port), '127.0.0.1'], { timeout: 10_000 });
    assert.match(stdout, /UDP reflexive addr: 127\.0\.0\.1:\d+/);

    // Over HTTP…
    const { iceServers } = (await (await fetch(`${server.origin}/api/ice-servers`)).json()) as { iceServers: IceServer[] };
    assert.deepEqual(iceServers[0], { urls: `stun:127.0.0.1:${port}` });
    const relay = iceServers[1];
    assert.deepEqual(relay?.urls, [`turn:127.0.0.1:${port}?transport=udp`, `turn:127.0.0.1:${port}?transport=tcp`]);
    const check = checkRestCredential('shared-secret-for-tests', String(relay?.username));
    assert.ok(check.ok && check.password === relay?.credential);

    // …and in every signaling welcome, minted for that session's peer id.
    const ws = new WebSocket(server.origin.replace('http', 'ws') + '/ws');
    await once(ws, 'open');
    ws.send(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION, displayName: 'Ada' }));
    const [data] = (await once(ws, 'message')) as [Buffer];
    const welcome = JSON.parse(String(data)) as { peerId: string; iceServers: IceServer[] };
    assert.match(String(welcome.iceServers[1]?.username), new RegExp(`^\\d+:${welcome.peerId}$`));
    ws.close(1000);

    // TURN lifecycle feeds /metrics next to signaling.
    const metrics = await (await fetch(`${server.origin}/metrics`)).text();
    for (const name of [
      'rendezvous_turn_allocations',
      'rendezvous_turn_relayed_bytes_total',
      'rendezvous_turn_auth_failures_total',
      'rendezvous_signaling_sessions',
    ]) {
      assert.match(metrics, new RegExp(`^# TYPE ${name} `, 'm'), name);
    }
  } finally {
    await server.close();
  }
});

test('--no-turn: no STUN/TURN server and no ICE servers handed out', async () => {
  const config = loadConfig({
    argv: ['--no-turn'],
    env: {},
    overrides: { host: '127.0.0.1', port: 0, sfuPort: 0, logLevel: 'silent' },
  });
  const server = await startRendezvous(config);
  try {
    assert.equal(server.turn, undefined);
    const body = (await (await fetch(`${server.origin}/api/ice-servers`)).json()) as { iceServers: unknown[] };
    assert.deepEqual(body.iceServers, []);
  } finally {
    await server.close();
  }
});
