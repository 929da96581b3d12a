import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
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

/** A string whose JSON is exactly `bytes` long (two quotes included). */
const jsonOfBytes = (bytes: number): string => 'x'.repeat(bytes - 2);

describe('room-event', { timeout: 60_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('relays to the other members of the room only, with room and from set by the server', async () => {
    h = await startSignaling();
    const { a, b, c, outsider } = await setUp(h);
    a.send({ type: 'room-event', event: 'reaction:clap', data: { emoji: '👏', n: [1, null, true] }, requestId: 'e1' });
    const expected = {
      type: 'room-event',
      room: 'r',
      from: a.peerId,
      event: 'reaction:clap',
      data: { emoji: '👏', n: [1, null, true] },
    };
    assert.deepEqual(await b.next('room-event'), expected);
    assert.deepEqual(await c.next('room-event'), expected);
    await a.expectNothing('room-event');
    await a.expectNothing('error');
    await outsider.expectNothing('room-event');
  });

  it('leaves data out when the sender sent none', async () => {
    h = await startSignaling();
    const { a, b } = await setUp(h);
    b.send({ type: 'room-event', event: 'hand' });
    const event = await a.next('room-event');
    assert.deepEqual(event, { type: 'room-event', room: 'r', from: b.peerId, event: 'hand' });
    assert.equal('data' in event, false);
  });

  it('data at maxRoomEventBytes is relayed; one byte more is FRAME_TOO_LARGE with detail, relayed to nobody', async () => {
    h = await startSignaling({ limits: { maxRoomEventBytes: 100 } });
    const { a, b, c } = await setUp(h);
    a.send({ type: 'room-event', event: 'big', data: jsonOfBytes(101), requestId: 'over' });
    const error = await a.errorFor('over');
    assert.equal(error.code, 'FRAME_TOO_LARGE');
    assert.deepEqual(error.detail, { bytes: 101, maxBytes: 100 });
    assert.match(error.message, /101 bytes exceeds 100/);
    a.send({ type: 'room-event', event: 'big', data: jsonOfBytes(100), requestId: 'fits' });
    assert.equal((await b.next('room-event')).data, jsonOfBytes(100), 'the first one to arrive is the one that fits');
    assert.equal((await c.next('room-event')).data, jsonOfBytes(100));
    await b.expectNothing('room-event');
    assert.equal(await h.metric('rendezvous_signaling_limit_hits_total', { limit: 'maxRoomEventBytes' }), 1);
  });

  it('the default limit is 4096 bytes and welcome.config tells the client', async () => {
    h = await startSignaling();
    const a = await h.connect();
    assert.equal((await a.hello('A')).config.maxRoomEventBytes, 4096);
    await a.join('r');
    a.send({ type: 'room-event', event: 'big', data: jsonOfBytes(4097), requestId: 'over' });
    assert.deepEqual((await a.errorFor('over')).detail, { bytes: 4097, maxBytes: 4096 });
  });

  it('outside a room: NOT_IN_ROOM, also after leaving', async () => {
    h = await startSignaling();
    const { a, b } = await setUp(h);
    const lone = await h.peer('Lone');
    lone.send({ type: 'room-event', event: 'hand', requestId: 'lone' });
    assert.equal((await lone.errorFor('lone')).code, 'NOT_IN_ROOM');
    a.send({ type: 'leave' });
    await a.next('left');
    a.send({ type: 'room-event', event: 'hand', requestId: 'gone' });
    assert.equal((await a.errorFor('gone')).code, 'NOT_IN_ROOM');
    await b.expectNothing('room-event');
  });

  it('an invalid event name is BAD_MESSAGE', async () => {
    h = await startSignaling();
    const { a, b } = await setUp(h);
    a.sendJson({ type: 'room-event', event: 'Raise Hand', requestId: 'bad' });
    assert.equal((await a.errorFor('bad')).code, 'BAD_MESSAGE');
    await b.expectNothing('room-event');
  });

  it('counts against the socket rate limit like every frame', async () => {
    h = await startSignaling({ limits: { rateLimitBurst: 4, rateLimitPerSecond: 1 } });
    const a = await h.peer('A'); // hello: one token
    const b = await h.peer('B');
    await a.join('r'); // two
    await b.join('r');
    await a.next('peer-joined');
    for (let n = 1; n <= 3; n++) {
      a.send({ type: 'room-event', event: 'tap', data: n, requestId: `t${n}` });
    }
    assert.equal((await a.errorFor('t3')).code, 'RATE_LIMITED');
    assert.equal((await b.next('room-event')).data, 1);
    assert.equal((await b.next('room-event')).data, 2);
    h.clock.advance(1_000); // one token back
    a.send({ type: 'room-event', event: 'tap', data: 4 });
    assert.equal((await b.next('room-event')).data, 4);
    await b.expectNothing('room-event');
  });

  it('a detached member gets it after its resume', async () => {
    h = await startSignaling();
    const { a, b } = await setUp(h);
    assert.equal(h.signaling.terminate(b.peerId), true);
    await b.whenClosed();
    a.send({ type: 'room-event', event: 'hand', data: { up: true } });
    await a.sync();
    const b2 = await h.connect();
    assert.equal((await b2.hello('B', { resumeToken: b.resumeToken })).resumed, true);
    assert.deepEqual(await b2.next('room-event'), {
      type: 'room-event',
      room: 'r',
      from: a.peerId,
      event: 'hand',
      data: { up: true },
    });
  });
});
