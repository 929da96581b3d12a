import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { FAMILY_IPV6, addRequestedAddressFamily, getErrorCode, getXorRelayedAddress, type StunMessage } from '@rendezvous/stun';
import { settle, startEngine, type Harness } from './test-harness.js';
import type { TestClient } from './test-client.js';

const code = (msg: StunMessage): number | undefined => getErrorCode(msg)?.code;
const PEER = { address: '192.0.2.50', port: 7000 };

async function allocated(client: TestClient): Promise<{ address: string; port: number }> {
  const response = await client.allocate();
  assert.equal(code(response), undefined);
  return getXorRelayedAddress(response)!;
}

describe('permissions and Send/Data (RFC 8656 §9-§11)', { timeout: 10_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('drops peer data without a permission; with one, delivers it as a Data indication', async () => {
    h = startEngine();
    const { client } = h.connect();
    const relay = await allocated(client);
    const peer = h.network.peer(PEER.address, PEER.port);
    peer.send(relay, Buffer.from('too early'));
    await settle();
    assert.equal(client.unread, 0, 'no permission: discarded');
    assert.equal(code(await client.createPermission({ address: PEER.address, port: 1 })), undefined);
    peer.send(relay, Buffer.from('hello'));
    const got = await client.nextData();
    assert.deepEqual(
      [got.channel, got.peer?.address, got.peer?.port, got.data.toString()],
      [undefined, PEER.address, PEER.port, 'hello'],
    );
    // Any port of that IP is allowed (permissions ignore ports).
    h.network.peer(PEER.address, 7001).send(relay, Buffer.from('other port'));
    assert.equal((await client.nextData()).data.toString(), 'other port');
  });

  it('relays Send indications only to permitted peers', async () => {
    h = startEngine();
    const { client } = h.connect();
    const relay = await allocated(client);
    const peer = h.network.peer(PEER.address, PEER.port);
    client.sendIndication(PEER, Buffer.from('no permission yet'));
    await settle();
    assert.equal(peer.pending, 0);
    await client.createPermission(PEER);
    client.sendIndication(PEER, Buffer.from('ping'));
    const got = await peer.next();
    assert.deepEqual([got.data.toString(), got.address, got.port], ['ping', relay.address, relay.port]);
    const stats = h.engine.stats();
    assert.deepEqual(stats.relayed.packets, { clientToPeer: 1, peerToClient: 0 });
    assert.equal(stats.relayed.bytes.clientToPeer, 4);
    peer.send(relay, Buffer.from('pong!'));
    await client.nextData();
    assert.equal(await h.metric('rendezvous_turn_relayed_packets_total', { direction: 'client_to_peer' }), 1);
    assert.equal(await h.metric('rendezvous_turn_relayed_packets_total', { direction: 'peer_to_client' }), 1);
    assert.equal(await h.metric('rendezvous_turn_relayed_bytes_total', { direction: 'peer_to_client' }), 5);
    assert.equal(
      await h.metric('rendezvous_turn_relayed_bytes_total', { direction: 'peer_to_client' }),
      5,
      'collected twice: no double count',
    );
  });

  it('expires a permission after 300 s unless refreshed', async () => {
    h = startEngine();
    const { client } = h.connect();
    const relay = await allocated(client);
    const peer = h.network.peer(PEER.address, PEER.port);
    await client.createPermission(PEER);
    h.clock.advance(299_000);
    assert.equal(h.engine.stats().permissions, 1);
    peer.send(relay, Buffer.from('still ok'));
    assert.equal((await client.nextData()).data.toString(), 'still ok');
    h.clock.advance(2_000);
    assert.equal(h.engine.stats().permissions, 0);
    peer.send(relay, Buffer.from('expired'));
    client.sendIndication(PEER, Buffer.from('expired too'));
    await settle();
    assert.equal(client.unread, 0);
    assert.equal(peer.pending, 0);
    await client.refresh(3600); // the allocation itself outlives the rest of the test
    await client.createPermission(PEER);
    h.clock.advance(200_000);
    await client.createPermission(PEER);
    h.clock.advance(200_000);
    assert.equal(h.engine.stats().permissions, 1, 'refreshed at 200 s: alive at 400 s');
  });

  it('answers 400 without XOR-PEER-ADDRESS, 443 for the other family, 508 past the limit', async () => {
    h = startEngine({ limits: { maxPermissionsPerAllocation: 2 } });
    const { client } = h.connect();
    await allocated(client);
    assert.equal(code(await client.createPermission()), 400);
    assert.equal(code(await client.createPermission({ address: '2001:db8::5', port: 1 })), 443);
    assert.equal(code(await client.createPermission(PEER, { address: '192.0.2.51', port: 1 })), undefined);
    assert.equal(code(await client.createPermission({ address: '192.0.2.52', port: 1 })), 508);
    assert.equal(code(await client.createPermission(PEER)), undefined, 'refreshing an existing one is fine');
    const v6 = h.connect({ credentials: h.rest('bob') }).client;
    await v6.allocate((b) => addRequestedAddressFamily(b, FAMILY_IPV6));
    assert.equal(code(await v6.createPermission(PEER)), 443);
    assert.equal(code(await v6.createPermission({ address: '2001:db8::5', port: 1 })), undefined);
  });

  it('answers 437 to CreatePermission without an allocation', async () => {
    h = startEngine();
    assert.equal(code(await h.connect().client.createPermission(PEER)), 437);
  });

  it('delivers between two allocations of this server in-process, with the same permission rules', async () => {
    h = startEngine();
    const a = h.connect().client;
    const b = h.connect({ credentials: h.rest('bob') }).client;
    const relayA = await allocated(a);
    const relayB = await allocated(b);
    await a.createPermission(relayB);
    a.sendIndication(relayB, Buffer.from('to b, no permission at b'));
    await settle();
    assert.equal(b.unread, 0, 'b has no permission for a: dropped');
    await b.createPermission(relayA);
    a.sendIndication(relayB, Buffer.from('to b'));
    const got = await b.nextData();
    assert.deepEqual([got.peer?.address, got.peer?.port, got.data.toString()], [relayA.address, relayA.port, 'to b']);
    assert.equal(h.network.sent, 0, 'nothing went through the network');
    assert.deepEqual(h.engine.stats().relayed.packets, { clientToPeer: 2, peerToClient: 1 });
  });

  it('relays Send indications with DONT-FRAGMENT or unknown comprehension-required attributes nowhere', async () => {
    h = startEngine();
    const { client } = h.connect();
    await allocated(client);
    const peer = h.network.peer(PEER.address, PEER.port);
    await client.createPermission(PEER);
    const { addDontFragment } = await import('@rendezvous/stun');
    client.sendIndication(PEER, Buffer.from('df'), (b) => addDontFragment(b));
    client.sendIndication(PEER, Buffer.from('unknown'), (b) => b.addAttribute(0x7e00, Buffer.alloc(4)));
    client.sendIndication(PEER, Buffer.from('fingerprinted'), (b) => b.addFingerprint());
    const got = await peer.next();
    assert.equal(got.data.toString(), 'fingerprinted');
    await settle();
    assert.equal(peer.pending, 0);
  });
});
