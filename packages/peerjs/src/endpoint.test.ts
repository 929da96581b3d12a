import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { FakeClock } from '@rendezvous/common';
import { PeerjsEndpoint } from './endpoint.js';
import type { PeerjsLimits } from './options.js';
import { connectPeer } from './test-peers.js';

let endpoint: PeerjsEndpoint | undefined;
afterEach(() => endpoint?.close());

function setup(limits: Partial<PeerjsLimits> = {}): { clock: FakeClock; endpoint: PeerjsEndpoint } {
  const clock = new FakeClock();
  endpoint = new PeerjsEndpoint({ clock, limits });
  return { clock, endpoint };
}

const offerPayload = { sdp: { type: 'offer', sdp: 'v=0' }, type: 'data', connectionId: 'dc_1' };
const offer = (dst: string): string => JSON.stringify({ type: 'OFFER', dst, payload: offerPayload });

describe('PeerjsEndpoint', () => {
  it('opens a socket and relays by dst with src set by the server', () => {
    const { endpoint } = setup();
    const a = connectPeer(endpoint, 'alice');
    const b = connectPeer(endpoint, 'bob');
    assert.deepEqual(a.socket.types(), ['OPEN']);
    a.session?.onMessage(JSON.stringify({ type: 'OFFER', dst: 'bob', src: 'mallory', payload: offerPayload }));
    assert.deepEqual(b.socket.received.at(-1), { type: 'OFFER', src: 'alice', dst: 'bob', payload: offerPayload });
  });

  it('queues a message for a peer not connected yet and delivers it after OPEN', () => {
    const { endpoint } = setup();
    const a = connectPeer(endpoint, 'alice');
    a.session?.onMessage(offer('bob'));
    const b = connectPeer(endpoint, 'bob');
    assert.deepEqual(b.socket.types(), ['OPEN', 'OFFER']);
    assert.equal(b.socket.received[1]?.src, 'alice');
  });

  it('drops a queued message after expire_timeout and sends EXPIRE to its sender', () => {
    const { clock, endpoint } = setup({ expire_timeout: 5_000 });
    const a = connectPeer(endpoint, 'alice');
    a.session?.onMessage(offer('bob'));
    clock.advance(4_000);
    assert.deepEqual(a.socket.types(), ['OPEN']);
    clock.advance(1_500);
    assert.deepEqual(a.socket.received.at(-1), { type: 'EXPIRE', src: 'bob', dst: 'alice' });
    const b = connectPeer(endpoint, 'bob');
    assert.deepEqual(b.socket.types(), ['OPEN']);
  });

  it('bounds the queue per peer: one past the bound expires at once', () => {
    const { endpoint } = setup({ max_queued_per_peer: 2 });
    const a = connectPeer(endpoint, 'alice');
    for (let i = 0; i < 3; i++) {
      a.session?.onMessage(offer('bob'));
    }
    assert.deepEqual(a.socket.types(), ['OPEN', 'EXPIRE']);
    assert.deepEqual(connectPeer(endpoint, 'bob').socket.types(), ['OPEN', 'OFFER', 'OFFER']);
  });

  it('bounds what one sender and all senders may hold for absent peers, and frees it on delivery or expiry', () => {
    const { clock, endpoint } = setup({ max_queued_per_sender: 3, max_queued_bytes: 1_000 });
    const a = connectPeer(endpoint, 'alice');
    for (let i = 0; i < 4; i++) {
      a.session?.onMessage(offer(`ghost-${i}`));
    }
    assert.deepEqual(a.socket.types(), ['OPEN', 'EXPIRE'], 'a fourth held message from one sender expires at once');
    const c = connectPeer(endpoint, 'carol');
    const big = JSON.stringify({
      type: 'OFFER',
      dst: 'ghost-9',
      payload: { ...offerPayload, sdp: { type: 'offer', sdp: 'x'.repeat(800) } },
    });
    c.session?.onMessage(big);
    assert.deepEqual(c.socket.types(), ['OPEN', 'EXPIRE'], 'past the total, even another sender is refused');
    connectPeer(endpoint, 'ghost-0');
    clock.advance(6_000);
    c.session?.onMessage(big);
    assert.deepEqual(c.socket.types(), ['OPEN', 'EXPIRE'], 'delivered and expired messages free their room');
  });

  it('answers ID-TAKEN for a taken id with another token, and lets the same token reconnect', () => {
    const { endpoint } = setup();
    const first = connectPeer(endpoint, 'alice', 'one');
    const other = connectPeer(endpoint, 'alice', 'two');
    assert.deepEqual(other.socket.types(), ['ID-TAKEN']);
    assert.equal(other.socket.closed, true);
    assert.equal(other.session, undefined);
    const again = connectPeer(endpoint, 'alice', 'one');
    assert.deepEqual(again.socket.types(), ['OPEN']);
    assert.equal(first.socket.closed, true);
  });

  it('refuses a wrong key with INVALID-KEY and past concurrent_limit with ERROR', () => {
    const { endpoint } = setup({ concurrent_limit: 1 });
    assert.deepEqual(connectPeer(endpoint, 'alice', 't', 'nope').socket.types(), ['INVALID-KEY']);
    connectPeer(endpoint, 'alice');
    const refused = connectPeer(endpoint, 'bob');
    assert.deepEqual(refused.socket.types(), ['ERROR']);
    assert.equal(refused.socket.closed, true);
  });

  it('closes a socket silent for alive_timeout; a HEARTBEAT keeps it open', () => {
    const { clock, endpoint } = setup({ alive_timeout: 10_000 });
    const a = connectPeer(endpoint, 'alice');
    const b = connectPeer(endpoint, 'bob');
    for (let t = 0; t < 12; t++) {
      clock.advance(1_000);
      b.session?.onMessage(JSON.stringify({ type: 'HEARTBEAT' }));
    }
    assert.equal(a.socket.closed, true);
    assert.equal(b.socket.closed, false);
    assert.equal(endpoint.realm.get('alice'), undefined);
  });

  it('answers an invalid message with ERROR and never relays it', () => {
    const { endpoint } = setup();
    const a = connectPeer(endpoint, 'alice');
    const b = connectPeer(endpoint, 'bob');
    const bad = [
      'not json',
      '{"type":"OFFER"}',
      '{"type":"OPEN","dst":"bob"}',
      '[]',
      '{"type":"ANSWER","dst":5}',
      JSON.stringify({ type: 'OFFER', dst: 'bob', payload: { x: 1 } }),
      JSON.stringify({
        type: 'CANDIDATE',
        dst: 'bob',
        payload: { candidate: { candidate: 5 }, type: 'data', connectionId: 'c' },
      }),
      JSON.stringify({ type: 'ANSWER', dst: 'bob', payload: { ...offerPayload, type: 'screen' } }),
      JSON.stringify({ type: 'OFFER', dst: 'b@b', payload: offerPayload }),
    ];
    for (const frame of bad) {
      a.session?.onMessage(frame);
    }
    assert.deepEqual(a.socket.types(), ['OPEN', ...bad.map(() => 'ERROR')]);
    assert.deepEqual(b.socket.types(), ['OPEN']);
  });

  it('does not relay from a socket replaced by a reconnect', () => {
    const { endpoint } = setup();
    const old = connectPeer(endpoint, 'alice', 'one');
    connectPeer(endpoint, 'alice', 'one');
    const b = connectPeer(endpoint, 'bob');
    old.session?.onMessage(offer('bob'));
    old.session?.onClose();
    assert.deepEqual(b.socket.types(), ['OPEN']);
    assert.notEqual(endpoint.realm.get('alice'), undefined);
  });
});
