import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  StunMethod,
  addChannelNumber,
  addXorPeerAddress,
  getErrorCode,
  getXorRelayedAddress,
  type StunMessage,
} from '@rendezvous/stun';
import type { TestClient } from './test-client.js';
import { settle, startEngine, type Harness } from './test-harness.js';

const code = (msg: StunMessage): number | undefined => getErrorCode(msg)?.code;
const PEER = { address: '192.0.2.60', port: 8000 };
const OTHER = { address: '192.0.2.61', port: 8001 };

async function allocated(client: TestClient): Promise<{ address: string; port: number }> {
  const response = await client.allocate((b) => b);
  assert.equal(code(response), undefined);
  return getXorRelayedAddress(response)!;
}

describe('channels (RFC 8656 §12)', { timeout: 10_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('checks CHANNEL-NUMBER and XOR-PEER-ADDRESS: both required, 0x4000-0x4FFF', async () => {
    h = startEngine();
    const { client } = h.connect();
    await allocated(client);
    assert.equal(code(await client.channelBind(0x3fff, PEER)), 400);
    assert.equal(code(await client.channelBind(0x5000, PEER)), 400);
    assert.equal(code(await client.call(StunMethod.ChannelBind, (b) => addChannelNumber(b, 0x4000))), 400);
    assert.equal(code(await client.call(StunMethod.ChannelBind, (b) => addXorPeerAddress(b, PEER))), 400);
    assert.equal(code(await client.channelBind(0x4000, PEER)), undefined);
    assert.equal(code(await client.channelBind(0x4fff, OTHER)), undefined);
    assert.equal(h.engine.stats().channels, 2);
  });

  it('relays ChannelData both ways and installs the permission', async () => {
    h = startEngine();
    const { client } = h.connect();
    const relay = await allocated(client);
    const peer = h.network.peer(PEER.address, PEER.port);
    await client.channelBind(0x4001, PEER);
    client.sendChannelData(0x4001, Buffer.from('over the channel'));
    const out = await peer.next();
    assert.deepEqual([out.data.toString(), out.address, out.port], ['over the channel', relay.address, relay.port]);
    peer.send(relay, Buffer.from('back'));
    const back = await client.nextData();
    assert.deepEqual([back.channel, back.peer, back.data.toString()], [0x4001, undefined, 'back']);
    // The permission covers the IP: another port of it gets Data indications (no channel for that port).
    h.network.peer(PEER.address, 9999).send(relay, Buffer.from('indication'));
    const indication = await client.nextData();
    assert.deepEqual([indication.channel, indication.peer?.port], [undefined, 9999]);
    client.sendChannelData(0x4002, Buffer.from('unbound channel'));
    await settle();
    assert.equal(peer.pending, 0, 'ChannelData on an unbound channel is discarded');
  });

  it('refuses a channel bound to another peer and a peer bound to another channel (400); rebinding refreshes', async () => {
    h = startEngine({ limits: { defaultLifetimeSec: 3600 } });
    const { client } = h.connect();
    await allocated(client);
    assert.equal(code(await client.channelBind(0x4000, PEER)), undefined);
    assert.equal(code(await client.channelBind(0x4000, OTHER)), 400, 'same channel, different peer');
    assert.equal(code(await client.channelBind(0x4001, PEER)), 400, 'same peer, different channel');
    assert.equal(code(await client.channelBind(0x4000, { address: PEER.address, port: PEER.port + 1 })), 400, 'port counts');
    h.clock.advance(500_000);
    assert.equal(code(await client.channelBind(0x4000, PEER)), undefined, 'the same binding again refreshes it');
    h.clock.advance(500_000);
    assert.equal(h.engine.stats().channels, 1, 'alive 500 s after the refresh');
  });

  it('expires a channel after 600 s; its number and peer stay reserved 5 minutes more', async () => {
    h = startEngine({ limits: { defaultLifetimeSec: 3600 } });
    const { client } = h.connect();
    const relay = await allocated(client);
    const peer = h.network.peer(PEER.address, PEER.port);
    await client.channelBind(0x4000, PEER);
    h.clock.advance(250_000);
    await client.createPermission(PEER); // keep the permission, let the channel run out
    h.clock.advance(250_000);
    await client.createPermission(PEER);
    h.clock.advance(99_000);
    assert.equal(h.engine.stats().channels, 1, 'bound at 599 s');
    h.clock.advance(2_000);
    assert.equal(h.engine.stats().channels, 0, 'expired at 601 s');
    peer.send(relay, Buffer.from('after expiry'));
    const got = await client.nextData();
    assert.deepEqual([got.channel, got.peer?.address], [undefined, PEER.address], 'a Data indication now');
    client.sendChannelData(0x4000, Buffer.from('dropped'));
    await settle();
    assert.equal(peer.pending, 0);

    assert.equal(code(await client.channelBind(0x4000, OTHER)), 400, 'number cooling down');
    assert.equal(code(await client.channelBind(0x4005, PEER)), 400, 'peer cooling down');
    h.clock.advance(300_000);
    assert.equal(code(await client.channelBind(0x4000, OTHER)), undefined, 'free again after 5 minutes');
    assert.equal(code(await client.channelBind(0x4005, PEER)), undefined);
  });

  it('allows rebinding the same channel to the same peer while it cools down', async () => {
    h = startEngine({ limits: { defaultLifetimeSec: 3600 } });
    const { client } = h.connect();
    await allocated(client);
    await client.channelBind(0x4000, PEER);
    h.clock.advance(601_000);
    assert.equal(h.engine.stats().channels, 0);
    assert.equal(code(await client.channelBind(0x4000, PEER)), undefined);
    assert.equal(h.engine.stats().channels, 1);
  });

  it('drops channel traffic when the permission lapsed although the binding lives', async () => {
    h = startEngine();
    const { client } = h.connect();
    const relay = await allocated(client);
    const peer = h.network.peer(PEER.address, PEER.port);
    await client.channelBind(0x4000, PEER);
    h.clock.advance(301_000);
    assert.deepEqual([h.engine.stats().channels, h.engine.stats().permissions], [1, 0]);
    client.sendChannelData(0x4000, Buffer.from('x'));
    peer.send(relay, Buffer.from('y'));
    await settle();
    assert.equal(peer.pending + client.unread, 0);
  });

  it('answers 508 past the channel limit', async () => {
    h = startEngine({ limits: { maxChannelsPerAllocation: 2 } });
    const { client } = h.connect();
    await allocated(client);
    assert.equal(code(await client.channelBind(0x4000, PEER)), undefined);
    assert.equal(code(await client.channelBind(0x4001, OTHER)), undefined);
    assert.equal(code(await client.channelBind(0x4002, { address: '192.0.2.62', port: 1 })), 508);
  });

  it('pads ChannelData to 4 bytes for TCP clients, not for UDP ones', async () => {
    h = startEngine();
    const udp = h.connect();
    const tcp = h.connect({ transport: 'tcp', credentials: h.rest('bob') });
    const sizes: Record<string, number[]> = { udp: [], tcp: [] };
    for (const [name, { client, link }] of Object.entries({ udp, tcp })) {
      const relay = await allocated(client);
      await client.channelBind(0x4000, PEER);
      const receive = link.receiver!;
      link.receiver = (data) => {
        sizes[name]!.push(data.length);
        receive(data);
      };
      h.network.peer(PEER.address, PEER.port).send(relay, Buffer.from('12345'));
      assert.equal((await client.nextData()).data.toString(), '12345');
    }
    assert.deepEqual(sizes, { udp: [9], tcp: [12] });
  });

  it('hands ChannelData from one allocation to another in-process, as ChannelData on the receiver channel', async () => {
    h = startEngine();
    const a = h.connect().client;
    const b = h.connect({ transport: 'tcp', credentials: h.rest('bob') }).client;
    const relayA = await allocated(a);
    const relayB = await allocated(b);
    await a.channelBind(0x4444, relayB);
    await b.channelBind(0x4555, relayA);
    a.sendChannelData(0x4444, Buffer.from('a to b'));
    const atB = await b.nextData();
    assert.deepEqual([atB.channel, atB.data.toString()], [0x4555, 'a to b']);
    b.sendChannelData(0x4555, Buffer.from('b to a!'));
    const atA = await a.nextData();
    assert.deepEqual([atA.channel, atA.data.toString()], [0x4444, 'b to a!']);
    assert.equal(h.network.sent, 0);
  });
});
