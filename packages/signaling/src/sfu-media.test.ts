import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Sfu } from '@rendezvous/sfu';
import { startSignaling, type Harness } from './test-server.js';

const OFFER_HEAD = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';

describe('sfu-* messages from hostile or mistaken clients', { timeout: 60_000 }, () => {
  let h: Harness;
  let sfu: Sfu;
  before(async () => {
    sfu = await Sfu.start({ port: 0, bindAddress: '127.0.0.1' });
    h = await startSignaling({ sfu, limits: { sfuRoomCapacity: 40 } });
  });
  after(async () => {
    await h.close();
    await sfu.close();
  });

  it('answers each with its code and request id, while another member of the room carries on', async () => {
    const mesh = await h.peer('Mesh');
    await mesh.join('a-mesh');
    mesh.send({ type: 'sfu-publish', source: 'video', sdp: OFFER_HEAD, requestId: 'm1' });
    assert.equal((await mesh.errorFor('m1')).code, 'SFU_UNAVAILABLE');

    const a = await h.peer('A');
    const b = await h.peer('B');
    a.send({ type: 'join', room: 'big', mode: 'sfu', requestId: 'j' });
    const joined = await a.next('joined');
    assert.equal(joined.mode, 'sfu');
    assert.equal(joined.capacity, 40);
    await b.join('big');

    a.send({ type: 'sfu-publish', source: 'video', sdp: OFFER_HEAD, requestId: 'p1' });
    assert.equal((await a.errorFor('p1')).code, 'SFU_BAD_OFFER');
    a.send({ type: 'sfu-publish', source: 'video', sdp: 'x'.repeat(60_001), requestId: 'p2' });
    assert.equal((await a.errorFor('p2')).code, 'BAD_MESSAGE');
    const audioOffer = `${OFFER_HEAD}m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\na=sendonly\r\na=rtpmap:0 PCMU/8000\r\n`;
    a.send({ type: 'sfu-publish', source: 'audio', sdp: audioOffer, requestId: 'p3' });
    assert.equal((await a.errorFor('p3')).code, 'SFU_CODEC_UNSUPPORTED');
    a.send({ type: 'sfu-subscribe', peerId: mesh.peerId, group: 'camera', sdp: OFFER_HEAD, requestId: 's1' });
    assert.equal((await a.errorFor('s1')).code, 'PEER_NOT_IN_ROOM');
    a.send({ type: 'sfu-unpublish', source: 'screen', requestId: 'u1' });
    assert.equal((await a.errorFor('u1')).code, 'SFU_NOT_PUBLISHED');
    a.send({
      type: 'sfu-candidate',
      candidate: { candidate: 'candidate:1 1 UDP 1 127.0.0.1 9 typ host', sdpMid: '0' },
      requestId: 'c1',
    });
    assert.equal((await a.errorFor('c1')).code, 'BAD_MESSAGE');
    // A candidate for a connection the session does not have is dropped without an answer; nothing was opened.
    a.send({
      type: 'sfu-candidate',
      source: 'video',
      candidate: { candidate: 'candidate:1 1 UDP 1 127.0.0.1 9 typ host', sdpMid: '0' },
    });
    assert.equal(sfu.stats().connections, 0);

    // Meanwhile the room works for B: a room event from A reaches it.
    a.send({ type: 'room-event', event: 'wave', data: { ok: true } });
    assert.deepEqual((await b.next('room-event')).data, { ok: true });
    assert.equal(sfu.stats().rooms, 1);
  });
});
