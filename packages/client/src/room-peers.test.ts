import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import { DEFAULT_MEDIA_STATE, type ClientMessageInput, type JoinedRoom, type RoomPeer } from '@rendezvous/protocol';
import { FakeConnection } from './fake-connection.test-util.js';
import { PeerLink } from './peer-link.js';
import { RoomPeers } from './room-peers.js';
import type { RoomEvents } from './room.js';
import type { SignalingClient } from './signaling-client.js';

// The rebuild cap: RoomPeers over real PeerLinks on fake connections.

/** What PeerLink and RoomPeers touch of an RTCPeerConnection; never negotiates. */
class FakeRtcPeerConnection extends FakeConnection {
  static created: FakeRtcPeerConnection[] = [];
  readonly remoteDescription = null;
  readonly localDescription = null;
  closed = false;
  constructor() {
    super();
    FakeRtcPeerConnection.created.push(this);
  }
  addTransceiver(): object {
    return { mid: null, direction: 'sendrecv', sender: { replaceTrack: () => Promise.resolve() }, receiver: { track: { kind: 'audio', stop: () => undefined } } };
  }
  getTransceivers(): [] {
    return [];
  }
  getStats(): Promise<Map<string, unknown>> {
    return Promise.resolve(new Map());
  }
  getConfiguration(): object {
    return {};
  }
  setConfiguration(): void {}
  close(): void {
    this.closed = true;
  }
}

class FakeMediaStream {
  readonly #tracks: unknown[] = [];
  getTracks(): unknown[] {
    return [...this.#tracks];
  }
  getVideoTracks(): unknown[] {
    return [];
  }
  addTrack(track: unknown): void {
    this.#tracks.push(track);
  }
  removeTrack(track: unknown): void {
    this.#tracks.splice(this.#tracks.indexOf(track), 1);
  }
}

const PEER: RoomPeer = { peerId: 'b', displayName: 'B', media: DEFAULT_MEDIA_STATE, polite: false };
const CONNECT_TIMEOUT = 30_000; // PeerLink default
const RESTART_TIMEOUT = 10_000; // PeerLink default

function roomPeers(t: TestContext, options: { maxRebuilds?: number } = {}) {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  FakeRtcPeerConnection.created = [];
  const events: { event: keyof RoomEvents; args: unknown[] }[] = [];
  const sent: ClientMessageInput[] = [];
  const signaling = { state: 'open', iceServers: [], send: (message: ClientMessageInput) => sent.push(message) };
  const peers = new RoomPeers({
    signaling: signaling as unknown as SignalingClient,
    media: null,
    options,
    isLeft: () => false,
    emit: (event, ...args) => void events.push({ event, args }),
  });
  const peer = peers.add(PEER, false);
  const pcs = FakeRtcPeerConnection.created;
  return {
    peers,
    peer,
    pcs,
    /** The connection of the peer's current link. */
    pc: () => pcs.at(-1) as FakeRtcPeerConnection,
    tick: (ms: number) => t.mock.timers.tick(ms),
    errors: () => events.filter((e) => e.event === 'error').map((e) => (e.args[0] as Error).message),
    states: () => events.filter((e) => e.event === 'peer-state').map((e) => e.args[1]),
    resetsSent: () => sent.filter((m) => m.type === 'signal' && m.data.kind === 'reset').length,
  };
}

describe('RoomPeers rebuild cap (maxRebuilds)', () => {
  const saved = { RTCPeerConnection: globalThis.RTCPeerConnection, MediaStream: globalThis.MediaStream };
  before(() => {
    Object.assign(globalThis, { RTCPeerConnection: FakeRtcPeerConnection, MediaStream: FakeMediaStream });
  });
  after(() => {
    Object.assign(globalThis, saved);
  });

  test('a peer that never connects is rebuilt 3 times, then stays failed with one final error', (t) => {
    const r = roomPeers(t);
    for (let i = 1; i <= 3; i++) {
      r.tick(CONNECT_TIMEOUT);
      assert.equal(r.pcs.length, 1 + i, `rebuild ${i}`);
      assert.equal(r.pcs[i - 1]?.closed, true);
    }
    assert.equal(r.resetsSent(), 3);
    assert.equal(r.errors().length, 3);
    assert.ok(r.errors().every((m) => m.endsWith('; rebuilding')));
    assert.equal(r.peer.connectionState, 'connecting');

    r.tick(CONNECT_TIMEOUT);
    assert.equal(r.pcs.length, 4, 'no fourth rebuild');
    assert.equal(r.pc().closed, true);
    assert.equal(r.peer.connectionState, 'failed');
    assert.equal(r.states().at(-1), 'failed');
    assert.equal(r.resetsSent(), 3, 'the peer is not asked for another rebuild');
    assert.equal(r.errors().length, 4);
    assert.equal(r.errors()[3], 'Connection to b failed: no connection within the connect timeout; gave up after 3 rebuilds');

    // It stays that way: no timers left, and the peer's later requests are ignored.
    r.tick(20 * CONNECT_TIMEOUT);
    r.peers.handleSignal('b', { kind: 'reset' });
    r.tick(20 * CONNECT_TIMEOUT);
    assert.equal(r.pcs.length, 4);
    assert.equal(r.errors().length, 4);
    assert.equal(r.peer.connectionState, 'failed');
  });

  test('a successful connection resets the count', (t) => {
    const r = roomPeers(t, { maxRebuilds: 1 });
    r.tick(CONNECT_TIMEOUT);
    assert.equal(r.pcs.length, 2);
    r.pc().set('connected');
    r.pc().set('failed'); // restartIce, which does not help
    assert.equal(r.pc().restarts, 1);
    r.tick(RESTART_TIMEOUT);
    assert.equal(r.pcs.length, 3, 'rebuilt again: the connection reset the count');
    assert.equal(r.peer.connectionState, 'reconnecting');
    r.tick(CONNECT_TIMEOUT);
    assert.equal(r.pcs.length, 3);
    assert.equal(r.peer.connectionState, 'failed');
    assert.deepEqual(r.errors().slice(2), ['Connection to b failed: no connection within the connect timeout; gave up after 1 rebuild']);
    assert.equal(r.errors().length, 3);
  });

  test("the peer's reset requests count too; one that crossed ours does not", (t) => {
    const r = roomPeers(t, { maxRebuilds: 1 });
    r.tick(CONNECT_TIMEOUT); // we give up and rebuild (1 of 1)
    r.peers.handleSignal('b', { kind: 'reset' }); // the peer gave up at the same moment
    assert.equal(r.pcs.length, 2);
    assert.equal(r.pc().closed, false);
    assert.equal(r.peer.connectionState, 'connecting');
    r.tick(6_000);
    r.peers.handleSignal('b', { kind: 'reset' }); // a later request: the budget is spent
    assert.equal(r.pcs.length, 2);
    assert.equal(r.pc().closed, true);
    assert.equal(r.peer.connectionState, 'failed');
    assert.equal(r.errors().at(-1), 'Connection to b failed: the peer asked for another rebuild; gave up after 1 rebuild');
    assert.equal(r.errors().length, 2);
    assert.equal(r.resetsSent(), 1);
  });

  test("PeerLink: canRebuild false leaves the link failed, without error, reset signal or reset", (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const reasons: string[] = [];
    const emitted: string[] = [];
    const link = new PeerLink({ peerId: 'b', polite: false, canRebuild: (reason) => {
        reasons.push(reason);
        return false;
      } });
    for (const event of ['error', 'signal', 'reset', 'closed'] as const) link.on(event, () => emitted.push(event));
    t.mock.timers.tick(CONNECT_TIMEOUT);
    assert.deepEqual(reasons, ['no connection within the connect timeout']);
    assert.deepEqual(emitted, []);
    assert.equal(link.state, 'failed');
    link.close();
  });

  test('maxRebuilds 0 gives up at the first failure', (t) => {
    const r = roomPeers(t, { maxRebuilds: 0 });
    r.tick(CONNECT_TIMEOUT);
    assert.equal(r.pcs.length, 1);
    assert.equal(r.peer.connectionState, 'failed');
    assert.equal(r.resetsSent(), 0);
    assert.deepEqual(r.errors(), ['Connection to b failed: no connection within the connect timeout; gave up after 0 rebuilds']);
  });

  test('a rejoin that rebuilds every link gives a failed peer a fresh budget', (t) => {
    const r = roomPeers(t, { maxRebuilds: 1 });
    r.tick(CONNECT_TIMEOUT);
    r.tick(CONNECT_TIMEOUT);
    assert.equal(r.peer.connectionState, 'failed');
    assert.equal(r.pcs.length, 2);
    const snapshot = { room: 'r', self: { ...PEER, peerId: 'a' }, capacity: 4, peers: [PEER] };
    r.peers.reconcile(snapshot as unknown as JoinedRoom, true);
    assert.equal(r.pcs.length, 3);
    assert.equal(r.peer.connectionState, 'connecting');
    r.tick(CONNECT_TIMEOUT);
    assert.equal(r.pcs.length, 4, 'rebuilt once more');
    r.tick(CONNECT_TIMEOUT);
    assert.equal(r.pcs.length, 4);
    assert.equal(r.peer.connectionState, 'failed');
    assert.equal(r.errors().filter((m) => m.includes('gave up')).length, 2);
  });
});
