/**
 * Fuzz: 200,000+ random and mutated packets at a listening server over UDP (from sockets that hold allocations,
 * so mutations reach the allocation paths) and TCP (well-framed mutations, and now and then garbage that must
 * close the connection). The server must stay up, keep its memory bounded, and keep serving two valid clients
 * during and after the flood. The seed is fixed; FUZZ_SEED=n replays seed n, FUZZ_SEED=random tries a new one.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fuzzSeed } from '@rendezvous/common';
import { StunMethod, getErrorCode, getXorRelayedAddress, type StunMessage } from '@rendezvous/stun';
import { Rng, frameable, mutate, seeds } from './fuzz-corpus.js';
import { mintRestCredential } from './rest-credentials.js';
import { createTurnServer } from './server.js';
import { closeAllClients, connectUdp, type SocketClient } from './socket-client.js';

const SECRET = 'fuzz-secret-fuzz-secret';
const UDP_PACKETS = 160_000;
const TCP_PACKETS = 48_000;
const rest = (user: string): { username: string; password: string } => {
  const minted = mintRestCredential(SECRET, user, 3600);
  return { username: minted.username, password: minted.credential };
};

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A request with retransmissions (RFC 8489 §6.2.1 style): under a flood, UDP may drop it. */
async function requestWithRetries(client: SocketClient, method: number): Promise<StunMessage> {
  for (let attempt = 0; attempt < 30; attempt++) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, 250, undefined)));
    const response = await Promise.race([client.client.call(method), timeout]);
    clearTimeout(timer);
    if (response !== undefined) {
      return response;
    }
  }
  throw new Error('no answer in 30 tries');
}

describe('fuzz', { timeout: 60_000 }, () => {
  it('survives 200,000+ random and mutated packets over UDP and TCP, with bounded memory, still serving clients', async () => {
    const seed = fuzzSeed(0x7e2f5eed, process.env['FUZZ_SEED']);
    console.log(`fuzz seed ${seed}`);
    const rng = new Rng(seed);
    const server = createTurnServer({ host: '127.0.0.1', port: 0, secret: SECRET, allowPeers: ['127.0.0.0/8'] });
    const { port } = await server.listen();
    try {
      const a = await connectUdp(port, '127.0.0.1', rest('alice'));
      const b = await connectUdp(port, '127.0.0.1', rest('bob'));
      const relayA = getXorRelayedAddress(await a.client.allocate())!;
      const relayB = getXorRelayedAddress(await b.client.allocate())!;
      await a.client.channelBind(0x4000, relayB);
      await b.client.channelBind(0x4001, relayA);

      const fuzzers: SocketClient[] = [];
      const corpus: Buffer[] = [];
      for (let i = 0; i < 8; i++) {
        const fuzzer = await connectUdp(port, '127.0.0.1', rest(`fuzzer${i}`));
        assert.equal(getErrorCode(await fuzzer.client.allocate()), undefined);
        await fuzzer.client.createPermission(relayA);
        const { username, password } = fuzzer.client.credentials!;
        corpus.push(...seeds({ username, password, realm: fuzzer.client.realm!, nonce: fuzzer.client.nonce! }));
        fuzzers.push(fuzzer);
      }

      gc();
      const before = process.memoryUsage();
      let sent = 0;
      let tcpConnections = 0;
      let flooding = true;

      const received = (): number => server.stats().messagesFromClients;
      const start = received();
      const floodUdp = async (): Promise<void> => {
        for (let i = 0; i < UDP_PACKETS; i += 64) {
          for (let j = 0; j < 64; j++) {
            fuzzers[rng.int(fuzzers.length)]!.write(mutate(rng, corpus[rng.int(corpus.length)]!));
          }
          sent += 64;
          // Keep pace with the server (same process) instead of overflowing its socket buffer.
          do {
            await nextTurn();
          } while (sent - (received() - start) > 2000);
        }
      };
      const floodTcp = async (): Promise<void> => {
        let done = 0;
        while (done < TCP_PACKETS) {
          const socket = net.connect({ port, host: '127.0.0.1' });
          tcpConnections++;
          socket.on('error', () => {});
          socket.resume();
          await new Promise((resolve) => socket.once('connect', resolve));
          const closed = new Promise((resolve) => socket.once('close', resolve));
          // A few thousand well-framed packets, then (usually) garbage that must get the connection closed.
          const burst = 2000 + rng.int(4000);
          for (let sentHere = 0; sentHere < burst && done < TCP_PACKETS; sentHere += 100, done += 100) {
            socket.write(
              Buffer.concat(Array.from({ length: 100 }, () => frameable(mutate(rng, corpus[rng.int(corpus.length)]!)))),
            );
            sent += 100;
            await nextTurn();
          }
          if (rng.int(4) !== 0) {
            socket.write(Buffer.from([0xc0, 0xff, 0xee, 0x00, 0x11, 0x22, 0x33, 0x44]));
          } else {
            socket.end();
          }
          await closed;
        }
      };
      const stillServed = async (): Promise<number> => {
        let answered = 0;
        while (flooding) {
          assert.equal(getErrorCode(await requestWithRetries(a, StunMethod.Binding)), undefined);
          answered++;
        }
        return answered;
      };

      const served = stillServed();
      await Promise.all([floodUdp(), floodTcp()]);
      flooding = false;
      const answeredDuring = await served;

      assert.ok(sent >= 200_000, `${sent} packets sent`);
      const handled = received() - start;
      assert.ok(handled >= 190_000, `the server handled ${handled} of them`);
      assert.ok(answeredDuring > 0, 'a valid client was answered during the flood');
      assert.ok(tcpConnections > 1, 'garbage closed TCP connections, new ones were served');
      // After the flood: requests and relaying work for the valid clients.
      assert.equal(getErrorCode(await requestWithRetries(a, StunMethod.Refresh)), undefined);
      b.client.sendChannelData(0x4001, Buffer.from('still relaying'));
      assert.deepEqual(await a.client.nextData().then((d) => [d.channel, d.data.toString()]), [0x4000, 'still relaying']);

      gc();
      const after = process.memoryUsage();
      const heapGrowth = (after.heapUsed - before.heapUsed) / 2 ** 20;
      const rssGrowth = (after.rss - before.rss) / 2 ** 20;
      console.log(
        `fuzz seed ${seed}: ${sent} packets sent, ${handled} handled, ${tcpConnections} TCP connections; heap +${heapGrowth.toFixed(1)} MB, rss +${rssGrowth.toFixed(1)} MB`,
      );
      assert.ok(heapGrowth < 32, `heap grew ${heapGrowth.toFixed(1)} MB (seed ${seed})`);
      assert.ok(rssGrowth < 128, `rss grew ${rssGrowth.toFixed(1)} MB (seed ${seed})`);
      assert.ok(server.stats().allocations <= 10 + 8, 'no allocation leaked from mutated requests');
    } finally {
      closeAllClients();
      await server.close();
    }
  });
});
