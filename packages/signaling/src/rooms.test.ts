import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { startSignaling, type Harness } from './test-server.js';

const MUTED = { audioMuted: true, videoMuted: false, screenSharing: false };

describe('rooms', { timeout: 60_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('joins: the newcomer is impolite toward everyone, the others are polite toward it', async () => {
    h = await startSignaling();
    const a = await h.peer('Ada');
    const b = await h.peer('Bob');
    const c = await h.peer('Cy');
    a.send({ type: 'join', room: 'standup', requestId: 'ja' });
    const joinedA = await a.next('joined');
    assert.deepEqual(joinedA, {
      type: 'joined',
      room: 'standup',
      self: {
        peerId: a.peerId,
        displayName: 'Ada',
        media: { audioMuted: false, videoMuted: false, screenSharing: false },
        hand: null,
        recording: false,
      },
      peers: [],
      capacity: 6,
      mode: 'mesh',
      requestId: 'ja',
    });
    const joinedB = await b.join('standup', { media: MUTED });
    assert.deepEqual(joinedB.self.media, MUTED);
    assert.deepEqual(
      joinedB.peers.map((p) => [p.peerId, p.displayName, p.polite]),
      [[a.peerId, 'Ada', false]],
    );
    const seenByA = await a.next('peer-joined');
    assert.deepEqual(seenByA, { type: 'peer-joined', room: 'standup', peer: { ...joinedB.self, polite: true } });

    const joinedC = await c.join('standup');
    assert.deepEqual(
      joinedC.peers.map((p) => [p.peerId, p.polite, p.media.audioMuted]),
      [
        [a.peerId, false, false],
        [b.peerId, false, true],
      ],
    );
    assert.equal((await a.next('peer-joined')).peer.polite, true);
    assert.equal((await b.next('peer-joined')).peer.polite, true);
    await c.expectNothing('peer-joined');
    assert.equal(h.signaling.stats().rooms, 1);
  });

  it('leaves: reply left, the others get peer-left reason left; empty rooms are removed', async () => {
    h = await startSignaling();
    const a = await h.peer('A');
    const b = await h.peer('B');
    await a.join('r');
    await b.join('r');
    await a.next('peer-joined');
    b.send({ type: 'leave', requestId: 'lb' });
    assert.deepEqual(await b.next('left'), { type: 'left', room: 'r', requestId: 'lb' });
    assert.deepEqual(await a.next('peer-left'), { type: 'peer-left', room: 'r', peerId: b.peerId, reason: 'left' });
    assert.equal(h.signaling.stats().rooms, 1);
    a.send({ type: 'leave' });
    await a.next('left');
    assert.equal(h.signaling.stats().rooms, 0);
    a.send({ type: 'leave', requestId: 'again' });
    assert.equal((await a.errorFor('again')).code, 'NOT_IN_ROOM');
    await b.join('r'); // a fresh room of the same name
    assert.equal(h.signaling.stats().rooms, 1);
  });

  it('answers ALREADY_IN_ROOM, ROOM_FULL and ROOM_LIMIT', async () => {
    h = await startSignaling({ limits: { roomCapacity: 2, maxRooms: 1 } });
    const [a, b, c] = [await h.peer('A'), await h.peer('B'), await h.peer('C')];
    const joined = await a.join('only');
    assert.equal(joined.capacity, 2);
    a.send({ type: 'join', room: 'other', requestId: 'x1' });
    assert.equal((await a.errorFor('x1')).code, 'ALREADY_IN_ROOM');
    await b.join('only');
    assert.equal((await a.next('peer-joined')).peer.peerId, b.peerId);
    c.send({ type: 'join', room: 'only', requestId: 'x2' });
    const full = await c.errorFor('x2');
    assert.equal(full.code, 'ROOM_FULL');
    assert.match(full.message, /\(2 of 2\)/);
    assert.deepEqual(full.detail, { size: 2, capacity: 2 });
    c.send({ type: 'join', room: 'second', requestId: 'x3' });
    assert.equal((await c.errorFor('x3')).code, 'ROOM_LIMIT');
    await a.expectNothing('peer-joined');
    b.send({ type: 'leave' });
    await b.next('left');
    await c.join('only'); // a seat is free again
    assert.equal(await h.metric('rendezvous_signaling_rejected_frames_total', { code: 'ROOM_FULL' }), 1);
  });

  it('relays media-state as peer-updated to the others only', async () => {
    h = await startSignaling();
    const a = await h.peer('A');
    const b = await h.peer('B');
    await a.join('m');
    await b.join('m');
    a.send({ type: 'media-state', media: MUTED });
    assert.deepEqual(await b.next('peer-updated'), {
      type: 'peer-updated',
      room: 'm',
      peerId: a.peerId,
      media: MUTED,
      hand: null,
      recording: false,
    });
    await a.expectNothing('peer-updated');
    const c = await h.peer('C');
    const joinedC = await c.join('m');
    assert.deepEqual(joinedC.peers.find((p) => p.peerId === a.peerId)?.media, MUTED);
  });

  it('asks the admit hook with the authenticated user id; false means UNAUTHORIZED', async () => {
    const asked: unknown[] = [];
    h = await startSignaling({
      authenticate: ({ token }) => ({ userId: token }),
      admit: ({ userId, room, peerId }) => {
        asked.push({ userId, room, peerId });
        return Promise.resolve(room !== 'secret');
      },
    });
    const a = await h.connect();
    await a.hello('A', { token: 'user-1' });
    a.send({ type: 'join', room: 'secret', requestId: 's' });
    assert.equal((await a.errorFor('s')).code, 'UNAUTHORIZED');
    await a.join('public');
    assert.deepEqual(asked, [
      { userId: 'user-1', room: 'secret', peerId: a.peerId },
      { userId: 'user-1', room: 'public', peerId: a.peerId },
    ]);
  });

  it('refuses a session the authenticate hook throws for, with UNAUTHORIZED and 1008', async () => {
    h = await startSignaling({
      authenticate: ({ token }) => {
        if (token !== 'good') {
          throw new Error('bad token');
        }
      },
    });
    const bad = await h.connect();
    bad.send({ type: 'hello', version: 1, displayName: 'Eve', token: 'forged', requestId: 'h' });
    assert.equal((await bad.errorFor('h')).code, 'UNAUTHORIZED');
    assert.equal((await bad.whenClosed()).code, 1008);
    const good = await h.connect();
    await good.hello('Ann', { token: 'good' });
    assert.equal(h.signaling.stats().sessions, 1);
  });

  it('passes iceServers from the hook in welcome, with the config', async () => {
    h = await startSignaling({
      limits: { resumeGraceMs: 1234 },
      iceServers: ({ peerId }) => Promise.resolve([{ urls: 'turn:example.test:3478', username: `u:${peerId}`, credential: 'c' }]),
    });
    const c = await h.connect();
    const welcome = await c.hello('Ice');
    assert.deepEqual(welcome.iceServers, [{ urls: 'turn:example.test:3478', username: `u:${welcome.peerId}`, credential: 'c' }]);
    assert.equal(welcome.config.resumeGraceMs, 1234);
    assert.equal(welcome.config.maxFrameBytes, 65_536);
    assert.equal(welcome.config.ringTimeoutMs, 30_000);
    assert.equal(welcome.config.rateLimitPerSecond, 50);
    assert.equal(welcome.config.rateLimitBurst, 200);
  });

  it('sends no ICE servers when the hook throws or returns something invalid', async () => {
    let mode: 'throw' | 'invalid' = 'throw';
    h = await startSignaling({
      iceServers: () => {
        if (mode === 'throw') {
          throw new Error('secret store down');
        }
        return [{ urls: 42 }] as unknown as [];
      },
    });
    assert.deepEqual((await (await h.connect()).hello('T')).iceServers, []);
    mode = 'invalid';
    assert.deepEqual((await (await h.connect()).hello('I')).iceServers, []);
  });

  it('refuses sessions past maxSessions with SESSION_LIMIT and 1013', async () => {
    h = await startSignaling({ limits: { maxSessions: 1 } });
    await h.peer('first');
    const second = await h.connect();
    second.send({ type: 'hello', version: 1, displayName: 'second', requestId: 'h' });
    assert.equal((await second.errorFor('h')).code, 'SESSION_LIMIT');
    assert.equal((await second.whenClosed()).code, 1013);
  });

  it('reports sessions and rooms as gauges', async () => {
    h = await startSignaling();
    const a = await h.peer();
    await h.peer();
    await a.join('g');
    assert.equal(await h.metric('rendezvous_signaling_sessions'), 2);
    assert.equal(await h.metric('rendezvous_signaling_rooms'), 1);
  });
});
