import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { SignalData } from '@rendezvous/protocol';
import { startSignaling, type Harness } from './test-server.js';

const offer: SignalData = { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } };
const candidate = (n: number): SignalData => ({ kind: 'candidate', candidate: { candidate: `candidate:${n}`, sdpMid: '0' } });

describe('relay', { timeout: 60_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('delivers a signal to a peer in the same room, with the sender as from', async () => {
    h = await startSignaling();
    const a = await h.peer('A');
    const b = await h.peer('B');
    await a.join('r');
    await b.join('r');
    b.send({ type: 'signal', to: a.peerId, data: offer });
    assert.deepEqual(await a.next('signal'), { type: 'signal', from: b.peerId, data: offer });
    for (let n = 0; n < 5; n++) {
      a.send({ type: 'signal', to: b.peerId, data: candidate(n) });
    }
    for (let n = 0; n < 5; n++) {
      assert.deepEqual((await b.next('signal')).data, candidate(n));
    }
  });

  it('never delivers across rooms: PEER_NOT_IN_ROOM, NOT_IN_ROOM', async () => {
    h = await startSignaling();
    const a = await h.peer('A');
    const b = await h.peer('B');
    const c = await h.peer('C');
    await a.join('one');
    await b.join('one');
    await c.join('two');
    a.send({ type: 'signal', to: c.peerId, data: offer, requestId: 'cross' });
    assert.equal((await a.errorFor('cross')).code, 'PEER_NOT_IN_ROOM');
    const lone = await h.peer('Lone');
    lone.send({ type: 'signal', to: a.peerId, data: offer, requestId: 'lone' });
    assert.equal((await lone.errorFor('lone')).code, 'NOT_IN_ROOM');
    a.send({ type: 'signal', to: 'nobody-at-all-here', data: offer, requestId: 'ghost' });
    assert.equal((await a.errorFor('ghost')).code, 'PEER_NOT_IN_ROOM');
    a.send({ type: 'signal', to: a.peerId, data: offer, requestId: 'self' });
    assert.equal((await a.errorFor('self')).code, 'PEER_NOT_IN_ROOM');
    await c.expectNothing('signal');
    await a.expectNothing('signal');
    await b.expectNothing('signal');

    b.send({ type: 'leave' });
    await b.next('left');
    a.send({ type: 'signal', to: b.peerId, data: offer, requestId: 'gone' });
    assert.equal((await a.errorFor('gone')).code, 'PEER_NOT_IN_ROOM');
    await b.expectNothing('signal');
  });

  it('answers RATE_LIMITED past the burst and refills over time', async () => {
    h = await startSignaling({ limits: { rateLimitBurst: 5, rateLimitPerSecond: 2 } });
    const c = await h.peer(); // hello took one token
    for (let n = 1; n <= 6; n++) {
      c.send({ type: 'leave', requestId: `r${n}` });
    }
    const codes = [];
    for (let n = 1; n <= 6; n++) {
      codes.push((await c.errorFor(`r${n}`)).code);
    }
    assert.deepEqual(codes, ['NOT_IN_ROOM', 'NOT_IN_ROOM', 'NOT_IN_ROOM', 'NOT_IN_ROOM', 'RATE_LIMITED', 'RATE_LIMITED']);
    h.clock.advance(500); // one token
    c.send({ type: 'leave', requestId: 'r7' });
    c.send({ type: 'leave', requestId: 'r8' });
    assert.equal((await c.errorFor('r7')).code, 'NOT_IN_ROOM');
    assert.equal((await c.errorFor('r8')).code, 'RATE_LIMITED');
    assert.equal(await h.metric('rendezvous_signaling_rejected_frames_total', { code: 'RATE_LIMITED' }), 3);
  });

  it('holds frames a little past the limit instead of refusing them, and delivers them in order as tokens come', async () => {
    h = await startSignaling({ limits: { rateLimitBurst: 5, rateLimitPerSecond: 2, rateLimitHoldFrames: 3 } });
    const c = await h.peer(); // hello took one token
    // Sent in one tick of this process, so the server reads them all at once.
    for (let n = 1; n <= 9; n++) {
      c.send({ type: 'leave', requestId: `r${n}` });
    }
    for (let n = 1; n <= 4; n++) {
      assert.equal((await c.errorFor(`r${n}`)).code, 'NOT_IN_ROOM');
    }
    // r5-r7 are held (the socket stops reading), r8 and r9 did not fit and are refused.
    assert.equal((await c.errorFor('r8')).code, 'RATE_LIMITED');
    assert.equal((await c.errorFor('r9')).code, 'RATE_LIMITED');
    h.clock.advance(500);
    assert.equal((await c.errorFor('r5')).code, 'NOT_IN_ROOM');
    h.clock.advance(1000);
    assert.equal((await c.errorFor('r6')).code, 'NOT_IN_ROOM');
    assert.equal((await c.errorFor('r7')).code, 'NOT_IN_ROOM');
    c.send({ type: 'leave', requestId: 'r10' }); // reading resumed
    h.clock.advance(500);
    assert.equal((await c.errorFor('r10')).code, 'NOT_IN_ROOM');
    assert.equal(await h.metric('rendezvous_signaling_rejected_frames_total', { code: 'RATE_LIMITED' }), 2);
  });

  it('keeps relaying in one room while another client floods garbage', async () => {
    h = await startSignaling({ limits: { maxFrameBytes: 4096, rateLimitBurst: 100 } });
    const a = await h.peer('A');
    const b = await h.peer('B');
    await a.join('calm');
    await b.join('calm');
    const g = await h.peer('Garbage');
    await g.join('noise');
    const junk: (() => void)[] = [
      () => g.sendRaw('{"type":'),
      () => g.sendRaw(Buffer.from([0xde, 0xad]), true),
      () => g.sendRaw('x'.repeat(6000)),
      () => g.send({ type: 'signal', to: a.peerId, data: offer }),
      () => g.sendJson({ type: 'signal', to: a.peerId, data: { kind: 'bogus' } }),
      () => g.send({ type: 'hello', version: 1, displayName: 'again' }),
      () => g.send({ type: 'call-accept', callId: 'not-a-real-call' }),
      () => g.sendRaw('null'),
      () => g.sendRaw('{"__proto__":{"polluted":true},"type":"join","room":"noise"}'),
    ];
    for (let n = 0; n < 1000; n++) {
      junk[n % junk.length]?.();
    }
    const broken = await h.connect();
    broken.sendRaw(Buffer.from([0xff, 0xfe, 0xfd])); // a text frame that is not UTF-8: ws closes it
    for (let n = 0; n < 20; n++) {
      a.send({ type: 'signal', to: b.peerId, data: candidate(n) });
    }
    for (let n = 0; n < 20; n++) {
      assert.deepEqual((await b.next('signal')).data, candidate(n));
    }
    assert.equal((await broken.whenClosed()).code, 1007);
    await g.sync(); // the flooder is still connected and answered
    await a.expectNothing('signal');
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(h.signaling.stats().sessions, 3);
    assert.ok((await h.metric('rendezvous_signaling_rejected_frames_total', { code: 'RATE_LIMITED' })) > 0);
  });
});
