/**
 * Per-address and per-allocation limits: allocations per client IP (across freshly minted credentials), the relay
 * bandwidth cap, the credential expiry ceiling; each hit counted in rendezvous_turn_limit_hits_total and logged
 * once per interval per limit.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { getErrorCode, getXorMappedAddress, getXorRelayedAddress, type StunMessage } from '@rendezvous/stun';
import { LIMIT_LOG_INTERVAL_MS } from './limit-hits.js';
import { DEFAULT_LIMITS, type Logger } from './options.js';
import { settle, startEngine, type Harness } from './test-harness.js';

const code = (msg: StunMessage): number | undefined => getErrorCode(msg)?.code;
const PEER = { address: '192.0.2.80', port: 8080 };

/** A logger that keeps the warn lines. */
function recordingLogger(): { logger: Logger; warnings: Record<string, unknown>[] } {
  const warnings: Record<string, unknown>[] = [];
  const noop = (): void => {};
  const warn = (obj: object | string): void => {
    if (typeof obj === 'object') {
      warnings.push(obj as Record<string, unknown>);
    }
  };
  return { logger: { debug: noop, info: noop, warn, error: noop }, warnings };
}

describe('TURN limits per address and per allocation', { timeout: 20_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('caps allocations per client IP (at the default) across freshly minted users; another address is served', async () => {
    h = startEngine();
    const cap = DEFAULT_LIMITS.maxAllocationsPerAddress;
    const first = [];
    for (let i = 0; i < cap; i++) {
      const { client } = h.connect({ credentials: h.rest(`fresh-${i}`) });
      assert.equal(code(await client.allocate()), undefined, `allocation ${i}`);
      first.push(client);
    }
    const over = h.connect({ credentials: h.rest('one-more') }).client;
    assert.equal(code(await over.allocate()), 486);
    const elsewhere = h.connect({
      remote: { family: 'IPv4', address: '127.0.0.2', port: 5555 },
      credentials: h.rest('elsewhere'),
    }).client;
    assert.equal(code(await elsewhere.allocate()), undefined, 'a second address is not locked out');
    assert.equal(await h.metric('rendezvous_turn_limit_hits_total', { limit: 'maxAllocationsPerAddress' }), 1);
    // Deleting one frees its slot for that address.
    assert.equal(code(await first[0]!.refresh(0)), undefined);
    assert.equal(code(await h.connect({ credentials: h.rest('after') }).client.allocate()), undefined);
    assert.equal(h.engine.stats().allocations, cap + 1);
  });

  it('counts an IPv6 /64 as one address: two addresses in it share the cap, another /64 is served', async () => {
    h = startEngine({ limits: { maxAllocationsPerAddress: 2 } });
    const from = (address: string, user: string) =>
      h.connect({
        remote: { family: 'IPv6', address, port: 6000 },
        local: { family: 'IPv6', address: '2001:db8::1', port: 3478 },
        credentials: h.rest(user),
      }).client;
    const first = from('2001:db8:aa:bb::1', 'one');
    const allocated = await first.allocate();
    assert.equal(code(allocated), undefined);
    assert.equal(
      getXorMappedAddress(allocated)?.address,
      '2001:db8:aa:bb::1',
      'the client is told its own address, not its block',
    );
    assert.equal(code(await from('2001:db8:aa:bb:1234:5678:9abc:def0', 'two').allocate()), undefined);
    assert.equal(code(await from('2001:db8:aa:bb::3', 'three').allocate()), 486, 'a third address of the same /64');
    assert.equal(code(await from('2001:db8:aa:bc::1', 'four').allocate()), undefined, 'the next /64 is another address');
    assert.equal(await h.metric('rendezvous_turn_limit_hits_total', { limit: 'maxAllocationsPerAddress' }), 1);
    // Deleting one frees the block's slot.
    assert.equal(code(await first.refresh(0)), undefined);
    assert.equal(code(await from('2001:db8:aa:bb::5', 'five').allocate()), undefined);
  });

  it('counts TCP/TLS connections per /64 too: the block is full whichever of its addresses comes next', () => {
    h = startEngine({ limits: { maxStreamConnectionsPerAddress: 2 } });
    assert.equal(h.engine.admitStream('2001:db8:aa:bb::1'), true);
    assert.equal(h.engine.admitStream('2001:DB8:AA:BB::2'), true);
    assert.equal(h.engine.admitStream('2001:db8:aa:bb::3'), false);
    assert.equal(h.engine.admitStream('2001:db8:aa:bc::1'), true, 'another /64');
    assert.equal(h.engine.admitStream('::ffff:192.0.2.7'), true);
    assert.equal(h.engine.admitStream('192.0.2.7'), true);
    assert.equal(h.engine.admitStream('192.0.2.7'), false, 'a mapped IPv4 address is that IPv4 address');
    h.engine.releaseStream('2001:db8:aa:bb::1');
    assert.equal(h.engine.admitStream('2001:db8:aa:bb::4'), true, 'a close frees a slot of the block');
  });

  it('drops relayed datagrams past maxRelayBytesPerSecond in each direction, and counts them', async () => {
    const { logger, warnings } = recordingLogger();
    h = startEngine({ logger, limits: { maxRelayBytesPerSecond: 100_000 } });
    const { client } = h.connect();
    const relay = getXorRelayedAddress(await client.allocate())!;
    const peer = h.network.peer(PEER.address, PEER.port);
    assert.equal(code(await client.channelBind(0x4000, PEER)), undefined);
    const kilobyte = Buffer.alloc(1000, 7);
    // One second of burst (100 KB) passes at once; the rest is dropped like UDP loss.
    for (let i = 0; i < 150; i++) {
      client.sendChannelData(0x4000, kilobyte);
    }
    await settle();
    assert.equal(peer.pending, 100);
    // Half a second refills half of it.
    h.clock.advance(500);
    for (let i = 0; i < 60; i++) {
      client.sendChannelData(0x4000, kilobyte);
    }
    await settle();
    assert.equal(peer.pending, 150);
    // The other direction has its own bucket.
    for (let i = 0; i < 150; i++) {
      peer.send(relay, kilobyte);
    }
    await settle();
    assert.equal(client.unread, 100);
    assert.equal(h.engine.stats().relayed.packets.clientToPeer, 150, 'dropped datagrams are not counted as relayed');
    assert.equal(await h.metric('rendezvous_turn_limit_hits_total', { limit: 'maxRelayBytesPerSecond' }), 110);
    const lines = (): Record<string, unknown>[] => warnings.filter((w) => w.limit === 'maxRelayBytesPerSecond');
    assert.deepEqual(
      lines().map((w) => w.hits),
      [1],
      'logged once, not per datagram',
    );
    h.clock.advance(LIMIT_LOG_INTERVAL_MS);
    assert.deepEqual(
      lines().map((w) => w.hits),
      [1, 109],
      'the sweep reports the hits held back',
    );
  });

  it('relays without a cap when maxRelayBytesPerSecond is 0', async () => {
    h = startEngine({ limits: { maxRelayBytesPerSecond: 0 } });
    const { client } = h.connect();
    await client.allocate();
    const peer = h.network.peer(PEER.address, PEER.port);
    await client.channelBind(0x4000, PEER);
    for (let i = 0; i < 300; i++) {
      client.sendChannelData(0x4000, Buffer.alloc(1200));
    }
    await settle();
    assert.equal(peer.pending, 300);
  });

  it('refuses REST credentials that expire further out than maxCredentialTtlSec (401, like expired ones)', async () => {
    h = startEngine();
    assert.equal(code(await h.connect({ credentials: h.rest('far', 14_401) }).client.allocate()), 401);
    assert.equal(code(await h.connect({ credentials: h.rest('edge', 14_400) }).client.allocate()), undefined);
    assert.equal(await h.metric('rendezvous_turn_auth_failures_total', { reason: 'expiry-too-far' }), 1);
    assert.equal(await h.metric('rendezvous_turn_limit_hits_total', { limit: 'maxCredentialTtlSec' }), 1);
    h.close();
    h = startEngine({ limits: { maxCredentialTtlSec: 86_400 } });
    assert.equal(code(await h.connect({ credentials: h.rest('day', 86_400) }).client.allocate()), undefined);
  });
});
