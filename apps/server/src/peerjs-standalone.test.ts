import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import WebSocket from 'ws';
import { loadPeerjsStandaloneConfig } from './peerjs-standalone-options.js';
import { startPeerjsStandalone } from './peerjs-standalone.js';

const ENTRY = fileURLToPath(new URL('./main.ts', import.meta.url));

/** `rendezvous peerjs <args>` in a child process, as the bin runs it. */
function runPeerjs(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', ENTRY, 'peerjs', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

function output(child: ChildProcessWithoutNullStreams): { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return { out: () => out, err: () => err };
}

/** The port from the start-up line, once it is out. */
function announcedPort(child: ChildProcessWithoutNullStreams, out: () => string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const check = () => {
      const match = /is running at http:\/\/127\.0\.0\.1:(\d+)\//.exec(out());
      if (match !== null) {
        child.stdout.off('data', check);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening: ${out()}`)));
  });
}

/** Opens a raw peerjs socket and resolves with its first message. */
async function firstMessage(url: string): Promise<{ ws: WebSocket; message: unknown }> {
  const ws = new WebSocket(url);
  const [data] = (await once(ws, 'message')) as [Buffer];
  return { ws, message: JSON.parse(data.toString('utf8')) as unknown };
}

test('rendezvous peerjs: OPEN for a raw client, the id route on its path, /healthz, and exit 0 on SIGTERM', async () => {
  const child = runPeerjs(['--port', '0', '-H', '127.0.0.1', '--path', '/myapp', '-k', 'k1', '--log-level', 'silent']);
  const io = output(child);
  const exited = once(child, 'exit');
  try {
    const port = await announcedPort(child, io.out);
    const origin = `http://127.0.0.1:${port}`;

    const id = await fetch(`${origin}/myapp/k1/id`, { headers: { origin: 'https://app.example' } });
    assert.equal(id.status, 200);
    assert.equal(id.headers.get('access-control-allow-origin'), '*');
    assert.match(await id.text(), /^[0-9a-f-]{36}$/);
    assert.equal((await fetch(`${origin}/myapp/peerjs/id`)).status, 404, 'another key has no id route');
    assert.equal((await fetch(`${origin}/myapp/k1/peers`)).status, 401, 'discovery is off by default');
    assert.deepEqual(await (await fetch(`${origin}/myapp`)).json(), { name: 'Rendezvous PeerServer endpoint' });

    const { ws, message } = await firstMessage(`ws://127.0.0.1:${port}/myapp/peerjs?key=k1&id=a1&token=t1&version=1.5.5`);
    assert.deepEqual(message, { type: 'OPEN' });
    const health = (await (await fetch(`${origin}/healthz`)).json()) as Record<string, unknown>;
    assert.equal(health['status'], 'ok');
    assert.equal(health['peers'], 1);
    const wrongKey = await firstMessage(`ws://127.0.0.1:${port}/myapp/peerjs?key=nope&id=a2&token=t2&version=1.5.5`);
    assert.equal((wrongKey.message as { type: string }).type, 'INVALID-KEY');

    const closed = once(ws, 'close');
    child.kill('SIGTERM');
    const [code, signal] = (await exited) as [number | null, string | null];
    assert.deepEqual({ code, signal }, { code: 0, signal: null }, io.err());
    await closed;
  } finally {
    child.kill('SIGKILL');
  }
});

test('rendezvous peerjs with a bad flag: the reason on stderr and exit code 2', async () => {
  const child = runPeerjs(['--port', '0', '--expire_timeout', 'soon', '--allow-discovery']);
  const io = output(child);
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 2);
  assert.match(io.err(), /--expire_timeout: .*\(got "soon"\)/);
  assert.match(io.err(), /unknown option --allow-discovery \(did you mean --allow_discovery\?/);
  assert.match(io.err(), /Run "rendezvous peerjs --help" for every option\./);
  assert.equal(io.out(), '');
});

test('--allow_discovery lists connected ids; --cors answers only the listed origins; other paths get 404', async () => {
  const config = loadPeerjsStandaloneConfig(
    ['--port', '0', '--host', '127.0.0.1', '--allow_discovery', '--cors', 'https://app.example', '--log-level', 'silent'],
    {},
  );
  const server = await startPeerjsStandalone(config);
  try {
    const { ws, message } = await firstMessage(`ws://127.0.0.1:${server.port}/peerjs?key=peerjs&id=b1&token=t&version=1.5.5`);
    assert.deepEqual(message, { type: 'OPEN' });
    const listed = await fetch(`${server.origin}/peerjs/peers`, { headers: { origin: 'https://app.example' } });
    assert.deepEqual(await listed.json(), ['b1']);
    assert.equal(listed.headers.get('access-control-allow-origin'), 'https://app.example');
    const other = await fetch(`${server.origin}/peerjs/id`, { headers: { origin: 'https://evil.example' } });
    assert.equal(other.status, 200);
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    assert.equal((await fetch(`${server.origin}/nothing/here`)).status, 404);
    const stray = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
    const [, response] = (await once(stray, 'unexpected-response')) as [unknown, { statusCode: number }];
    assert.equal(response.statusCode, 404, 'a WebSocket to another path is refused, not left hanging');
    const metrics = await (await fetch(`${server.origin}/metrics`)).text();
    assert.match(metrics, /^rendezvous_peerjs_peers{kind="ids"} 1$/m);
    ws.close();
  } finally {
    await server.close();
  }
});
