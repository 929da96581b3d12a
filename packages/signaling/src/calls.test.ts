import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { ServerMessageOf } from '@rendezvous/protocol';
import type { TestClient } from './test-client.js';
import { startSignaling, type Harness } from './test-server.js';

/** A rings B; returns the callId after both sides saw it. */
async function ring(caller: TestClient, callee: TestClient): Promise<string> {
  caller.send({ type: 'call', to: callee.peerId, requestId: 'ring' });
  const ringing = await caller.next('call-ringing');
  const incoming = await callee.next('incoming-call');
  assert.equal(ringing.callId, incoming.callId);
  return ringing.callId;
}

async function ended(client: TestClient): Promise<ServerMessageOf<'call-ended'>> {
  return client.next('call-ended');
}

describe('1:1 calls', { timeout: 60_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('rings, accepts, and puts both in a private room where the callee is the impolite side', async () => {
    h = await startSignaling();
    const a = await h.peer('Caller');
    const b = await h.peer('Callee');
    a.send({ type: 'call', to: b.peerId, requestId: 'c1' });
    const ringing = await a.next('call-ringing');
    assert.deepEqual(ringing, {
      type: 'call-ringing',
      callId: ringing.callId,
      to: { peerId: b.peerId, displayName: 'Callee', media: { audioMuted: false, videoMuted: false, screenSharing: false } },
      requestId: 'c1',
    });
    const incoming = await b.next('incoming-call');
    assert.deepEqual(incoming.from.peerId, a.peerId);
    assert.equal(incoming.callId, ringing.callId);
    const callId = ringing.callId;
    const room = `~call-${callId}`;

    b.send({ type: 'call-accept', callId, requestId: 'acc' });
    assert.deepEqual(await b.next('call-accepted'), { type: 'call-accepted', callId, room, requestId: 'acc' });
    assert.deepEqual(await a.next('call-accepted'), { type: 'call-accepted', callId, room });
    const joinedA = await a.next('joined');
    assert.deepEqual([joinedA.room, joinedA.peers, joinedA.capacity], [room, [], 2]);
    const joinedB = await b.next('joined');
    assert.deepEqual(
      joinedB.peers.map((p) => [p.peerId, p.polite]),
      [[a.peerId, false]],
    );
    const peerJoined = await a.next('peer-joined');
    assert.deepEqual([peerJoined.peer.peerId, peerJoined.peer.polite], [b.peerId, true]);
    assert.equal(h.signaling.stats().rooms, 1);

    b.send({ type: 'signal', to: a.peerId, data: { kind: 'description', description: { type: 'offer', sdp: 'x' } } });
    assert.equal((await a.next('signal')).from, b.peerId);

    a.send({ type: 'call-hangup', callId, requestId: 'bye' });
    assert.deepEqual(await a.next('call-ended'), {
      type: 'call-ended',
      callId,
      reason: 'hangup',
      by: a.peerId,
      requestId: 'bye',
    });
    assert.deepEqual(await b.next('call-ended'), { type: 'call-ended', callId, reason: 'hangup', by: a.peerId });
    assert.deepEqual(await a.next('left'), { type: 'left', room });
    assert.deepEqual(await b.next('left'), { type: 'left', room });
    await a.expectNothing('peer-left');
    await b.expectNothing('peer-left');
    assert.equal(h.signaling.stats().rooms, 0);
    await a.join('after-call'); // free again
  });

  it('rejects and cancels', async () => {
    h = await startSignaling();
    const a = await h.peer('A');
    const b = await h.peer('B');
    let callId = await ring(a, b);
    b.send({ type: 'call-reject', callId, requestId: 'no' });
    assert.deepEqual(await b.next('call-ended'), {
      type: 'call-ended',
      callId,
      reason: 'rejected',
      by: b.peerId,
      requestId: 'no',
    });
    assert.deepEqual(await a.next('call-ended'), { type: 'call-ended', callId, reason: 'rejected', by: b.peerId });

    callId = await ring(a, b);
    a.send({ type: 'call-cancel', callId });
    assert.deepEqual([(await ended(a)).reason, (await ended(b)).reason], ['cancelled', 'cancelled']);
    assert.equal(h.signaling.stats().rooms, 0);
  });

  it('times out an unanswered call after ringTimeoutMs', async () => {
    h = await startSignaling({ limits: { ringTimeoutMs: 30_000 } });
    const a = await h.peer('A');
    const b = await h.peer('B');
    const callId = await ring(a, b);
    h.clock.advance(29_999);
    await a.expectNothing('call-ended');
    h.clock.advance(1);
    assert.deepEqual(await a.next('call-ended'), { type: 'call-ended', callId, reason: 'timeout' });
    assert.deepEqual(await b.next('call-ended'), { type: 'call-ended', callId, reason: 'timeout' });
    b.send({ type: 'call-accept', callId, requestId: 'late' });
    assert.equal((await b.errorFor('late')).code, 'CALL_NOT_FOUND');
  });

  it('answers busy when the callee is in a room, in a call, or ringing someone', async () => {
    h = await startSignaling();
    const [a, b, c, d] = [await h.peer('A'), await h.peer('B'), await h.peer('C'), await h.peer('D')];
    await ring(a, b);
    c.send({ type: 'call', to: b.peerId, requestId: 'busy-callee' });
    const busy = await c.next('call-ended');
    assert.deepEqual([busy.reason, busy.requestId, busy.by], ['busy', 'busy-callee', undefined]);
    c.send({ type: 'call', to: a.peerId, requestId: 'busy-caller' });
    assert.equal((await c.next('call-ended')).reason, 'busy');
    await d.join('meeting');
    c.send({ type: 'call', to: d.peerId, requestId: 'busy-room' });
    assert.equal((await c.next('call-ended')).reason, 'busy');
    await c.expectNothing('call-ringing');
    await b.expectNothing('incoming-call');
    await d.expectNothing('incoming-call');
  });

  it('answers CALL_SELF, PEER_NOT_FOUND and ALREADY_IN_CALL', async () => {
    h = await startSignaling();
    const a = await h.peer('A');
    const b = await h.peer('B');
    const c = await h.peer('C');
    a.send({ type: 'call', to: a.peerId, requestId: 'self' });
    assert.equal((await a.errorFor('self')).code, 'CALL_SELF');
    a.send({ type: 'call', to: 'nobody-0123456789', requestId: 'ghost' });
    assert.equal((await a.errorFor('ghost')).code, 'PEER_NOT_FOUND');
    await ring(a, b);
    a.send({ type: 'call', to: c.peerId, requestId: 'twice' });
    assert.equal((await a.errorFor('twice')).code, 'ALREADY_IN_CALL');
    b.send({ type: 'join', room: 'escape', requestId: 'join' });
    assert.equal((await b.errorFor('join')).code, 'ALREADY_IN_CALL');
    await c.join('room');
    c.send({ type: 'call', to: a.peerId, requestId: 'in-room' });
    assert.equal((await c.errorFor('in-room')).code, 'ALREADY_IN_CALL');
  });

  it('answers CALL_NOT_FOUND when acting on a call that is not yours or not in that state', async () => {
    h = await startSignaling();
    const [a, b, c] = [await h.peer('A'), await h.peer('B'), await h.peer('C')];
    const callId = await ring(a, b);
    const attempts: [TestClient, string][] = [
      [c, 'call-accept'], // not yours
      [c, 'call-reject'],
      [a, 'call-accept'], // the caller cannot accept
      [b, 'call-cancel'], // the callee cannot cancel
      [a, 'call-hangup'], // not accepted yet
    ];
    for (const [who, type] of attempts) {
      who.sendJson({ type, callId, requestId: `${type}-x` });
      assert.equal((await who.errorFor(`${type}-x`)).code, 'CALL_NOT_FOUND', `${type}`);
    }
    b.send({ type: 'call-accept', callId: 'unknown-call-id', requestId: 'unknown' });
    assert.equal((await b.errorFor('unknown')).code, 'CALL_NOT_FOUND');
    b.send({ type: 'call-accept', callId });
    await a.next('joined');
    a.send({ type: 'call-cancel', callId, requestId: 'too-late' });
    assert.equal((await a.errorFor('too-late')).code, 'CALL_NOT_FOUND');
    c.send({ type: 'call-hangup', callId, requestId: 'intruder' });
    assert.equal((await c.errorFor('intruder')).code, 'CALL_NOT_FOUND');
    await a.expectNothing('call-ended');
  });

  it('ends a ringing call when a side disconnects', async () => {
    h = await startSignaling();
    const a = await h.peer('A');
    const b = await h.peer('B');
    const callId = await ring(a, b);
    await b.close(1000);
    assert.deepEqual(await a.next('call-ended'), { type: 'call-ended', callId, reason: 'disconnected', by: b.peerId });
    await a.join('free-again');
  });

  it('keeps an active call through a resume and ends it when the grace runs out', async () => {
    h = await startSignaling({ limits: { resumeGraceMs: 5_000 } });
    const a = await h.peer('A');
    const b = await h.peer('B');
    const callId = await ring(a, b);
    b.send({ type: 'call-accept', callId });
    await a.next('peer-joined');
    await b.next('joined');
    h.signaling.terminate(b.peerId);
    const b2 = await h.connect();
    const welcome = await b2.hello('B', { resumeToken: b.resumeToken });
    assert.equal(welcome.room?.room, `~call-${callId}`);
    assert.deepEqual(
      welcome.room?.peers.map((p) => [p.peerId, p.polite]),
      [[a.peerId, false]],
    );
    await a.expectNothing('call-ended');

    h.signaling.terminate(b.peerId);
    h.clock.advance(5_000);
    assert.deepEqual(await a.next('call-ended'), { type: 'call-ended', callId, reason: 'disconnected', by: b.peerId });
    assert.deepEqual(await a.next('left'), { type: 'left', room: `~call-${callId}` });
    assert.deepEqual(h.counts(), { sessions: 1, rooms: 0, detached: 0 });
  });

  it('treats leave in a call room as hanging up', async () => {
    h = await startSignaling();
    const a = await h.peer('A');
    const b = await h.peer('B');
    const callId = await ring(a, b);
    b.send({ type: 'call-accept', callId });
    await a.next('peer-joined');
    b.send({ type: 'leave', requestId: 'leave' });
    assert.deepEqual(await b.next('left'), { type: 'left', room: `~call-${callId}`, requestId: 'leave' });
    assert.deepEqual(await a.next('call-ended'), { type: 'call-ended', callId, reason: 'hangup', by: b.peerId });
    await a.next('left');
    assert.equal(h.signaling.stats().rooms, 0);
  });
});
