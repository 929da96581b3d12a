import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { SignalData } from '@rendezvous/protocol';
import { startSignaling, type Harness } from './test-server.js';
import type { TestClient } from './test-client.js';

const offer: SignalData = { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } };

async function pair(h: Harness, room = 'r'): Promise<[TestClient, TestClient]> {
  const a = await h.peer('A');
  const b = await h.peer('B');
  await a.join(room);
  await b.join(room);
  await a.next('peer-joined');
  return [a, b];
}

describe('resume', { timeout: 60_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('takes the session back after a drop: same peer id, room snapshot, queued messages; others see nothing', async () => {
    h = await startSignaling();
    const [a, b] = await pair(h);
    assert.equal(h.signaling.terminate(a.peerId), true);
    await a.whenClosed();
    assert.deepEqual(h.counts(), { sessions: 2, rooms: 1, detached: 1 });
    assert.equal(h.signaling.terminate(a.peerId), false, 'already detached');

    b.send({ type: 'signal', to: a.peerId, data: offer }); // queued for A
    b.send({ type: 'media-state', media: { audioMuted: true, videoMuted: true, screenSharing: false } });
    await b.expectNothing('peer-left');

    const a2 = await h.connect();
    a2.send({ type: 'hello', version: 1, displayName: 'ignored', resumeToken: a.resumeToken, requestId: 'resume' });
    const welcome = await a2.next('welcome');
    assert.equal(welcome.resumed, true);
    assert.equal(welcome.peerId, a.peerId);
    assert.equal(welcome.displayName, 'A');
    assert.equal(welcome.requestId, 'resume');
    assert.notEqual(welcome.resumeToken, a.resumeToken, 'the token rotates');
    assert.equal(welcome.room?.room, 'r');
    assert.deepEqual(
      welcome.room?.peers.map((p) => [p.peerId, p.polite, p.media.audioMuted]),
      [[b.peerId, true, true]],
    );
    assert.deepEqual(await a2.next('signal'), { type: 'signal', from: b.peerId, data: offer });
    assert.equal((await a2.next('peer-updated')).peerId, b.peerId);
    assert.deepEqual(h.counts(), { sessions: 2, rooms: 1, detached: 0 });

    a2.send({ type: 'signal', to: b.peerId, data: offer });
    assert.equal((await b.next('signal')).from, a.peerId);
    await b.expectNothing('peer-left');
    await b.expectNothing('peer-joined');

    const thief = await h.connect();
    const stale = await thief.hello('Thief', { resumeToken: a.resumeToken });
    assert.equal(stale.resumed, false, 'an old token does not work twice');
    assert.notEqual(stale.peerId, a.peerId);
  });

  it('ends the session when the grace expires: peer-left disconnected, the token is dead', async () => {
    h = await startSignaling({ limits: { resumeGraceMs: 15_000 } });
    const [a, b] = await pair(h);
    h.signaling.terminate(a.peerId);
    h.clock.advance(14_999);
    await b.expectNothing('peer-left');
    h.clock.advance(1);
    assert.deepEqual(await b.next('peer-left'), { type: 'peer-left', room: 'r', peerId: a.peerId, reason: 'disconnected' });
    assert.deepEqual(h.counts(), { sessions: 1, rooms: 1, detached: 0 });
    const late = await h.connect();
    const welcome = await late.hello('A', { resumeToken: a.resumeToken });
    assert.equal(welcome.resumed, false);
    assert.notEqual(welcome.peerId, a.peerId);
    assert.equal(welcome.room, undefined);
  });

  it('ends the session at once on a clean close (1000 or 1001): peer-left left', async () => {
    h = await startSignaling();
    const [a, b] = await pair(h);
    await a.close(1000);
    assert.deepEqual(await b.next('peer-left'), { type: 'peer-left', room: 'r', peerId: a.peerId, reason: 'left' });
    const c = await h.peer('C');
    await c.join('r');
    await b.next('peer-joined');
    await c.close(1001);
    assert.equal((await b.next('peer-left')).reason, 'left');
    assert.equal(h.signaling.stats().sessions, 1);
  });

  it('treats any other close code as a drop that may resume', async () => {
    h = await startSignaling();
    const [a, b] = await pair(h);
    await a.close(4000);
    await b.expectNothing('peer-left');
    assert.equal(h.signaling.stats().detached, 1);
    const a2 = await h.connect();
    assert.equal((await a2.hello('A', { resumeToken: a.resumeToken })).peerId, a.peerId);
  });

  it('starts a fresh session for an unknown token, without an error', async () => {
    h = await startSignaling();
    const c = await h.connect();
    const welcome = await c.hello('New', { resumeToken: 'no-such-token' });
    assert.equal(welcome.resumed, false);
    await c.expectNothing('error');
  });

  it('lets only one of two racing sockets resume with the same token', async () => {
    let hold = false;
    const held: (() => void)[] = [];
    let onHeld = (): void => {};
    h = await startSignaling({
      iceServers: async () => {
        if (hold) {
          await new Promise<void>((resolve) => {
            held.push(resolve);
            onHeld();
          });
        }
        return [];
      },
    });
    const [a, b] = await pair(h);
    h.signaling.terminate(a.peerId);
    hold = true;
    const bothHeld = new Promise<void>((resolve) => (onHeld = () => held.length === 2 && resolve()));
    const first = await h.connect();
    const second = await h.connect();
    first.sendJson({ type: 'hello', version: 1, displayName: 'A', resumeToken: a.resumeToken });
    second.sendJson({ type: 'hello', version: 1, displayName: 'A', resumeToken: a.resumeToken });
    await bothHeld; // both hellos looked the token up before either finished
    hold = false;
    for (const resolve of held.splice(0)) {
      resolve();
    }
    const welcomes = [await first.next('welcome'), await second.next('welcome')];
    assert.deepEqual(welcomes.map((w) => w.resumed).sort(), [false, true]);
    const resumed = welcomes.find((w) => w.resumed);
    const fresh = welcomes.find((w) => !w.resumed);
    assert.equal(resumed?.peerId, a.peerId);
    assert.notEqual(fresh?.peerId, a.peerId);
    await b.expectNothing('peer-left');
    assert.deepEqual(h.counts(), { sessions: 3, rooms: 1, detached: 0 });
  });

  it('does not resume a session of another user', async () => {
    h = await startSignaling({ authenticate: ({ token }) => ({ userId: token }) });
    const a = await h.connect();
    await a.hello('A', { token: 'alice' });
    h.signaling.terminate(a.peerId);
    const m = await h.connect();
    const welcome = await m.hello('M', { token: 'mallory', resumeToken: a.resumeToken });
    assert.equal(welcome.resumed, false);
    const a2 = await h.connect();
    assert.equal((await a2.hello('A', { token: 'alice', resumeToken: a.resumeToken })).resumed, true);
  });

  it('a flood from a room member does not end a detached peer: the flooder gets SERVER_BUSY, the peer resumes', async () => {
    h = await startSignaling({ limits: { maxQueuedWhileDetached: 4 } });
    const [a, b] = await pair(h);
    const c = await h.peer('C');
    await c.join('r');
    await a.next('peer-joined');
    await b.next('peer-joined');
    h.signaling.terminate(a.peerId);
    await a.whenClosed();
    for (let n = 0; n < 10; n++) {
      b.send({ type: 'signal', to: a.peerId, data: offer, requestId: `flood-${n}` });
    }
    // b may fill half of a's queue (2 of 4); the rest is refused to b, with each frame's requestId.
    for (let n = 2; n < 10; n++) {
      assert.equal((await b.errorFor(`flood-${n}`)).code, 'SERVER_BUSY');
    }
    c.send({ type: 'signal', to: a.peerId, data: offer, requestId: 'from-c' });
    for (let n = 0; n < 5; n++) {
      b.send({ type: 'media-state', media: { audioMuted: n % 2 === 0, videoMuted: false, screenSharing: false } });
    }
    await c.expectNothing('error');
    await b.expectNothing('peer-left');
    await c.expectNothing('peer-left');
    assert.equal(h.counts().detached, 1, 'the detached session survives the flood');

    const a2 = await h.connect();
    const welcome = await a2.hello('A', { resumeToken: a.resumeToken });
    assert.equal(welcome.resumed, true);
    // Room events were collapsed into the snapshot, which carries b's latest media state.
    assert.deepEqual(
      welcome.room?.peers.map((p) => [p.peerId, p.media.audioMuted]),
      [
        [b.peerId, true],
        [c.peerId, false],
      ],
    );
    const signals = [await a2.next('signal'), await a2.next('signal'), await a2.next('signal')];
    assert.deepEqual(
      signals.map((m) => m.from),
      [b.peerId, b.peerId, c.peerId],
    );
    await a2.expectNothing('signal');
    await a2.expectNothing('peer-updated');
    assert.equal(h.signaling.stats().queuedBytes, 0);
    assert.equal(await h.metric('rendezvous_signaling_limit_hits_total', { limit: 'maxQueuedWhileDetached' }), 8);
  });

  it('refuses a relayed message past maxQueuedBytesWhileDetached (or past half of it from one sender) with SERVER_BUSY', async () => {
    h = await startSignaling({ limits: { maxQueuedBytesWhileDetached: 4_000 } });
    const [a, b] = await pair(h);
    const c = await h.peer('C');
    const d = await h.peer('D');
    await c.join('r');
    await d.join('r');
    h.signaling.terminate(a.peerId);
    await a.whenClosed();
    const big: SignalData = { kind: 'description', description: { type: 'offer', sdp: 'x'.repeat(1_500) } };
    b.send({ type: 'signal', to: a.peerId, data: big, requestId: 'b1' });
    b.send({ type: 'signal', to: a.peerId, data: big, requestId: 'b2' }); // past b's half of 4000 bytes
    assert.equal((await b.errorFor('b2')).code, 'SERVER_BUSY');
    c.send({ type: 'signal', to: a.peerId, data: big, requestId: 'c1' });
    await c.expectNothing('error');
    d.send({ type: 'signal', to: a.peerId, data: big, requestId: 'd1' }); // within d's half, past the 4000 in all
    assert.equal((await d.errorFor('d1')).code, 'SERVER_BUSY');
    await b.expectNothing('error');
    const queued = h.signaling.stats().queuedBytes;
    assert.ok(queued > 3_000 && queued <= 4_000, `queued ${queued}`);
    const a2 = await h.connect();
    assert.equal((await a2.hello('A', { resumeToken: a.resumeToken })).resumed, true);
    assert.deepEqual([(await a2.next('signal')).from, (await a2.next('signal')).from], [b.peerId, c.peerId]);
  });

  it('ends the session at once with resumeGraceMs 0', async () => {
    h = await startSignaling({ limits: { resumeGraceMs: 0 } });
    const [a, b] = await pair(h);
    h.signaling.terminate(a.peerId);
    assert.equal((await b.next('peer-left')).reason, 'disconnected');
  });
});
