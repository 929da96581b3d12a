import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { FakeClock } from '@rendezvous/common';
import type { DeliveredDirectoryMessage } from '@rendezvous/protocol';
import { PeerjsEndpoint } from './endpoint.js';
import type { PeerjsLimits } from './options.js';
import { connectPeer } from './test-peers.js';

let endpoint: PeerjsEndpoint | undefined;
afterEach(() => endpoint?.close());

function setup(limits: Partial<PeerjsLimits> = {}): { clock: FakeClock; endpoint: PeerjsEndpoint } {
  const clock = new FakeClock();
  endpoint = new PeerjsEndpoint({ clock, limits: { leave_timeout: 2_000, ...limits } });
  return { clock, endpoint };
}

const offerPayload = { sdp: { type: 'offer' as const, sdp: 'v=0' }, type: 'media' as const, connectionId: 'mc_1' };
const offer = (dst: string): string => JSON.stringify({ type: 'OFFER', dst, payload: offerPayload });

describe('LEAVE when a peer drops', () => {
  it('tells the peers it talked to, once leave_timeout has passed without it coming back', () => {
    const { clock, endpoint } = setup();
    const a = connectPeer(endpoint, 'alice');
    const b = connectPeer(endpoint, 'bob');
    const c = connectPeer(endpoint, 'carol');
    a.session?.onMessage(offer('bob'));
    a.session?.onClose();
    clock.advance(1_500);
    assert.deepEqual(b.socket.types(), ['OPEN', 'OFFER'], 'not before leave_timeout');
    clock.advance(1_000);
    assert.deepEqual(b.socket.received.at(-1), { type: 'LEAVE', src: 'alice', dst: 'bob' });
    assert.deepEqual(c.socket.types(), ['OPEN'], 'a peer alice never talked to hears nothing');
    clock.advance(10_000);
    assert.equal(b.socket.types().filter((t) => t === 'LEAVE').length, 1, 'one LEAVE');
  });

  it('also tells the side that only received, and sends nothing when the id comes back in time', () => {
    const { clock, endpoint } = setup();
    const a = connectPeer(endpoint, 'alice');
    const b = connectPeer(endpoint, 'bob');
    a.session?.onMessage(offer('bob'));
    b.session?.onClose();
    clock.advance(3_000);
    assert.deepEqual(a.socket.received.at(-1), { type: 'LEAVE', src: 'bob', dst: 'alice' });
    a.session?.onClose();
    clock.advance(1_000);
    const again = connectPeer(endpoint, 'alice', 'a new token: a peerjs client reloaded');
    assert.deepEqual(again.socket.types(), ['OPEN'], 'a peerjs id is free at once, as in PeerServer');
    clock.advance(5_000);
    assert.deepEqual(again.socket.types(), ['OPEN']);
  });

  it('counts a socket closed for silence as a drop', () => {
    const { clock, endpoint } = setup({ alive_timeout: 1_000 });
    const a = connectPeer(endpoint, 'alice');
    const b = connectPeer(endpoint, 'bob');
    a.session?.onMessage(offer('bob'));
    for (let t = 0; t < 40; t++) {
      clock.advance(100);
      b.session?.onMessage('{"type":"HEARTBEAT"}');
    }
    assert.equal(a.socket.closed, true);
    assert.deepEqual(b.socket.received.at(-1), { type: 'LEAVE', src: 'alice', dst: 'bob' });
  });
});

describe('SDK members of the directory', () => {
  function member(endpoint: PeerjsEndpoint, id: string | undefined, token?: string) {
    const got: DeliveredDirectoryMessage[] = [];
    const result = endpoint.openMember({ id, token }, (m) => got.push(m));
    return { result, got };
  }

  it('share the id space with peerjs clients and exchange messages with them both ways', () => {
    const { endpoint } = setup();
    const sdk = member(endpoint, 'sdk-peer', 'secret-token-0123');
    assert.equal(typeof sdk.result, 'object');
    const taken = connectPeer(endpoint, 'sdk-peer');
    assert.deepEqual(taken.socket.types(), ['ID-TAKEN']);
    const js = connectPeer(endpoint, 'js-peer');
    js.session?.onMessage(offer('sdk-peer'));
    assert.deepEqual(sdk.got, [{ type: 'OFFER', src: 'js-peer', dst: 'sdk-peer', payload: offerPayload }]);
    if (typeof sdk.result === 'string') {
      return;
    }
    sdk.result.send({ type: 'ANSWER', dst: 'js-peer', payload: { ...offerPayload, sdp: { type: 'answer', sdp: 'v=0' } } });
    assert.equal(js.socket.received.at(-1)?.type, 'ANSWER');
    assert.equal(js.socket.received.at(-1)?.src, 'sdk-peer');
    assert.equal(member(endpoint, 'js-peer').result, 'PEER_ID_TAKEN');
  });

  it('keep a released id reserved for their token until the LEAVE, then free it for anyone', () => {
    const { clock, endpoint } = setup();
    const first = member(endpoint, 'sdk-peer', 'secret-token-0123');
    const js = connectPeer(endpoint, 'js-peer');
    js.session?.onMessage(offer('sdk-peer'));
    if (typeof first.result === 'string') {
      assert.fail(first.result);
    }
    first.result.release();
    first.result.release();
    assert.equal(member(endpoint, 'sdk-peer', 'another-token-4567').result, 'PEER_ID_TAKEN');
    assert.deepEqual(connectPeer(endpoint, 'sdk-peer').socket.types(), ['ID-TAKEN']);
    const back = member(endpoint, 'sdk-peer', 'secret-token-0123');
    assert.equal(typeof back.result, 'object', 'the same token takes it back');
    clock.advance(5_000);
    assert.deepEqual(js.socket.types(), ['OPEN'], 'no LEAVE: it came back in time');
    if (typeof back.result !== 'string') {
      back.result.release();
    }
    clock.advance(2_500);
    assert.deepEqual(js.socket.received.at(-1), { type: 'LEAVE', src: 'sdk-peer', dst: 'js-peer' });
    assert.equal(typeof member(endpoint, 'sdk-peer', 'another-token-4567').result, 'object');
  });

  it('get a fresh id when they name none, count toward concurrent_limit, and a takeover silences the old holder', () => {
    const { endpoint } = setup({ concurrent_limit: 2 });
    const fresh = member(endpoint, undefined);
    assert.ok(typeof fresh.result === 'object' && /^[0-9a-f-]{36}$/.test(fresh.result.id));
    const old = member(endpoint, 'sdk-peer', 'secret-token-0123');
    assert.equal(member(endpoint, 'third', 'secret-token-0123').result, 'PEER_ID_LIMIT');
    const takeover = member(endpoint, 'sdk-peer', 'secret-token-0123');
    assert.equal(typeof takeover.result, 'object');
    const js = connectPeer(endpoint, 'js-peer');
    assert.deepEqual(js.socket.types(), ['ERROR'], 'at the limit, a peerjs client is refused too');
    if (typeof old.result === 'object' && typeof fresh.result === 'object') {
      old.result.send({ type: 'LEAVE', dst: fresh.result.id });
      assert.deepEqual(fresh.got, [], 'the replaced holder sends nothing');
    }
  });
});
