import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_RELAY_DATA_CHARS } from '@rendezvous/protocol';
import { Sfu } from '@rendezvous/sfu';
import { startSignaling, type Harness } from './test-server.js';

const RATE = 100_000;

describe('relay: data between members of an SFU room', { timeout: 60_000 }, () => {
  let h: Harness;
  let sfu: Sfu;
  before(async () => {
    sfu = await Sfu.start({ port: 0, bindAddress: '127.0.0.1' });
    h = await startSignaling({ sfu, limits: { relayBytesPerSecond: RATE } });
  });
  after(async () => {
    await h.close();
    await sfu.close();
  });

  it('goes to every other member, or to those named, as sent', async () => {
    const a = await h.connect();
    assert.equal((await a.hello('A')).config.relayBytesPerSecond, RATE, 'the welcome announces the rate');
    const [b, c] = [await h.peer('B'), await h.peer('C')];
    a.send({ type: 'join', room: 'relay-room', mode: 'sfu' });
    await a.next('joined');
    await b.join('relay-room');
    await c.join('relay-room');

    a.send({ type: 'relay', ch: 'messages', op: 'data', data: 'shi' });
    for (const member of [b, c]) {
      assert.deepEqual(await member.next('relay'), { type: 'relay', from: a.peerId, ch: 'messages', op: 'data', data: 'shi' });
    }
    a.send({ type: 'relay', to: [c.peerId, c.peerId], ch: 'stream:1', op: 'data', data: 'AAEC', bin: true, more: true });
    assert.deepEqual(await c.next('relay'), {
      type: 'relay',
      from: a.peerId,
      ch: 'stream:1',
      op: 'data',
      data: 'AAEC',
      bin: true,
      more: true,
    });
    a.send({ type: 'relay', to: [b.peerId], ch: 'stream:1', op: 'close' });
    assert.deepEqual(await b.next('relay'), { type: 'relay', from: a.peerId, ch: 'stream:1', op: 'close' });
    await c.expectNothing('relay');
    await a.expectNothing('relay');
  });

  it('refuses outside SFU rooms, to nobody in the room, and malformed frames, with their codes', async () => {
    const [m, n] = [await h.peer('M'), await h.peer('N')];
    m.send({ type: 'relay', ch: 'messages', op: 'data', data: 'x', requestId: 'r0' });
    assert.equal((await m.errorFor('r0')).code, 'RELAY_UNAVAILABLE');
    await m.join('mesh-room');
    await n.join('mesh-room');
    m.send({ type: 'relay', to: [n.peerId], ch: 'messages', op: 'data', data: 'x', requestId: 'r1' });
    assert.equal((await m.errorFor('r1')).code, 'RELAY_UNAVAILABLE');
    await n.expectNothing('relay');

    const s = await h.peer('S');
    s.send({ type: 'join', room: 'relay-alone', mode: 'sfu' });
    await s.next('joined');
    s.send({ type: 'relay', ch: 'messages', op: 'data', data: 'x', requestId: 'ok' }); // alone: nothing to do
    s.send({ type: 'relay', to: [n.peerId, s.peerId], ch: 'messages', op: 'data', data: 'x', requestId: 'r2' });
    assert.equal((await s.errorFor('r2')).code, 'PEER_NOT_IN_ROOM');
    const bad: Record<string, unknown>[] = [
      { ch: 'messages', op: 'data', data: 'x'.repeat(MAX_RELAY_DATA_CHARS + 1) },
      { ch: 'no spaces', op: 'data' },
      { ch: 'messages', op: 'shout' },
      { ch: 'messages', op: 'data', to: Array.from({ length: 65 }, (_, i) => `peer-${String(i).padStart(8, '0')}`) },
      { ch: 'messages', op: 'data', to: [] },
      { ch: 'messages', op: 'data', bin: false },
    ];
    for (const [i, frame] of bad.entries()) {
      s.sendJson({ type: 'relay', ...frame, requestId: `b${i}` });
      assert.equal((await s.errorFor(`b${i}`)).code, 'BAD_MESSAGE', JSON.stringify(frame).slice(0, 80));
    }
  });

  it('holds each member to relayBytesPerSecond, counted per recipient, and refills with time', async () => {
    const [a, b, c] = [await h.peer('A'), await h.peer('B'), await h.peer('C')];
    a.send({ type: 'join', room: 'relay-rate', mode: 'sfu' });
    await a.next('joined');
    await b.join('relay-rate');
    await c.join('relay-rate');
    const data = 'x'.repeat(40_000);
    const hitsBefore = await h.metric('rendezvous_signaling_limit_hits_total', { limit: 'relayBytesPerSecond' });
    a.send({ type: 'relay', ch: 'messages', op: 'data', data, requestId: 'first' }); // 2 × 40,128 of 100,000
    a.send({ type: 'relay', ch: 'messages', op: 'data', data, requestId: 'second' });
    assert.equal((await a.errorFor('second')).code, 'RATE_LIMITED');
    a.send({ type: 'relay', to: [b.peerId], ch: 'messages', op: 'data', data: 'small', requestId: 'third' }); // fits what is left
    assert.equal((await b.next('relay')).data, data);
    assert.equal((await b.next('relay')).data, 'small');
    assert.equal((await c.next('relay')).data, data);
    await c.expectNothing('relay');
    assert.equal(await h.metric('rendezvous_signaling_limit_hits_total', { limit: 'relayBytesPerSecond' }), hitsBefore + 1);
    h.clock.advance(1000);
    a.send({ type: 'relay', ch: 'messages', op: 'data', data, requestId: 'fourth' });
    assert.equal((await c.next('relay')).data, data);
  });
});
