/**
 * The server's own addresses are never peers, whatever the allow-list says, in either direction; relaying between
 * two allocations of this server (in-process) still works. Through the memory network, with an external IP
 * (relayAddressOverride) that is not in any denied range.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { getErrorCode, getXorRelayedAddress, type StunMessage } from '@rendezvous/stun';
import { OWN_ADDRESSES_REFRESH_MS, OwnAddresses, interfaceAddresses } from './own-addresses.js';
import { settle, startEngine, type Harness } from './test-harness.js';

const code = (msg: StunMessage): number | undefined => getErrorCode(msg)?.code;
const EXTERNAL = '203.0.113.7';
const BOUND = '198.51.100.1';

describe("the server's own addresses as peers", { timeout: 10_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('refuses its bound and interface addresses as peers (403) even when allowPeers covers everything', async () => {
    h = startEngine({ relayAddressOverride: EXTERNAL, allowPeers: ['0.0.0.0/0', '::/0'] }, [BOUND]);
    const { client } = h.connect();
    assert.equal(getXorRelayedAddress(await client.allocate())?.address, EXTERNAL);
    for (const own of [BOUND, '127.0.0.1', ...interfaceAddresses().filter((a) => !a.includes(':'))]) {
      assert.equal(code(await client.createPermission({ address: own, port: 22 })), 403, own);
      assert.equal(code(await client.channelBind(0x4000, { address: own, port: 22 })), 403, own);
    }
    assert.equal(code(await client.createPermission({ address: '127.0.0.2', port: 1 })), undefined, 'not ours, and allowed');
    assert.equal(h.engine.stats().permissions, 1);
  });

  it('reaches its external address only in-process: nothing goes out to it, nothing comes in from it', async () => {
    h = startEngine({ relayAddressOverride: EXTERNAL }, [BOUND]);
    const a = h.connect().client;
    const b = h.connect({ credentials: h.rest('bob') }).client;
    const relayA = getXorRelayedAddress(await a.allocate())!;
    const relayB = getXorRelayedAddress(await b.allocate())!;
    assert.equal(code(await a.createPermission(relayB)), undefined, 'another allocation of ours');
    assert.equal(code(await b.channelBind(0x4000, relayA)), undefined);
    a.sendIndication(relayB, Buffer.from('in-process'));
    assert.deepEqual(await b.nextData().then((d) => [d.channel, d.data.toString()]), [0x4000, 'in-process']);
    // Outbound: another port of the external address (say, the host's SSH) is not reachable.
    const service = h.network.peer(EXTERNAL, 22);
    a.sendIndication({ address: EXTERNAL, port: 22 }, Buffer.from('ssh?'));
    await settle();
    assert.equal(service.pending, 0);
    assert.equal(h.network.sent, 0);
    // Inbound: a datagram reaching a relay socket from the external address (hairpin NAT) is dropped.
    service.send({ address: BOUND, port: relayA.port }, Buffer.from('from our own host'));
    await settle();
    assert.equal(a.unread, 0);
    // Without self relay, the external address is refused outright.
    h.close();
    h = startEngine({ relayAddressOverride: EXTERNAL, allowSelfRelay: false }, [BOUND]);
    const c = h.connect().client;
    await c.allocate();
    assert.equal(code(await c.createPermission({ address: EXTERNAL, port: 1 })), 403);
  });

  it('refuses an interface address that appears after start, within one refresh period, on the sweep', async () => {
    const interfaces = ['127.0.0.1', '::1'];
    let reads = 0;
    const readInterfaces = (): string[] => {
      reads++;
      return [...interfaces];
    };
    h = startEngine({ allowPeers: ['0.0.0.0/0', '::/0'], interfaceAddresses: readInterfaces }, [BOUND]);
    const { client } = h.connect();
    await client.allocate();
    const LATE = '192.0.2.99';
    assert.equal(code(await client.createPermission({ address: LATE, port: 1 })), undefined, 'not ours yet');
    interfaces.push(LATE);
    const before = reads;
    h.clock.advance(OWN_ADDRESSES_REFRESH_MS - 1);
    assert.equal(reads, before, 'not read on every sweep');
    h.clock.advance(1);
    assert.equal(reads, before + 1, 'read again once the period has passed');
    assert.equal(code(await client.createPermission({ address: LATE, port: 1 })), 403);
    assert.equal(code(await client.channelBind(0x4001, { address: LATE, port: 1 })), 403);
    // One that goes away is a peer again after the next refresh.
    interfaces.splice(interfaces.indexOf(LATE), 1);
    h.clock.advance(OWN_ADDRESSES_REFRESH_MS);
    assert.equal(code(await client.createPermission({ address: LATE, port: 1 })), undefined);
  });

  it('recognises IPv6 forms that carry one of its IPv4 addresses', () => {
    const own = new OwnAddresses([EXTERNAL, '2001:db8::1']);
    for (const form of [EXTERNAL, '::ffff:203.0.113.7', '64:ff9b::cb00:7107', '2002:cb00:7107::1', '2001:db8:0::1']) {
      assert.ok(own.has(form), form);
    }
    for (const other of ['203.0.113.8', '2001:db8::2', 'nonsense']) {
      assert.ok(!own.has(other), other);
    }
  });
});
