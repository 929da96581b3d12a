import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { FAMILY_IPV6, addRequestedAddressFamily, getErrorCode, getXorRelayedAddress, type StunMessage } from '@rendezvous/stun';
import { parseCidr } from './cidr.js';
import { createPeerPolicy, isDeniedByDefault } from './peer-policy.js';
import { settle, startEngine, type Harness } from './test-harness.js';

const code = (msg: StunMessage): number | undefined => getErrorCode(msg)?.code;

/** One address from each denied range, and how it is named in the issue. */
const DENIED_V4 = [
  '0.1.2.3', // 0.0.0.0/8
  '10.1.2.3', // RFC 1918
  '100.64.0.1', // CGNAT
  '100.127.255.254',
  '127.0.0.1', // loopback
  '127.255.0.1',
  '169.254.1.1', // link-local
  '172.16.0.1', // RFC 1918
  '172.31.255.255',
  '192.168.1.1', // RFC 1918
  '224.0.0.251', // multicast
  '239.255.255.250',
  '255.255.255.255', // reserved/broadcast
];
/** Teredo (RFC 4380): server 65.54.227.120, then flags and port, then the client's IPv4 with every bit flipped. */
const teredo = (clientHex: string): string => `2001:0:4136:e378:8000:63bf:${clientHex}`;
const DENIED_V6 = [
  '::1',
  '::',
  'fe80::1',
  'fc00::1',
  'fd12:3456::1',
  'ff02::1',
  '::ffff:127.0.0.1', // IPv4-mapped
  '::ffff:10.0.0.1',
  '::a00:1', // IPv4-compatible
  '::ffff:0:a00:1', // SIIT IPv4-translated (::ffff:0:0:0/96) of 10.0.0.1
  '::ffff:0:7f00:1',
  '64:ff9b::a00:1', // NAT64 well-known prefix
  '64:ff9b::c0a8:101',
  '64:ff9b:1::808:808', // local-use NAT64 prefix: denied as a whole
  '64:ff9b:1:a00:0:100::',
  '2002:a00:1::', // 6to4 of 10.0.0.1
  '2002:7f00:1:1::1', // 6to4 of 127.0.0.1
  '2002:a9fe:101::', // 6to4 of 169.254.1.1
  teredo('3f57:fefe'), // Teredo client 192.168.1.1
  teredo('80ff:fffe'), // Teredo client 127.0.0.1
  '2001:0:a00:1:8000:63bf:f7f7:f7f7', // Teredo server 10.0.0.1, client 8.8.8.8
];
const ALLOWED = [
  '8.8.8.8',
  '100.63.255.255',
  '100.128.0.0',
  '172.32.0.1',
  '192.0.2.1',
  '2606:4700::1111',
  '::ffff:8.8.8.8',
  '::ffff:0:808:808', // SIIT of 8.8.8.8
  '64:ff9b::808:808', // NAT64 of 8.8.8.8
  '2002:808:808::1', // 6to4 of 8.8.8.8
  teredo('f7f7:f7f7'), // Teredo client 8.8.8.8
  '2001:db8::1', // documentation, not Teredo (2001:0::/32)
  '2001:1::1',
];

describe('peer address policy (RFC 8656 §21.3)', { timeout: 10_000 }, () => {
  it('denies loopback, private, link-local, CGNAT, multicast, unique-local, and their mapped/SIIT/NAT64/6to4/Teredo forms', () => {
    for (const address of [...DENIED_V4, ...DENIED_V6]) {
      assert.ok(isDeniedByDefault(address), address);
    }
    for (const address of ALLOWED) {
      assert.ok(!isDeniedByDefault(address), address);
    }
    assert.ok(isDeniedByDefault('not an address'));
  });

  it('allows what allowPeers lists, including the IPv4-mapped form', () => {
    const policy = createPeerPolicy(['127.0.0.0/8', 'fd00::/8', '10.1.0.0/16']);
    assert.ok(policy('127.0.0.1') && policy('::ffff:127.0.0.1') && policy('fd00::2') && policy('10.1.200.3'));
    assert.ok(
      policy('2002:7f00:1::') && policy('64:ff9b::a01:203') && policy(teredo('80ff:fffe')),
      'embedded forms of allowed blocks',
    );
    assert.ok(!policy('2002:a02:1::') && !policy('::ffff:0:c0a8:1'));
    assert.ok(!policy('10.2.0.1') && !policy('192.168.0.1') && !policy('::1'));
  });

  it('rejects malformed CIDR blocks', () => {
    for (const bad of ['10.0.0.0/33', '1.2.3/8', 'fe80::/129', 'x/1', '10.0.0.0/']) {
      assert.throws(() => parseCidr(bad), RangeError, bad);
    }
    assert.deepEqual(parseCidr('10.0.0.0/8').bits, 8);
    assert.equal(parseCidr('::1').bits, 128);
  });
});

describe('peer policy in requests', { timeout: 10_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('answers 403 to CreatePermission and ChannelBind for every denied range', async () => {
    h = startEngine();
    const v4 = h.connect().client;
    await v4.allocate();
    const v6 = h.connect({ credentials: h.rest('bob') }).client;
    await v6.allocate((b) => addRequestedAddressFamily(b, FAMILY_IPV6));
    for (const address of DENIED_V4) {
      assert.equal(code(await v4.createPermission({ address, port: 1 })), 403, address);
      assert.equal(code(await v4.channelBind(0x4000, { address, port: 1 })), 403, address);
    }
    for (const address of DENIED_V6) {
      assert.equal(code(await v6.createPermission({ address, port: 1 })), 403, address);
    }
    assert.equal(h.engine.stats().permissions, 0);
    assert.equal(code(await v4.createPermission({ address: '8.8.8.8', port: 1 })), undefined);
  });

  it('allows denied ranges listed in allowPeers; Send to a denied peer is dropped', async () => {
    h = startEngine({ allowPeers: ['10.0.0.0/8'] });
    const { client } = h.connect();
    await client.allocate();
    assert.equal(code(await client.createPermission({ address: '10.9.8.7', port: 1 })), undefined);
    assert.equal(code(await client.createPermission({ address: '192.168.0.1', port: 1 })), 403);
    const peer = h.network.peer('192.168.0.1', 5000);
    client.sendIndication({ address: '192.168.0.1', port: 5000 }, Buffer.from('nope'));
    await settle();
    assert.equal(peer.pending, 0);
  });

  it('uses the allowPeer hook instead of the default policy', async () => {
    const asked: string[] = [];
    h = startEngine({
      allowPeer: (peer, user) => {
        asked.push(`${user.userId}>${peer.address}:${peer.port}`);
        return peer.address === '127.0.0.2';
      },
    });
    const { client } = h.connect();
    await client.allocate();
    assert.equal(code(await client.createPermission({ address: '127.0.0.2', port: 9 })), undefined);
    assert.equal(code(await client.createPermission({ address: '8.8.8.8', port: 9 })), 403);
    assert.deepEqual(asked, ['alice>127.0.0.2:9', 'alice>8.8.8.8:9']);
  });

  it('relays between allocations on a loopback relay address in-process only, unless allowSelfRelay is false', async () => {
    h = startEngine({}, ['127.0.0.1']);
    const local = { family: 'IPv4' as const, address: '127.0.0.1', port: 3478 };
    const a = h.connect({ local }).client;
    const b = h.connect({ local, credentials: h.rest('bob') }).client;
    const relayA = getXorRelayedAddress(await a.allocate())!;
    const relayB = getXorRelayedAddress(await b.allocate())!;
    assert.equal(relayA.address, '127.0.0.1');
    assert.equal(code(await a.createPermission(relayB)), undefined, 'our own relay address');
    assert.equal(code(await b.channelBind(0x4000, relayA)), undefined);
    a.sendIndication(relayB, Buffer.from('in-process'));
    const got = await b.nextData();
    assert.deepEqual([got.channel, got.data.toString()], [0x4000, 'in-process']);
    // Another port on that loopback address is not a relay: nothing goes out to it.
    const service = h.network.peer('127.0.0.1', 22);
    a.sendIndication({ address: '127.0.0.1', port: 22 }, Buffer.from('ssh?'));
    await settle();
    assert.equal(service.pending, 0);
    assert.equal(h.network.sent, 0);
    h.close();
    h = startEngine({ allowSelfRelay: false }, ['127.0.0.1']);
    const c = h.connect({ local }).client;
    await c.allocate();
    assert.equal(code(await c.createPermission({ address: '127.0.0.1', port: 1 })), 403);
  });
});
