import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { SignalData } from '@rendezvous/protocol';
import { WebSocket, type ClientOptions } from 'ws';
import type { TestClient } from './test-client.js';
import { startSignaling, type Harness } from './test-server.js';

const offer: SignalData = { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } };

async function pair(h: Harness, first: ClientOptions = {}): Promise<[TestClient, TestClient]> {
  const a = await h.peer('A', first);
  const b = await h.peer('B');
  await a.join('r');
  await b.join('r');
  await a.next('peer-joined');
  return [a, b];
}

describe('resume token while the owner is connected', { timeout: 60_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('does not take the session from a live owner: the thief gets a fresh session, the owner keeps its room', async () => {
    h = await startSignaling({ limits: { resumeProbeMs: 2_000 } });
    const [a, b] = await pair(h);
    const thief = await h.connect();
    const welcome = await thief.hello('Thief', { resumeToken: a.resumeToken });
    assert.equal(welcome.resumed, false);
    assert.notEqual(welcome.peerId, a.peerId);
    assert.equal(welcome.room, undefined);
    assert.equal(await h.metric('rendezvous_signaling_limit_hits_total', { limit: 'resumeProbe' }), 1);
    // The owner is untouched: still connected, still in its room, still reachable.
    b.send({ type: 'signal', to: a.peerId, data: offer });
    assert.equal((await a.next('signal')).from, b.peerId);
    a.send({ type: 'signal', to: b.peerId, data: offer });
    assert.equal((await b.next('signal')).from, a.peerId);
    await b.expectNothing('peer-left');
    assert.deepEqual(h.counts(), { sessions: 3, rooms: 1, detached: 0 });
    // The token still belongs to the owner: a real resume after a drop works.
    h.signaling.terminate(a.peerId);
    const a2 = await h.connect();
    assert.equal((await a2.hello('A', { resumeToken: a.resumeToken })).peerId, a.peerId);
  });

  it('takes the session over when the old socket stays silent for resumeProbeMs (half-open TCP)', async () => {
    h = await startSignaling({ limits: { resumeProbeMs: 2_000 } });
    const [a, b] = await pair(h, { autoPong: false }); // a's socket never answers pings: it looks half-open
    const a2 = await h.connect();
    const pinged = a.pinged();
    a2.sendJson({ type: 'hello', version: 1, displayName: 'A', resumeToken: a.resumeToken });
    await pinged;
    h.clock.advance(1_999);
    await b.sync(); // a2's frames wait behind its hello, so look from another socket
    assert.equal(a2.inbox.length, 0, 'no welcome before resumeProbeMs');
    assert.equal(a.ws.readyState, WebSocket.OPEN);
    h.clock.advance(1);
    const welcome = await a2.next('welcome');
    assert.deepEqual([welcome.resumed, welcome.peerId, welcome.room?.room], [true, a.peerId, 'r']);
    assert.equal((await a.whenClosed()).code, 1006);
    await b.expectNothing('peer-left');
    b.send({ type: 'signal', to: a.peerId, data: offer });
    assert.equal((await a2.next('signal')).from, b.peerId);
    assert.equal(h.counts().detached, 0);
  });
});
