import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Sfu } from '@rendezvous/sfu';
import type { RendezvousError, ServerMessage } from '@rendezvous/protocol';
import { startSignaling, type Harness } from './test-server.js';

describe('external members (WHIP publishers): server-side members of sfu rooms', { timeout: 30_000 }, () => {
  let sfu: Sfu;
  let h: Harness;
  before(async () => {
    sfu = await Sfu.start({ port: 0, bindAddress: '127.0.0.1' });
    h = await startSignaling({ sfu, limits: { resumeGraceMs: 1000 } });
  });
  after(async () => {
    await h.close();
    await sfu.close();
  });

  it('joins like a member (peer-joined, in sfu mode), never expires, and leaves with peer-left', async () => {
    const heard: ServerMessage[] = [];
    const viewer = await h.peer('Viewer');
    viewer.send({ type: 'join', room: 'show', mode: 'sfu' });
    await viewer.next('joined');
    const member = h.signaling.joinExternal({
      room: 'show',
      displayName: 'OBS',
      address: '10.0.0.9',
      onMessage: (m) => heard.push(m),
    });
    const joined = await viewer.next('peer-joined');
    assert.deepEqual([joined.peer.peerId, joined.peer.displayName], [member.peerId, 'OBS']);
    assert.equal(heard[0]?.type, 'joined', 'what the server sends it goes to its listener');
    h.clock.advance(3_600_000);
    await viewer.expectNothing('peer-left');
    assert.equal(member.ended, false);
    assert.deepEqual(h.counts(), { sessions: 2, rooms: 1, detached: 0 }, 'a server-side member is not a detached session');
    member.leave();
    member.leave();
    const left = await viewer.next('peer-left');
    assert.deepEqual([left.peerId, left.reason], [member.peerId, 'left']);
    assert.equal(member.ended, true);
    assert.deepEqual(h.counts(), { sessions: 1, rooms: 1, detached: 0 });
    await viewer.close();
  });

  it('creates its room in sfu mode and takes it down when it leaves last', () => {
    const member = h.signaling.joinExternal({ room: 'solo', displayName: 'OBS', address: '10.0.0.9' });
    assert.equal(sfu.stats().rooms, 1);
    member.leave();
    assert.equal(sfu.stats().rooms, 0);
    assert.equal(h.counts().rooms, 0);
  });

  it('refuses a mesh room of that name', async () => {
    const a = await h.peer('A');
    a.send({ type: 'join', room: 'meshy', mode: 'mesh' });
    await a.next('joined');
    assert.throws(
      () => h.signaling.joinExternal({ room: 'meshy', displayName: 'OBS', address: '10.0.0.9' }),
      (error: RendezvousError) => error.code === 'SFU_UNAVAILABLE',
    );
    await a.expectNothing('peer-joined');
    await a.close();
  });

  it('is refused by a server without the SFU', async () => {
    const plain = await startSignaling();
    try {
      assert.throws(
        () => plain.signaling.joinExternal({ room: 'x', displayName: 'OBS', address: '10.0.0.9' }),
        (error: RendezvousError) => error.code === 'SFU_UNAVAILABLE',
      );
      assert.equal(plain.counts().rooms, 0);
    } finally {
      await plain.close();
    }
  });
});
