import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { FakeClock } from '@rendezvous/common';
import { PeerjsEndpoint } from '@rendezvous/peerjs';
import type { CandidatePayload, DeliveredDirectoryMessage, OfferPayload } from '@rendezvous/protocol';
import { startSignaling, type Harness } from './test-server.js';
import type { TestClient } from './test-client.js';

/**
 * A hostile client floods the native `peer-open` and `peer-signal` messages on /ws while a calm pair of
 * `Peer`s exchanges `peer-signal` messages through the same directory. The flooder gets a typed answer for
 * each frame (or is rate limited, or closed with 1009 for a frame past 4 × maxFrameBytes), what it queues
 * for peers that are not there stays within max_queued_per_peer / max_queued_per_sender, and the calm pair
 * loses nothing and sees everything in order.
 */

const BURST = 80;
const QUEUE_LIMITS = { max_queued_per_peer: 2, max_queued_per_sender: 4, expire_timeout: 5_000 };
const FLOOD = 200;
const CALM = 20;

const offer: OfferPayload = { sdp: { type: 'offer', sdp: 'v=0\r\n' }, type: 'data', connectionId: 'dc_flood' };
const candidate = (n: number): CandidatePayload => ({
  candidate: { candidate: `candidate:${n}`, sdpMid: '0' },
  type: 'data',
  connectionId: 'dc_calm',
});

/** What the flooder sends, each with a requestId and the answer it must get. */
interface Probe {
  frame: Record<string, unknown>;
  code: string;
}

const badIds = ['bad id!', '-lead', 'two  spaces', 'trail_', 'x'.repeat(257), '', 'slash/id', 'ünïcode'];

/** peer-open and peer-signal frames the server must refuse with a typed error, in the order sent. */
function refusedProbes(): Probe[] {
  const open = (extra: Record<string, unknown>) => ({ type: 'peer-open', ...extra });
  const signal = (message: Record<string, unknown>) => ({ type: 'peer-signal', message });
  return [
    { frame: signal({ type: 'OFFER', dst: 'calm-b', payload: offer }), code: 'PEER_NOT_OPEN' },
    { frame: open({ id: 'calm-a' }), code: 'PEER_ID_TAKEN' },
    ...badIds.map((id) => ({ frame: open({ id }), code: 'BAD_MESSAGE' })),
    { frame: open({ id: 'flooder', token: 'short' }), code: 'BAD_MESSAGE' },
    { frame: open({ id: 42 }), code: 'BAD_MESSAGE' },
  ];
}

/** After the flooder holds 'flooder': frames refused by the schema, the size limit or the held id. */
function openRefusedProbes(): Probe[] {
  const signal = (message: Record<string, unknown>) => ({ type: 'peer-signal', message });
  const hugeSdp = { ...offer, sdp: { type: 'offer', sdp: 'x'.repeat(60_001) } };
  return [
    { frame: { type: 'peer-open', id: 'another-id' }, code: 'PEER_ALREADY_OPEN' },
    { frame: signal({ type: 'OFFER', dst: 'ghost', payload: hugeSdp }), code: 'BAD_MESSAGE' },
    { frame: signal({ type: 'OFFER', dst: 'ghost', payload: { ...offer, label: 'l'.repeat(300) } }), code: 'BAD_MESSAGE' },
    {
      frame: signal({ type: 'OFFER', dst: 'ghost', payload: { ...offer, metadata: 'm'.repeat(70_000) } }),
      code: 'FRAME_TOO_LARGE',
    },
    { frame: signal({ type: 'OFFER', dst: 'not/an/id', payload: offer }), code: 'BAD_MESSAGE' },
    { frame: signal({ type: 'OPEN', dst: 'ghost' }), code: 'BAD_MESSAGE' },
    { frame: signal({ type: 'HEARTBEAT' }), code: 'BAD_MESSAGE' },
    { frame: signal({ type: 'CANDIDATE', dst: 'ghost', payload: { type: 'data' } }), code: 'BAD_MESSAGE' },
    { frame: { type: 'peer-signal', message: 'OFFER' }, code: 'BAD_MESSAGE' },
  ];
}

async function openPeer(client: TestClient, id: string, requestId: string): Promise<void> {
  client.send({ type: 'peer-open', id, requestId });
  const opened = await client.waitFor((m) => 'requestId' in m && m.requestId === requestId, `reply to ${requestId}`);
  assert.deepEqual([opened.type, opened.type === 'peer-opened' ? opened.id : undefined], ['peer-opened', id]);
}

/** The directory messages `client` received, in order, taken out of its inbox. */
function takeDirectoryMessages(client: TestClient): DeliveredDirectoryMessage[] {
  const taken: DeliveredDirectoryMessage[] = [];
  for (let i = 0; i < client.inbox.length;) {
    const message = client.inbox[i];
    if (message?.type === 'peer-signal') {
      taken.push(message.message);
      client.inbox.splice(i, 1);
    } else {
      i++;
    }
  }
  return taken;
}

async function replyTo(client: TestClient, requestId: string) {
  return client.waitFor((m) => 'requestId' in m && m.requestId === requestId, `reply to ${requestId}`);
}

async function expectCodes(client: TestClient, probes: Probe[], prefix: string): Promise<void> {
  const codes = [];
  for (let n = 0; n < probes.length; n++) {
    const reply = await replyTo(client, `${prefix}${n}`);
    codes.push(reply.type === 'error' ? reply.code : reply.type);
  }
  assert.deepEqual(
    codes,
    probes.map((p) => p.code),
    `${prefix}: one typed error per frame, in order`,
  );
}

describe('peer directory flood on /ws', { timeout: 60_000 }, () => {
  let h: Harness;
  let endpoint: PeerjsEndpoint;
  afterEach(async () => {
    endpoint.close();
    await h.close();
  });

  async function start() {
    const clock = new FakeClock();
    endpoint = new PeerjsEndpoint({ clock, limits: QUEUE_LIMITS });
    h = await startSignaling({ clock, directory: endpoint, limits: { rateLimitBurst: BURST, rateLimitPerSecond: 1 } });
    const a = await h.peer('A');
    const b = await h.peer('B');
    await openPeer(a, 'calm-a', 'open-a');
    await openPeer(b, 'calm-b', 'open-b');
    return { a, b, flooder: await h.peer('Flooder') };
  }

  it('answers every hostile peer-open and peer-signal with its code, bounds what it queues, and rate limits the rest', async () => {
    const { a, b, flooder } = await start();
    const before = refusedProbes();
    before.forEach((p, n) => flooder.sendJson({ ...p.frame, requestId: `pre${n}` }));
    const opens = ['flooder', 'flooder', undefined];
    opens.forEach((id, n) => flooder.sendJson({ type: 'peer-open', requestId: `open${n}`, ...(id === undefined ? {} : { id }) }));
    const after = openRefusedProbes();
    after.forEach((p, n) => flooder.sendJson({ ...p.frame, requestId: `post${n}` }));
    // Queued for peers that are not there: 3 for one id (max 2 per peer), then 6 ids more (max 4 per sender).
    const ghosts = ['ghost-same', 'ghost-same', 'ghost-same', 'ghost-1', 'ghost-2', 'ghost-3', 'ghost-4', 'ghost-5', 'ghost-6'];
    for (const dst of ghosts) {
      flooder.send({ type: 'peer-signal', message: { type: 'OFFER', dst, payload: offer } });
    }
    flooder.send({ type: 'peer-signal', message: { type: 'LEAVE', dst: 'ghost-unknown' }, requestId: 'leave' });
    const used = 1 + before.length + opens.length + after.length + ghosts.length + 1;
    // The flood, with the calm pair talking in between; all sent in one tick, so the server reads them together.
    for (let n = 0; n < FLOOD; n++) {
      flooder.send({
        type: 'peer-signal',
        message: { type: 'CANDIDATE', dst: `ghost-${n}`, payload: candidate(n) },
        requestId: `f${n}`,
      });
      if (n % (FLOOD / CALM) === 0) {
        const k = n / (FLOOD / CALM);
        a.send({ type: 'peer-signal', message: { type: 'CANDIDATE', dst: 'calm-b', payload: candidate(k) } });
        b.send({ type: 'peer-signal', message: { type: 'CANDIDATE', dst: 'calm-a', payload: candidate(k) } });
      }
    }

    await expectCodes(flooder, before, 'pre');
    for (let n = 0; n < opens.length; n++) {
      const reply = await replyTo(flooder, `open${n}`);
      assert.deepEqual([reply.type, reply.type === 'peer-opened' ? reply.id : undefined], ['peer-opened', 'flooder']);
    }
    await expectCodes(flooder, after, 'post');
    const admitted = BURST - used;
    const refused = [];
    for (let n = 0; n < FLOOD; n++) {
      if (n >= admitted) {
        refused.push((await flooder.errorFor(`f${n}`)).code);
      }
    }
    assert.deepEqual(refused, Array<string>(FLOOD - admitted).fill('RATE_LIMITED'));
    assert.equal(await h.metric('rendezvous_signaling_rejected_frames_total', { code: 'RATE_LIMITED' }), FLOOD - admitted);
    await expectCalmPair(a, b);
    await expectBoundedQueue(flooder, admitted);
  });

  async function expectCalmPair(a: TestClient, b: TestClient): Promise<void> {
    for (const [to, from] of [
      [b, 'calm-a'],
      [a, 'calm-b'],
    ] as const) {
      const seen: DeliveredDirectoryMessage[] = [];
      while (seen.length < CALM) {
        seen.push((await to.next('peer-signal')).message);
      }
      const expected = Array.from({ length: CALM }, (_, k) => ({
        type: 'CANDIDATE',
        src: from,
        dst: from === 'calm-a' ? 'calm-b' : 'calm-a',
        payload: candidate(k),
      }));
      assert.deepEqual(seen, expected, `every peer-signal from ${from} arrives, in order`);
      await to.expectNothing();
    }
  }

  /** 2 + 2 OFFERs held (per-peer, then per-sender limit); every other one (and every admitted CANDIDATE) EXPIREs at once. */
  async function expectBoundedQueue(flooder: TestClient, admitted: number): Promise<void> {
    await flooder.sync();
    const immediate = takeDirectoryMessages(flooder);
    assert.ok(immediate.every((m) => m.type === 'EXPIRE' && m.dst === 'flooder'));
    const expectedSources = [
      'ghost-same',
      'ghost-3',
      'ghost-4',
      'ghost-5',
      'ghost-6',
      ...Array.from({ length: admitted }, (_, n) => `ghost-${n}`),
    ];
    assert.deepEqual(
      immediate.map((m) => m.src),
      expectedSources,
    );
    const bytes = (dst: string) => JSON.stringify({ type: 'OFFER', src: 'flooder', dst, payload: offer }).length;
    const held = ['ghost-same', 'ghost-same', 'ghost-1', 'ghost-2'].map(bytes).reduce((x, y) => x + y);
    assert.equal(endpoint.realm.heldBytes, held, 'max_queued_per_peer and max_queued_per_sender hold four OFFERs, no more');

    h.clock.advance(QUEUE_LIMITS.expire_timeout + 1_000);
    await flooder.sync();
    const late = takeDirectoryMessages(flooder).map((m) => `${m.type} ${m.src}`);
    assert.deepEqual(late.sort(), ['EXPIRE ghost-1', 'EXPIRE ghost-2', 'EXPIRE ghost-same']);
    assert.equal(endpoint.realm.heldBytes, 0, 'expired messages give their bytes back');
  }

  it('closes the flooder with 1009 for a frame past 4 × maxFrameBytes; the calm pair keeps talking', async () => {
    const { a, b, flooder } = await start();
    await openPeer(flooder, 'flooder', 'open-f');
    flooder.send({
      type: 'peer-signal',
      message: { type: 'OFFER', dst: 'calm-b', payload: { ...offer, metadata: 'm'.repeat(300_000) } },
    });
    assert.equal((await flooder.whenClosed()).code, 1009);
    for (let k = 0; k < CALM; k++) {
      a.send({ type: 'peer-signal', message: { type: 'CANDIDATE', dst: 'calm-b', payload: candidate(k) } });
      b.send({ type: 'peer-signal', message: { type: 'CANDIDATE', dst: 'calm-a', payload: candidate(k) } });
    }
    await expectCalmPair(a, b);
  });
});
