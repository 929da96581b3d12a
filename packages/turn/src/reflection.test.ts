/**
 * Reflection: what a spoofed, unauthenticated request gets sent to its victim. Replies without authentication
 * carry no SOFTWARE and no MAPPED-ADDRESS; an unsigned TURN request other than Allocate from a 5-tuple without an
 * allocation gets a bare 437 instead of a 401 challenge. Measured on minimal requests (20 bytes; 28 for Allocate
 * with REQUESTED-TRANSPORT), reply bytes / request bytes went from up to 5.4 to up to 3.1.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  AttributeType,
  MessageBuilder,
  StunClass,
  StunMethod,
  TRANSPORT_UDP,
  addRequestedTransport,
  decodeMessage,
  getErrorCode,
  type TransportAddress,
} from '@rendezvous/stun';
import { RELAY_V6, startEngine, type Harness } from './test-harness.js';

const V4: TransportAddress = { family: 'IPv4', address: '203.0.113.10', port: 1000 };
const V6: TransportAddress = { family: 'IPv6', address: '2001:db8::9', port: 1000 };

describe('reflection of unauthenticated requests', { timeout: 10_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  /** Sends `request` from `remote` and returns every reply, with the ratio of reply bytes to request bytes. */
  function probe(remote: TransportAddress, request: Buffer): { replies: Buffer[]; ratio: number } {
    const local = remote.family === 'IPv6' ? { family: 'IPv6' as const, address: RELAY_V6, port: 3478 } : undefined;
    const { link } = h.connect({ remote, local, credentials: null });
    const replies: Buffer[] = [];
    link.receiver = (data) => replies.push(data);
    h.engine.onClientPacket(link, request);
    const bytes = replies.reduce((sum, reply) => sum + reply.length, 0);
    return { replies, ratio: bytes / request.length };
  }

  const minimal = (method: number, build?: (b: MessageBuilder) => void): Buffer => {
    const builder = new MessageBuilder(method, StunClass.Request);
    build?.(builder);
    return Buffer.from(builder.build());
  };

  it('answers a minimal Binding with XOR-MAPPED-ADDRESS alone: 1.6x over IPv4, 2.2x over IPv6', () => {
    h = startEngine();
    for (const [remote, ratio] of [
      [V4, 1.6],
      [V6, 2.2],
    ] as const) {
      const { replies, ratio: measured } = probe(remote, minimal(StunMethod.Binding));
      assert.equal(replies.length, 1);
      const reply = decodeMessage(replies[0]!);
      assert.deepEqual(
        reply.attributes.map((a) => a.type),
        [AttributeType.XOR_MAPPED_ADDRESS],
      );
      assert.equal(measured, ratio, remote.family);
    }
  });

  it('challenges an unsigned Allocate with ERROR-CODE, REALM and NONCE only: about 3.1x', () => {
    h = startEngine();
    const { replies, ratio } = probe(
      V6,
      minimal(StunMethod.Allocate, (b) => addRequestedTransport(b, TRANSPORT_UDP)),
    );
    const reply = decodeMessage(replies[0]!);
    assert.equal(getErrorCode(reply)?.code, 401);
    assert.deepEqual(
      reply.attributes.map((a) => a.type),
      [AttributeType.ERROR_CODE, AttributeType.REALM, AttributeType.NONCE],
    );
    assert.ok(ratio < 3.2, `ratio ${ratio}`);
  });

  it('answers an unsigned Refresh, CreatePermission or ChannelBind without an allocation with a bare 437', () => {
    h = startEngine();
    for (const method of [StunMethod.Refresh, StunMethod.CreatePermission, StunMethod.ChannelBind]) {
      const { replies, ratio } = probe(V6, minimal(method));
      const reply = decodeMessage(replies[0]!);
      assert.equal(getErrorCode(reply)?.code, 437);
      assert.deepEqual(
        reply.attributes.map((a) => a.type),
        [AttributeType.ERROR_CODE],
      );
      assert.ok(ratio <= 2.4, `ratio ${ratio}`);
    }
  });

  it('still challenges an unsigned Refresh on a 5-tuple that has an allocation (its nonce may have expired)', async () => {
    h = startEngine();
    const { client } = h.connect();
    await client.allocate();
    const response = await client.request(StunMethod.Refresh);
    assert.equal(getErrorCode(response)?.code, 401);
  });
});
