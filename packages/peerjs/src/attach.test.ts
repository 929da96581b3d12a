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

  it(
    'a socket past its rate limit has its frames held in order, then is closed with 1008 past rate_limit_hold_frames',
    { timeout: 10_000 },
    async () => {
      const host = await start({ rate_limit_per_second: 1, rate_limit_burst: 2, rate_limit_hold_frames: 2 });
      const open = (id: string) => {
        const ws = new WebSocket(`ws://${host}/peerjs/peerjs?key=peerjs&id=${id}&token=t&version=1.5.5`);
        const frames: string[] = [];
        ws.on('message', (data: Buffer) => frames.push(data.toString('utf8')));
        return { ws, frames, opened: new Promise<void>((resolve) => ws.once('open', () => resolve())) };
      };
      const bob = open('bob');
      const alice = open('alice');
      await Promise.all([bob.opened, alice.opened]);
      const candidate = (n: number) =>
        JSON.stringify({
          type: 'CANDIDATE',
          dst: 'bob',
          payload: { candidate: { candidate: `c${n}` }, type: 'data', connectionId: 'dc_1' },
        });
      const closed = new Promise<number>((resolve) => alice.ws.once('close', (code) => resolve(code)));
      for (let n = 0; n < 6; n++) {
        alice.ws.send(candidate(n));
      }
      assert.equal(await closed, 1008, 'past the burst and the held frames the socket is closed');
      const candidates = () =>
        bob.frames
          .filter((f) => f.includes('CANDIDATE'))
          .map((f) => (JSON.parse(f) as { payload: { candidate: { candidate: string } } }).payload.candidate.candidate);
      while (candidates().length < 2) {
        await new Promise((resolve) => bob.ws.once('message', resolve));
      }
      assert.deepEqual(candidates().slice(0, 2), ['c0', 'c1'], 'the burst is relayed at once, in order');
      bob.ws.close();
    },
  );
});
