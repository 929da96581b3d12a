/** The listeners over real sockets on loopback: UDP, TCP framing, TLS, the wildcard host, lifecycle. */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { afterEach, describe, it } from 'node:test';
import {
  FAMILY_IPV6,
  MessageBuilder,
  StunClass,
  StunMethod,
  addRequestedAddressFamily,
  decodeMessage,
  getErrorCode,
  getXorMappedAddress,
  getXorRelayedAddress,
  type StunMessage,
} from '@rendezvous/stun';
import { FakeClock } from '@rendezvous/common';
import type { AllocationEndReason } from './events.js';
import { expandHost } from './listen.js';
import type { TurnServerOptions } from './options.js';
import { mintRestCredential } from './rest-credentials.js';
import { createTurnServer, type TurnServer } from './server.js';
import { closeAllClients, connectTcp, connectTls, connectUdp } from './socket-client.js';
import { installed, selfSignedCertificate } from './test-tools.js';

const SECRET = 'listener-test-secret';
const code = (msg: StunMessage): number | undefined => getErrorCode(msg)?.code;
const rest = (user: string): { username: string; password: string } => {
  const minted = mintRestCredential(SECRET, user, 3600);
  return { username: minted.username, password: minted.credential };
};

describe('listeners', { timeout: 20_000 }, () => {
  let server: TurnServer | undefined;
  afterEach(async () => {
    closeAllClients();
    await server?.close();
    server = undefined;
  });

  async function start(options: TurnServerOptions = {}): Promise<{ port: number }> {
    server = createTurnServer({ host: '127.0.0.1', port: 0, secret: SECRET, ...options });
    return server.listen();
  }

  it('listens on one port for UDP and TCP and answers Binding on both', async () => {
    const { port } = await start();
    assert.deepEqual(server!.addresses?.udp, [{ family: 'IPv4', address: '127.0.0.1', port }]);
    assert.deepEqual(server!.addresses?.tcp, [{ family: 'IPv4', address: '127.0.0.1', port }]);
    const udp = await connectUdp(port, '127.0.0.1');
    assert.deepEqual(getXorMappedAddress(await udp.client.request(StunMethod.Binding)), { family: 'IPv4', ...udp.local });
    const tcp = await connectTcp(port, '127.0.0.1');
    assert.deepEqual(getXorMappedAddress(await tcp.client.request(StunMethod.Binding)), { family: 'IPv4', ...tcp.local });
    udp.close();
    tcp.close();
  });

  it('relays between a TCP and a UDP client, ChannelData both ways', async () => {
    const { port } = await start();
    const tcp = await connectTcp(port, '127.0.0.1', rest('t'));
    const udp = await connectUdp(port, '127.0.0.1', rest('u'));
    const relayT = getXorRelayedAddress(await tcp.client.allocate())!;
    const relayU = getXorRelayedAddress(await udp.client.allocate())!;
    assert.equal(relayT.address, '127.0.0.1');
    await tcp.client.channelBind(0x4000, relayU);
    await udp.client.channelBind(0x4001, relayT);
    tcp.client.sendChannelData(0x4000, Buffer.from('odd length'));
    assert.deepEqual(await udp.client.nextData().then((d) => [d.channel, d.data.toString()]), [0x4001, 'odd length']);
    udp.client.sendChannelData(0x4001, Buffer.from('back, 13 byte'));
    assert.deepEqual(await tcp.client.nextData().then((d) => [d.channel, d.data.toString()]), [0x4000, 'back, 13 byte']);
    tcp.close();
    udp.close();
  });

  it('frames a TCP stream however it is cut, and closes a connection that sends garbage', async () => {
    const { port } = await start();
    const ended: AllocationEndReason[] = [];
    server!.on('allocation-deleted', (_info, reason) => ended.push(reason));
    const tcp = await connectTcp(port, '127.0.0.1', rest('frames'));
    const builder = (): Buffer => Buffer.from(new MessageBuilder(StunMethod.Binding, StunClass.Request).build());
    const [a, b] = [builder(), builder()];
    const responses: StunMessage[] = [];
    const original = tcp.client.receive.bind(tcp.client);
    tcp.client.receive = (data: Buffer) => {
      responses.push(decodeMessage(Buffer.from(data)));
      original(data);
    };
    tcp.write(Buffer.concat([a, b])); // two in one write
    const c = builder();
    for (const byte of c) {
      tcp.write(Buffer.from([byte]));
    } // one cut into 20 writes
    while (responses.length < 3) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.deepEqual(
      responses.map((r) => r.transactionIdHex),
      [a, b, c].map((m) => m.toString('hex', 8, 20)),
    );
    assert.equal(code(await tcp.client.allocate()), undefined);
    const other = await connectTcp(port, '127.0.0.1', rest('bystander'));
    assert.equal(code(await other.client.allocate()), undefined);
    tcp.write(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    await tcp.closed;
    assert.deepEqual(ended, ['connection-closed']);
    assert.equal(server!.stats().allocations, 1, 'the other connection keeps its allocation');
    assert.equal(code(await other.client.refresh()), undefined);
    other.close();
  });

  it('creates one allocation when two Allocates of one UDP 5-tuple are in flight at once (async hook)', async () => {
    const { longTermKey } = await import('@rendezvous/stun');
    // A lookup that takes a turn of the event loop, like a database would: both requests arrive before either ends.
    const { port } = await start({
      authenticate: async (ctx) => {
        await new Promise((resolve) => setImmediate(resolve));
        return longTermKey(ctx.username, ctx.realm, 'pw');
      },
    });
    const client = await connectUdp(port, '127.0.0.1', { username: 'racer', password: 'pw' });
    const { addRequestedTransport } = await import('@rendezvous/stun');
    const challenge = await client.client.request(StunMethod.Allocate, (b) => addRequestedTransport(b));
    const { getNonce, getRealm } = await import('@rendezvous/stun');
    client.client.realm = getRealm(challenge);
    client.client.nonce = getNonce(challenge);
    const both = await Promise.all(
      [0, 1].map(() => client.client.request(StunMethod.Allocate, (b) => addRequestedTransport(b), { sign: true })),
    );
    assert.deepEqual(both.map(code).sort(), [437, undefined].sort());
    assert.equal(server!.stats().allocations, 1);
    client.close();
  });

  it('answers an undecodable UDP request with 400 and ignores garbage', async (t) => {
    const { port } = await start();
    const socket = dgram.createSocket('udp4');
    const replies: Buffer[] = [];
    socket.on('message', (data) => replies.push(data));
    t.after(() => socket.close());
    await new Promise<void>((resolve) => socket.connect(port, '127.0.0.1', resolve));
    socket.send(Buffer.from('definitely not STUN'));
    const bad = Buffer.from(
      new MessageBuilder(StunMethod.Allocate, StunClass.Request).addAttribute(0x0019, Buffer.alloc(4)).build(),
    );
    bad.writeUInt16BE(0x1000, 22); // the attribute now claims to overrun the message
    socket.send(bad);
    while (replies.length === 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const response = decodeMessage(replies[0]!);
    assert.equal(code(response), 400);
    assert.equal(response.transactionIdHex, bad.toString('hex', 8, 20));
  });

  it('serves TURN over TLS', { skip: installed('openssl') ? false : 'openssl not installed' }, async () => {
    const tls = selfSignedCertificate();
    await start({ tls, tlsPort: 0 });
    const tlsPort = server!.addresses!.tlsPort!;
    assert.deepEqual(server!.addresses!.tls, [{ family: 'IPv4', address: '127.0.0.1', port: tlsPort }]);
    const client = await connectTls(tlsPort, '127.0.0.1', tls.cert, rest('secure'));
    const response = await client.client.allocate();
    assert.equal(code(response), undefined);
    assert.equal(server!.stats().connections, 1);
    client.close();
    await client.closed;
  });

  it('binds every local address for 0.0.0.0 and relays on the address the client reached', async () => {
    await start({ host: '0.0.0.0' });
    const addresses = server!.addresses!;
    assert.deepEqual(addresses.udp.map((a) => a.address).sort(), expandHost('0.0.0.0').sort());
    for (const { address, port, family } of addresses.udp) {
      const client = await connectUdp(port, address, rest(`via-${address}`));
      const response = await client.client.allocate((b) => {
        if (family === 'IPv6') {
          addRequestedAddressFamily(b, FAMILY_IPV6);
        }
      });
      assert.equal(code(response), undefined, address);
      assert.equal(getXorRelayedAddress(response)?.address, address);
      client.close();
    }
  });

  it('advertises relayAddressOverride in XOR-RELAYED-ADDRESS', async () => {
    const { port } = await start({ relayAddressOverride: '203.0.113.77' });
    const client = await connectUdp(port, '127.0.0.1', rest('natted'));
    assert.equal(getXorRelayedAddress(await client.client.allocate())?.address, '203.0.113.77');
    client.close();
  });

  it('closes idle TCP connections that hold no allocation', async () => {
    const clock = new FakeClock(Date.now());
    const { port } = await start({ clock, limits: { streamIdleTimeoutSec: 30 } });
    const idle = await connectTcp(port, '127.0.0.1', rest('idle'));
    const busy = await connectTcp(port, '127.0.0.1', rest('busy'));
    await busy.client.allocate();
    assert.equal(server!.stats().connections, 2);
    clock.advance(31_000);
    await idle.closed;
    assert.equal(server!.stats().connections, 1);
    busy.close();
  });

  it('close() is idempotent, frees the port, and refuses listen() afterwards', async () => {
    const { port } = await start();
    const first = server!;
    await assert.rejects(first.listen(), { code: 'ALREADY_LISTENING' });
    await Promise.all([first.close(), first.close()]);
    await assert.rejects(first.listen(), { code: 'CLOSED' });
    server = createTurnServer({ host: '127.0.0.1', port, secret: SECRET });
    assert.equal((await server.listen()).port, port, 'the same port binds again');
  });

  it('refuses bad options with INVALID_OPTIONS, and a taken port with LISTEN_FAILED', async () => {
    assert.throws(() => createTurnServer({ port: 70000 }), { code: 'INVALID_OPTIONS' });
    assert.throws(() => createTurnServer({ allowPeers: ['10.0.0.0/99'] }), { code: 'INVALID_OPTIONS' });
    assert.throws(() => createTurnServer({ limits: { relayPortMin: 60000, relayPortMax: 50000 } }), { code: 'INVALID_OPTIONS' });
    const { port } = await start();
    const second = createTurnServer({ host: '127.0.0.1', port, secret: SECRET });
    await assert.rejects(second.listen(), { code: 'LISTEN_FAILED' });
    await second.close();
  });
});
