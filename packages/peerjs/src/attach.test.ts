import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { attachPeerjs, type PeerjsServer } from './attach.js';
import type { PeerjsLimits } from './options.js';

let server: Server | undefined;
let peerjs: PeerjsServer | undefined;
afterEach(async () => {
  peerjs?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

async function start(limits: Partial<PeerjsLimits> = {}): Promise<string> {
  const http = createServer();
  const attached = attachPeerjs({ server: http, path: '/peerjs', limits, newId: () => 'fresh-id' });
  http.on('request', (req, res) => {
    if (!attached.handleRequest(req, res)) {
      res.writeHead(418).end();
    }
  });
  server = http;
  peerjs = attached;
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(http.address() as AddressInfo).port}`;
}

describe('attachPeerjs', () => {
  it('hands out an id as text, to any origin', async () => {
    const host = await start();
    const res = await fetch(`http://${host}/peerjs/peerjs/id?ts=1&version=1.5.5`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(await res.text(), 'fresh-id');
  });

  it('lists peers only with allow_discovery (else 401), and leaves other paths alone', async () => {
    let host = await start();
    assert.equal((await fetch(`http://${host}/peerjs/peerjs/peers`)).status, 401);
    assert.equal((await fetch(`http://${host}/elsewhere`)).status, 418);
    peerjs?.close();
    server?.close();
    host = await start({ allow_discovery: true });
    const ws = new WebSocket(`ws://${host}/peerjs/peerjs?key=peerjs&id=alice&token=t&version=1.5.5`);
    const first = await new Promise<string>((resolve) => ws.once('message', (data: Buffer) => resolve(data.toString('utf8'))));
    assert.deepEqual(JSON.parse(first), { type: 'OPEN' });
    assert.deepEqual(await (await fetch(`http://${host}/peerjs/peerjs/peers`)).json(), ['alice']);
    ws.close();
  });
});
