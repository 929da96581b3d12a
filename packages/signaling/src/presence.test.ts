import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { ServerMessageOf } from '@rendezvous/protocol';
import { startSignaling, type Harness } from './test-server.js';
import type { TestClient } from './test-client.js';

/** Three peers in room 'r' (everyone has seen everyone join) and one in room 'other'. */
async function setUp(h: Harness): Promise<{ a: TestClient; b: TestClient; c: TestClient; outsider: TestClient }> {
  const [a, b, c, outsider] = [await h.peer('A'), await h.peer('B'), await h.peer('C'), await h.peer('D')];
  await a.join('r');
  await b.join('r');
  await c.join('r');
  await a.next('peer-joined');
  await a.next('peer-joined');
  await b.next('peer-joined');
  await outsider.join('other');
  return { a, b, c, outsider };
}

/** The reply to `requestId`: the sender's own `peer-updated`. */
async function replyTo(client: TestClient, requestId: string): Promise<ServerMessageOf<'peer-updated'>> {
  const reply = await client.waitFor((m) => 'requestId' in m && m.requestId === requestId, `reply ${requestId}`);
  assert.equal(reply.type, 'peer-updated', JSON.stringify(reply));
  return reply;
}

const hands = (peers: ReadonlyArray<{ peerId: string; hand?: number | null | undefined }>): Array<[string, number | null]> =>
  peers.map((p) => [p.peerId, p.hand ?? null]);

describe('presence: hands and recording', { timeout: 60_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('stamps raised hands 1, 2, 3 in the order raised; the sender gets its own copy with its request id', async () => {
    h = await startSignaling();
    const { a, b, c, outsider } = await setUp(h);
    a.send({ type: 'hand', raised: true, requestId: 'a1' });
    const own = await replyTo(a, 'a1');
    assert.deepEqual(own, {
      type: 'peer-updated',
      room: 'r',
      peerId: a.peerId,
      media: { audioMuted: false, videoMuted: false, screenSharing: false },
      hand: 1,
      recording: false,
      requestId: 'a1',
    });
    const { requestId: _ownRequestId, ...seen } = own;
    assert.deepEqual(await b.next('peer-updated'), seen);
    assert.deepEqual(await c.next('peer-updated'), seen);
    b.send({ type: 'hand', raised: true, requestId: 'b1' });
    assert.equal((await replyTo(b, 'b1')).hand, 2);
    assert.deepEqual([(await a.next('peer-updated')).hand, (await c.next('peer-updated')).hand], [2, 2]);
    await outsider.expectNothing('peer-updated');
  });

  it('a raised hand raised again keeps its number and tells no one else; lowered and raised again, it goes last', async () => {
    h = await startSignaling();
    const { a, b } = await setUp(h);
    a.send({ type: 'hand', raised: true, requestId: 'up' });
    await replyTo(a, 'up');
    await b.next('peer-updated');
    a.send({ type: 'hand', raised: true, requestId: 'again' });
    assert.equal((await replyTo(a, 'again')).hand, 1);
    await b.expectNothing('peer-updated');
    a.send({ type: 'hand', raised: false, requestId: 'down' });
    assert.equal((await replyTo(a, 'down')).hand, null);
    assert.equal((await b.next('peer-updated')).hand, null);
    a.send({ type: 'hand', raised: false, requestId: 'down-again' });
    assert.equal((await replyTo(a, 'down-again')).hand, null);
    await b.expectNothing('peer-updated');
    a.send({ type: 'hand', raised: true, requestId: 'up-again' });
    assert.equal((await replyTo(a, 'up-again')).hand, 2);
    assert.equal((await b.next('peer-updated')).hand, 2);
  });

  it('a late joiner sees raised hands and recording flags in joined; the others see it with both at rest', async () => {
    h = await startSignaling();
    const { a, b, c } = await setUp(h);
    b.send({ type: 'hand', raised: true, requestId: 'b' });
    await replyTo(b, 'b');
    a.send({ type: 'hand', raised: true, requestId: 'a' });
    await replyTo(a, 'a');
    c.send({ type: 'recording', active: true, requestId: 'rec' });
    const recording = await replyTo(c, 'rec');
    assert.deepEqual([recording.recording, recording.hand], [true, null]);
    assert.equal((await a.next('peer-updated')).peerId, b.peerId);
    const late = await h.peer('Late');
    const joined = await late.join('r');
    assert.deepEqual(hands(joined.peers), [
      [a.peerId, 2],
      [b.peerId, 1],
      [c.peerId, null],
    ]);
    assert.deepEqual(
      joined.peers.map((p) => p.recording),
      [false, false, true],
    );
    assert.deepEqual([joined.self.hand, joined.self.recording], [null, false]);
    const seen = await a.next('peer-joined');
    assert.deepEqual([seen.peer.peerId, seen.peer.hand, seen.peer.recording], [late.peerId, null, false]);
  });

  it('recording: set and cleared for everyone; an unchanged flag tells no one else', async () => {
    h = await startSignaling();
    const { a, b } = await setUp(h);
    a.send({ type: 'recording', active: true, requestId: 'on' });
    await replyTo(a, 'on');
    assert.equal((await b.next('peer-updated')).recording, true);
    a.send({ type: 'recording', active: true, requestId: 'on-again' });
    assert.equal((await replyTo(a, 'on-again')).recording, true);
    await b.expectNothing('peer-updated');
    a.send({ type: 'recording', active: false, requestId: 'off' });
    assert.equal((await replyTo(a, 'off')).recording, false);
    assert.equal((await b.next('peer-updated')).recording, false);
  });

  it('leaving clears a hand and a recording flag: back in the room, the member starts at rest', async () => {
    h = await startSignaling();
    const { a, b, c } = await setUp(h);
    b.send({ type: 'hand', raised: true, requestId: 'up' });
    b.send({ type: 'recording', active: true, requestId: 'rec' });
    await replyTo(b, 'rec');
    b.send({ type: 'leave' });
    await b.next('left');
    const rejoined = await b.join('r');
    assert.deepEqual([rejoined.self.hand, rejoined.self.recording], [null, false]);
    const seen = await a.waitFor((m) => m.type === 'peer-joined', 'peer-joined');
    assert.ok(seen.type === 'peer-joined' && seen.peer.hand === null && seen.peer.recording === false);
    c.send({ type: 'hand', raised: true, requestId: 'c' });
    assert.equal((await replyTo(c, 'c')).hand, 2, 'numbers keep rising for the room');
  });

  it('a resumed session keeps its hand: the resume snapshot carries it', async () => {
    h = await startSignaling();
    const { a, b } = await setUp(h);
    a.send({ type: 'hand', raised: true, requestId: 'up' });
    await replyTo(a, 'up');
    assert.equal(h.signaling.terminate(a.peerId), true);
    await a.whenClosed();
    const a2 = await h.connect();
    const welcome = await a2.hello('A', { resumeToken: a.resumeToken });
    assert.equal(welcome.resumed, true);
    assert.equal(welcome.room?.self.hand, 1);
    assert.equal(welcome.room?.peers.find((p) => p.peerId === b.peerId)?.hand, null);
  });

  it('media-state carries the presence along; outside a room, hand and recording are NOT_IN_ROOM', async () => {
    h = await startSignaling();
    const { a, b } = await setUp(h);
    a.send({ type: 'hand', raised: true, requestId: 'up' });
    await replyTo(a, 'up');
    await b.next('peer-updated');
    a.send({ type: 'media-state', media: { audioMuted: true, videoMuted: false, screenSharing: false } });
    const update = await b.next('peer-updated');
    assert.deepEqual([update.media.audioMuted, update.hand, update.recording], [true, 1, false]);
    const lone = await h.peer('Lone');
    lone.send({ type: 'hand', raised: true, requestId: 'h' });
    lone.send({ type: 'recording', active: true, requestId: 'r' });
    assert.equal((await lone.errorFor('h')).code, 'NOT_IN_ROOM');
    assert.equal((await lone.errorFor('r')).code, 'NOT_IN_ROOM');
  });

  it('hand messages pass the socket rate gate like any frame: past the burst, RATE_LIMITED', async () => {
    h = await startSignaling({ limits: { rateLimitBurst: 6, rateLimitPerSecond: 1 } });
    const a = await h.peer('A'); // hello: one token
    const b = await h.peer('B');
    await a.join('r'); // join: one token
    await b.join('r');
    for (let n = 1; n <= 6; n++) {
      a.send({ type: 'hand', raised: n % 2 === 1, requestId: `h${n}` });
    }
    for (let n = 1; n <= 4; n++) {
      assert.equal((await replyTo(a, `h${n}`)).hand, n % 2 === 1 ? (n + 1) / 2 : null);
    }
    assert.equal((await a.errorFor('h5')).code, 'RATE_LIMITED');
    assert.equal((await a.errorFor('h6')).code, 'RATE_LIMITED');
    const seen = [];
    for (let n = 1; n <= 4; n++) {
      seen.push((await b.next('peer-updated')).hand);
    }
    assert.deepEqual(seen, [1, null, 2, null]);
    await b.expectNothing('peer-updated');
  });
});
