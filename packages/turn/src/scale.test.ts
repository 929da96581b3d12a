/**
 * Scale: 10,000 concurrent allocations, each with a real relay socket (node:dgram on 127.0.0.1), a permission
 * and a channel. Target: the standalone server in at most 150 MB (measured: 120 MB with 10,000 allocations over
 * real client sockets). Here the heap must grow less than 40 MB (measured: 30 MB) and the RSS less than 110 MB
 * (measured: 75-86 MB, the test clients' garbage included, which the RSS keeps). Clients are in-memory
 * links (10,000 client sockets as well would need twice the file descriptors); relay sockets and allocation
 * state, the expensive part, are real.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { StunMethod, addRequestedTransport, getErrorCode } from '@rendezvous/stun';
import { Registry } from 'prom-client';
import { TurnEngine } from './engine.js';
import { MemoryLink } from './test-harness.js';
import { nodeRelayNetwork } from './network.js';
import { mintRestCredential } from './rest-credentials.js';
import { TestClient } from './test-client.js';

const ALLOCATIONS = 10_000;
const SECRET = 'scale-secret-scale-secret';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Each allocation holds a socket: skip where the descriptor limit cannot take them. */
const fdLimit = Number(spawnSync('sh', ['-c', 'ulimit -n']).stdout.toString().trim());
const skip = fdLimit < ALLOCATIONS + 1000 ? `ulimit -n is ${fdLimit}; ${ALLOCATIONS} relay sockets need more` : false;

describe('scale', { timeout: 60_000, skip }, () => {
  it(`holds ${ALLOCATIONS} allocations with relay sockets, permissions and channels in < 40 MB of heap`, async () => {
    const engine = new TurnEngine({
      secret: SECRET,
      network: nodeRelayNetwork,
      registry: new Registry(),
      limits: { maxAllocationsPerUser: ALLOCATIONS, maxAllocationsPerAddress: ALLOCATIONS },
    });
    engine.setListenAddresses(['127.0.0.1']);
    const local = { family: 'IPv4' as const, address: '127.0.0.1', port: 3478 };
    const minted = mintRestCredential(SECRET, 'load', 3600);
    const credentials = { username: minted.username, password: minted.credential };
    const peer = { address: '192.0.2.1', port: 5000 };
    try {
      // One challenge gives the REALM and a NONCE (tied to the client IP, shared by all these ports).
      const probe = new TestClient(() => {}, credentials);
      const first = makeClient(engine, probe, credentials, local, 1).client;
      await first.allocate();
      gc();
      const before = process.memoryUsage();
      const started = performance.now();
      for (let i = 1; i < ALLOCATIONS; i += 500) {
        const batch = Array.from({ length: Math.min(500, ALLOCATIONS - i) }, (_, k) =>
          makeClient(engine, first, credentials, local, i + 1 + k),
        );
        await Promise.all(
          batch.map(async ({ client, link }) => {
            const response = await client.request(StunMethod.Allocate, (b) => addRequestedTransport(b), { sign: true });
            assert.equal(getErrorCode(response), undefined);
            await client.request(
              StunMethod.ChannelBind,
              (b) => {
                b.addUint32(0x000c, 0x40000000);
                b.addAttribute(0x0012, xorPeer(peer, b.transactionId));
              },
              { sign: true },
            );
            link.receiver = undefined; // the test client is done: only the server's state stays
          }),
        );
      }
      const seconds = (performance.now() - started) / 1000;
      gc();
      const after = process.memoryUsage();
      const stats = engine.stats();
      assert.equal(stats.allocations, ALLOCATIONS);
      assert.equal(stats.channels, ALLOCATIONS - 1);
      const rss = (after.rss - before.rss) / 2 ** 20;
      const heap = (after.heapUsed - before.heapUsed) / 2 ** 20;
      console.log(
        `${ALLOCATIONS} allocations in ${seconds.toFixed(1)} s: rss +${rss.toFixed(0)} MB, heap +${heap.toFixed(0)} MB`,
      );
      assert.ok(rss < 110, `rss grew ${rss.toFixed(0)} MB`);
      assert.ok(heap < 40, `heap grew ${heap.toFixed(0)} MB`);
    } finally {
      engine.close();
    }
  });
});

function makeClient(
  engine: TurnEngine,
  template: TestClient,
  credentials: { username: string; password: string },
  local: { family: 'IPv4'; address: string; port: number },
  index: number,
): { client: TestClient; link: MemoryLink } {
  const remote = { family: 'IPv4' as const, address: '10.9.0.1', port: 1024 + index };
  const link = new MemoryLink('udp', remote, local);
  const client = new TestClient((data) => engine.onClientPacket(link, data), credentials);
  client.realm = template.realm;
  client.nonce = template.nonce;
  link.receiver = (data) => client.receive(data);
  return { client, link };
}

/** XOR-PEER-ADDRESS value for an IPv4 peer (the builder's transaction id is not needed for IPv4). */
function xorPeer(peer: { address: string; port: number }, _transactionId: Buffer): Buffer {
  const value = Buffer.alloc(8);
  value[1] = 1;
  value.writeUInt16BE(peer.port ^ 0x2112, 2);
  const octets = peer.address.split('.').map(Number);
  value.writeUInt32BE(((((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0) ^ 0x2112a442) >>> 0, 4);
  return value;
}
