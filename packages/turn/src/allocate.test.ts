import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  AttributeType,
  FAMILY_IPV4,
  FAMILY_IPV6,
  StunMethod,
  addAdditionalAddressFamily,
  addDontFragment,
  addLifetime,
  addRequestedAddressFamily,
  addRequestedTransport,
  getAddressErrorCode,
  getErrorCode,
  getLifetime,
  getUnknownAttributes,
  getXorMappedAddress,
  getXorRelayedAddress,
  type StunMessage,
} from '@rendezvous/stun';
import type { AllocationEndReason, AllocationInfo } from './events.js';
import { RELAY_V4, RELAY_V6, startEngine, type Harness } from './test-harness.js';

const code = (msg: StunMessage): number | undefined => getErrorCode(msg)?.code;

describe('Allocate and Refresh (RFC 8656 §7, §8)', { timeout: 10_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('allocates an IPv4 relay on the address the client reached, then refreshes and deletes it', async () => {
    h = startEngine();
    const created: AllocationInfo[] = [];
    const deleted: [AllocationInfo, AllocationEndReason][] = [];
    h.engine.events.on('allocation-created', (info) => created.push(info));
    h.engine.events.on('allocation-deleted', (info, reason) => deleted.push([info, reason]));
    const { client, link } = h.connect();
    const response = await client.allocate();
    assert.equal(code(response), undefined);
    const relayed = getXorRelayedAddress(response)!;
    assert.equal(relayed.address, RELAY_V4);
    assert.ok(relayed.port >= 49152 && relayed.port <= 65535);
    assert.ok(h.network.isBound(RELAY_V4, relayed.port));
    assert.deepEqual(getXorMappedAddress(response), link.remote);
    assert.equal(getLifetime(response), 600);
    assert.equal(h.engine.stats().allocations, 1);
    assert.equal(await h.metric('rendezvous_turn_allocations'), 1);
    assert.deepEqual(
      created.map((c) => [c.username.endsWith(':alice'), c.relayed.port]),
      [[true, relayed.port]],
    );

    const refreshed = await client.refresh(1200);
    assert.equal(getLifetime(refreshed), 1200);
    const gone = await client.refresh(0);
    assert.equal(code(gone), undefined);
    assert.equal(getLifetime(gone), 0);
    assert.equal(h.engine.stats().allocations, 0);
    assert.ok(!h.network.isBound(RELAY_V4, relayed.port), 'the relay port is freed');
    assert.deepEqual(
      deleted.map(([info, reason]) => [info.id, reason]),
      [[created[0]!.id, 'refresh']],
    );
    assert.equal(code(await client.refresh()), 437, 'no allocation any more');
    assert.equal(await h.metric('rendezvous_turn_requests_total', { method: 'Refresh', result: '437' }), 1);
  });

  it('clamps LIFETIME to [default, max] and expires the allocation when it runs out', async () => {
    h = startEngine({ limits: { defaultLifetimeSec: 600, maxLifetimeSec: 3600 } });
    const { client } = h.connect();
    assert.equal(getLifetime(await client.allocate((b) => addLifetime(b, 99_999))), 3600);
    assert.equal(getLifetime(await client.refresh(30)), 600, 'below the default: the default');
    assert.equal(getLifetime(await client.refresh(900)), 900);
    h.clock.advance(899_000);
    assert.equal(h.engine.stats().allocations, 1);
    h.clock.advance(2_000);
    assert.equal(h.engine.stats().allocations, 0, 'expired by the sweep');
    assert.equal(code(await client.refresh()), 437);
  });

  it('answers 437 to a second Allocate on the same 5-tuple, and repeats the answer to a retransmission', async () => {
    h = startEngine();
    const { client, link } = h.connect();
    const first = await client.allocate();
    const again = await client.allocate();
    assert.equal(code(again), 437);
    // A retransmission: the very same bytes again.
    const { MessageBuilder, StunClass, addUsername, addRealm, addNonce } = await import('@rendezvous/stun');
    const builder = new MessageBuilder(StunMethod.Allocate, StunClass.Request, first.transactionId);
    addRequestedTransport(builder);
    addUsername(builder, client.credentials!.username);
    addRealm(builder, client.realm!);
    addNonce(builder, client.nonce!);
    builder.addMessageIntegrity(client.key);
    const replies: Buffer[] = [];
    link.receiver = (data) => replies.push(data);
    h.engine.onClientPacket(link, Buffer.from(builder.build()));
    assert.equal(replies.length, 1);
    const { decodeMessage } = await import('@rendezvous/stun');
    const retransmitted = decodeMessage(replies[0]!);
    assert.equal(code(retransmitted), undefined);
    assert.deepEqual(getXorRelayedAddress(retransmitted), getXorRelayedAddress(first));
    assert.equal(h.engine.stats().allocations, 1);
  });

  it('needs REQUESTED-TRANSPORT (400) and relays UDP only (442)', async () => {
    h = startEngine();
    const { client } = h.connect();
    assert.equal(code(await client.call(StunMethod.Allocate)), 400);
    assert.equal(code(await client.call(StunMethod.Allocate, (b) => addRequestedTransport(b, 6))), 442);
    assert.equal(h.engine.stats().allocations, 0);
  });

  it('answers 420 listing unknown comprehension-required attributes, and DONT-FRAGMENT in an Allocate', async () => {
    h = startEngine();
    const { client } = h.connect();
    const unknown = await client.request(StunMethod.Allocate, (b) => {
      addRequestedTransport(b);
      b.addAttribute(0x7f01, Buffer.from([1, 2, 3, 4]));
      b.addAttribute(0x8f01, Buffer.from([1, 2, 3, 4])); // comprehension-optional: ignored
    });
    assert.equal(code(unknown), 420);
    assert.deepEqual(getUnknownAttributes(unknown), [0x7f01]);
    const df = await client.allocate((b) => addDontFragment(b));
    assert.equal(code(df), 420);
    assert.deepEqual(getUnknownAttributes(df), [AttributeType.DONT_FRAGMENT]);
  });

  it('allocates IPv6 when asked (REQUESTED-ADDRESS-FAMILY) and answers 440 when the family is not served', async () => {
    h = startEngine();
    const v6 = await h.connect().client.allocate((b) => addRequestedAddressFamily(b, FAMILY_IPV6));
    assert.equal(code(v6), undefined);
    assert.equal(getXorRelayedAddress(v6)?.address, RELAY_V6);
    assert.equal(code(await h.connect().client.allocate((b) => addRequestedAddressFamily(b, 7))), 440);
    h.close();
    h = startEngine({}, [RELAY_V4]);
    assert.equal(code(await h.connect().client.allocate((b) => addRequestedAddressFamily(b, FAMILY_IPV6))), 440);
    assert.equal(code(await h.connect().client.allocate((b) => addRequestedAddressFamily(b, FAMILY_IPV4))), undefined);
  });

  it('answers a dual allocation with IPv4 and ADDRESS-ERROR-CODE 440 for IPv6; 400 for bad combinations', async () => {
    h = startEngine();
    const dual = await h.connect().client.allocate((b) => addAdditionalAddressFamily(b, FAMILY_IPV6));
    assert.equal(code(dual), undefined);
    assert.equal(getXorRelayedAddress(dual)?.family, 'IPv4');
    assert.deepEqual(getAddressErrorCode(dual), { family: FAMILY_IPV6, code: 440, reason: 'Address Family not Supported' });
    assert.equal(code(await h.connect().client.allocate((b) => addAdditionalAddressFamily(b, FAMILY_IPV4))), 400);
    const both = await h.connect().client.allocate((b) => {
      addRequestedAddressFamily(b, FAMILY_IPV4);
      addAdditionalAddressFamily(b, FAMILY_IPV6);
    });
    assert.equal(code(both), 400);
  });

  it('answers 486 past the per-user quota and past the total, by user id', async () => {
    h = startEngine({ limits: { maxAllocationsPerUser: 2, maxAllocations: 3 } });
    for (let i = 0; i < 2; i++) {
      assert.equal(code(await h.connect().client.allocate()), undefined);
    }
    assert.equal(code(await h.connect().client.allocate()), 486, 'third for alice');
    assert.equal(
      code(await h.connect({ credentials: h.rest('alice', 999) }).client.allocate()),
      486,
      'same user, another expiry',
    );
    assert.equal(code(await h.connect({ credentials: h.rest('bob') }).client.allocate()), undefined);
    assert.equal(code(await h.connect({ credentials: h.rest('carol') }).client.allocate()), 486, 'total reached');
    assert.equal(h.engine.stats().allocations, 3);
  });

  it('uses the quota hook instead of the per-user limit', async () => {
    h = startEngine({ quota: (ctx) => ctx.userId !== 'blocked' && ctx.userAllocations < 1 });
    assert.equal(code(await h.connect({ credentials: h.rest('blocked') }).client.allocate()), 486);
    assert.equal(code(await h.connect().client.allocate()), undefined);
    assert.equal(code(await h.connect().client.allocate()), 486);
  });

  it('answers 508 when the relay port range is exhausted, skipping ports held elsewhere', async () => {
    h = startEngine({ limits: { relayPortMin: 50000, relayPortMax: 50002 } });
    h.network.occupied.add(`${RELAY_V4}|50001`);
    const ports = new Set<number>();
    for (let i = 0; i < 2; i++) {
      const response = await h.connect({ credentials: h.rest(`u${i}`) }).client.allocate();
      ports.add(getXorRelayedAddress(response)!.port);
    }
    assert.deepEqual([...ports].sort(), [50000, 50002]);
    const full = await h.connect({ credentials: h.rest('u9') }).client.allocate();
    assert.equal(code(full), 508);
    assert.equal(h.engine.stats().allocations, 2, 'the failed allocation is not counted');
  });

  it('answers a Refresh naming the other address family with 443', async () => {
    h = startEngine();
    const { client } = h.connect();
    await client.allocate();
    assert.equal(code(await client.call(StunMethod.Refresh, (b) => addRequestedAddressFamily(b, FAMILY_IPV6))), 443);
    assert.equal(code(await client.call(StunMethod.Refresh, (b) => addRequestedAddressFamily(b, FAMILY_IPV4))), undefined);
  });

  it('keeps working when an event listener throws, and logs it', async () => {
    const logged: string[] = [];
    const logger = { debug() {}, info() {}, warn() {}, error: (_obj: object | string, msg?: string) => logged.push(msg ?? '') };
    h = startEngine({ logger });
    h.engine.events.on('allocation-created', () => {
      throw new Error('listener bug');
    });
    const seen: number[] = [];
    h.engine.events.on('allocation-created', (info) => seen.push(info.id));
    const { client } = h.connect();
    assert.equal(code(await client.allocate()), undefined);
    assert.equal(seen.length, 1, 'the next listener still ran');
    assert.deepEqual(logged, ['TURN event listener threw']);
    assert.equal(code(await client.refresh()), undefined);
  });

  it('counts requests by method and result', async () => {
    h = startEngine();
    const { client } = h.connect();
    await client.allocate();
    await client.allocate();
    assert.equal(await h.metric('rendezvous_turn_requests_total', { method: 'Allocate', result: '401' }), 1);
    assert.equal(await h.metric('rendezvous_turn_requests_total', { method: 'Allocate', result: 'success' }), 1);
    assert.equal(await h.metric('rendezvous_turn_requests_total', { method: 'Allocate', result: '437' }), 1);
  });

  it('deletes every allocation on close, with a server-closed event', async () => {
    h = startEngine();
    const reasons: string[] = [];
    h.engine.events.on('allocation-deleted', (_info, reason) => reasons.push(reason));
    await h.connect().client.allocate();
    await h.connect({ credentials: h.rest('bob') }).client.allocate();
    h.engine.close();
    h.engine.close();
    assert.deepEqual(reasons, ['server-closed', 'server-closed']);
    assert.equal(h.network.boundCount, 0);
    assert.equal(h.clock.pending, 0, 'the sweep timer is gone');
  });
});
