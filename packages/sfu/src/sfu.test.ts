import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ndc from 'node-datachannel';
import type { RendezvousError, SfuGroup, SfuSource } from '@rendezvous/protocol';
import { Registry } from 'prom-client';
import { declaredSsrc, rtpPacket, TestClient } from './ndc-client.test-util.js';
import { Sfu } from './sfu.js';
import type { SfuRoom } from './sfu-room.js';
import { buildNack, buildPli, isRtcp, parseRtcp, rtpPayloadType, rtpSequence, rtpSsrc } from './rtp/index.js';

const ADDRESS = '127.0.0.1';
const PUB_SSRC = 0x1234_5678;

interface Fixture {
  sfu: Sfu;
  room: SfuRoom;
  sources: [string, SfuSource[]][];
  failed: unknown[];
  clients: TestClient[];
  dropped: Set<number>;
}

async function fixture(options: Parameters<typeof Sfu.start>[0] = {}): Promise<Fixture> {
  const dropped = new Set<number>();
  const sfu = await Sfu.start({
    port: 0,
    bindAddress: ADDRESS,
    dropForwarded: (packet) => dropped.delete(rtpSequence(packet)),
    ...options,
  });
  const f: Fixture = { sfu, room: undefined as unknown as SfuRoom, sources: [], failed: [], clients: [], dropped };
  f.room = sfu.openRoom('r', {
    sourcesChanged: (peerId, sources) => f.sources.push([peerId, sources]),
    failed: (peerId, what) => f.failed.push({ peerId, what }),
  });
  return f;
}

async function close(f: Fixture): Promise<void> {
  await Promise.all(f.clients.map((client) => client.close()));
  await f.sfu.close();
}

async function publisher(f: Fixture, peerId = 'alice'): Promise<TestClient> {
  const client = new TestClient(`pub-${peerId}`);
  f.clients.push(client);
  client.addLine('0', 'video', 'SendOnly', [[96, 'VP8']], PUB_SSRC);
  const answer = await f.room.publish(peerId, ADDRESS, 'video', await client.offer());
  await client.connect(answer);
  return client;
}

async function subscriber(
  f: Fixture,
  peerId: string,
  publisherId = 'alice',
  group: SfuGroup = 'camera',
): Promise<{ client: TestClient; ssrc: number; setup: string | undefined }> {
  const client = new TestClient(`sub-${peerId}`);
  f.clients.push(client);
  client.addLine('0', 'audio', 'RecvOnly', [[109, 'opus']]);
  // Another payload number for VP8 than the publisher's: the SFU maps it.
  client.addLine('1', 'video', 'RecvOnly', [
    [100, 'VP8'],
    [102, 'H264'],
  ]);
  const answer = await f.room.subscribe(peerId, ADDRESS, publisherId, group, await client.offer());
  await client.connect(answer);
  return { client, ssrc: declaredSsrc(answer, '1'), setup: /^a=setup:(\w+)/m.exec(answer)?.[1] };
}

const rtpOnly = (packets: Buffer[]): Buffer[] => packets.filter((packet) => !isRtcp(packet));

// This file's own libdatachannel clients keep callbacks that hold the process open: stop the library once every
// client and SFU here has closed.
after(() => ndc.cleanup());

describe('Sfu with libdatachannel clients', () => {
  let f: Fixture;
  before(async () => {
    f = await fixture({ keyframeIntervalMs: 0 }); // every keyframe request goes through: the PLI below is not held back
  });
  after(() => close(f));

  test('forwards a publication to a subscriber as one stream in its own numbering, and tells who publishes what', async () => {
    const pub = await publisher(f);
    assert.deepEqual(f.sources, [['alice', ['video']]]);
    assert.deepEqual(f.room.sources('alice'), ['video']);
    const { client: sub, ssrc, setup } = await subscriber(f, 'bob');
    assert.ok(pub.states.includes('connected') && sub.states.includes('connected'));
    assert.equal(setup, 'passive', 'the SFU is the DTLS server: the client speaks first, once it has the answer');
    assert.notEqual(ssrc, 0, 'the answer declares the SSRC the SFU sends with');
    // The new subscription asked the publisher for a keyframe.
    const plis = await pub.until('0', (packets) => packets.some((p) => isRtcp(p) && parseRtcp(p).some((i) => i.type === 'pli')));
    const pli = plis.flatMap((p) => (isRtcp(p) ? parseRtcp(p) : [])).find((i) => i.type === 'pli');
    assert.equal(pli?.type === 'pli' ? pli.mediaSsrc : 0, PUB_SSRC);
    for (let seq = 500; seq < 540; seq++) {
      pub.send('0', rtpPacket(96, seq, seq * 3000, PUB_SSRC));
    }
    const got = rtpOnly(await sub.until('1', (packets) => rtpOnly(packets).length >= 40));
    assert.ok(got.every((p) => rtpPayloadType(p) === 100 && rtpSsrc(p) === ssrc));
    const seqs = got.map(rtpSequence);
    for (let i = 1; i < seqs.length; i++) {
      assert.equal(seqs[i], (seqs[i - 1]! + 1) & 0xffff, 'continuous sequence numbers');
    }
    assert.equal(rtpOnly(sub.received.get('0') ?? []).length, 0, 'nothing on the audio line');
    assert.ok(f.sfu.stats().counters.forwardedPackets >= 40);
  });

  test('a NACK from the subscriber is answered from the cache; a PLI reaches the publisher', async () => {
    const pub = f.clients[0]!;
    const sub = f.clients[1]!;
    const ssrc = rtpSsrc(rtpOnly(sub.received.get('1') ?? [])[0]!);
    const before = rtpOnly(sub.received.get('1') ?? []).length;
    const nextOut = (rtpSequence(rtpOnly(sub.received.get('1') ?? []).at(-1)!) + 1) & 0xffff;
    f.dropped.add((nextOut + 2) & 0xffff); // the network "loses" the third packet of the next burst
    for (let seq = 540; seq < 545; seq++) {
      pub.send('0', rtpPacket(96, seq, seq * 3000, PUB_SSRC));
    }
    await sub.until('1', (packets) => rtpOnly(packets).length >= before + 4);
    assert.ok(!rtpOnly(sub.received.get('1') ?? []).some((p) => rtpSequence(p) === ((nextOut + 2) & 0xffff)));
    sub.send('1', buildNack(1, ssrc, [(nextOut + 2) & 0xffff]));
    await sub.until('1', (packets) => rtpOnly(packets).some((p) => rtpSequence(p) === ((nextOut + 2) & 0xffff)));
    assert.equal(f.sfu.stats().counters.retransmittedPackets, 1);
    const plisBefore = f.sfu.stats().counters.plisSent;
    sub.send('1', buildPli(1, ssrc));
    await pub.until('0', () => f.sfu.stats().counters.plisSent > plisBefore);
    assert.equal(f.sfu.stats().counters.keyframeRequests, 1);
  });

  test('when the publisher leaves, its connections and the subscriptions to it close', () => {
    assert.equal(f.sfu.stats().connections, 2);
    f.room.removePeer('alice');
    assert.equal(f.sfu.stats().connections, 0);
    assert.deepEqual(f.room.publishers(), []);
  });
});

describe('Sfu refusals', () => {
  test('typed errors for a bad offer, a codec it does not forward, and past the per-address limit', async () => {
    const f = await fixture({ limits: { maxConnectionsPerAddress: 1 } });
    try {
      const audio = new TestClient('a');
      f.clients.push(audio);
      audio.addLine('0', 'audio', 'SendOnly', [[111, 'opus']], 1);
      await assert.rejects(
        f.room.publish('p', ADDRESS, 'video', await audio.offer()),
        (e: RendezvousError) => e.code === 'SFU_BAD_OFFER',
      );
      const h265 = new TestClient('b');
      f.clients.push(h265);
      h265.addLine('0', 'video', 'SendOnly', [[96, 'H265']], 2);
      await assert.rejects(
        f.room.publish('p', ADDRESS, 'video', await h265.offer()),
        (e: RendezvousError) => e.code === 'SFU_CODEC_UNSUPPORTED',
      );
      await assert.rejects(
        f.room.publish('p', ADDRESS, 'video', 'v=0 nonsense'),
        (e: RendezvousError) => e.code === 'SFU_BAD_OFFER',
      );
      await publisher(f, 'p');
      const second = new TestClient('c');
      f.clients.push(second);
      second.addLine('0', 'audio', 'SendOnly', [[111, 'opus']], 3);
      await assert.rejects(
        f.room.publish('p', ADDRESS, 'audio', await second.offer()),
        (e: RendezvousError) => e.code === 'SFU_LIMIT',
      );
      assert.equal(f.sfu.stats().connections, 1);
    } finally {
      await close(f);
    }
  });

  test('metrics count forwarding for /metrics', async () => {
    const registry = new Registry();
    const f = await fixture({ registry });
    try {
      const text = await registry.metrics();
      assert.match(text, /rendezvous_sfu_forwarded_packets_total 0/);
      assert.match(text, /rendezvous_sfu_rooms 1/);
    } finally {
      await close(f);
    }
  });
});
