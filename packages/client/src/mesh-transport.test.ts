import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import { DEFAULT_MEDIA_STATE, type RendezvousError, type RoomPeer, type SignalData } from '@rendezvous/protocol';
import { FakeConnection } from './fake-connection.test-util.js';
import { MeshTransport } from './mesh-transport.js';
import { RemotePeer } from './remote-peer.js';
import type { PeerConnectionState } from './ice-supervisor.js';

// The rebuild policy of a mesh peer: MeshTransport over real PeerLinks on fake connections.

/** What PeerLink and MeshPeer touch of an RTCPeerConnection; never negotiates. */
class FakeRtcPeerConnection extends FakeConnection {
  static created: FakeRtcPeerConnection[] = [];
  readonly remoteDescription = null;
  readonly localDescription = null;
  readonly sctp = null;
  closed = false;
  channels: string[] = [];
  constructor() {
    super();
    FakeRtcPeerConnection.created.push(this);
  }
  addTransceiver(): object {
    return {
      mid: null,
      direction: 'sendrecv',
      sender: { replaceTrack: () => Promise.resolve() },
      receiver: { track: { kind: 'audio', stop: () => undefined } },
    };
  }
  createDataChannel(label: string): object {
    this.channels.push(label);
    return {
      label,
      readyState: 'connecting',
      close: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    };
  }
  getTransceivers(): [] {
    return [];
  }
  getSenders(): [] {
    return [];
  }
  getStats(): Promise<Map<string, unknown>> {
    return Promise.resolve(new Map<string, unknown>());
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
  const errors: RendezvousError[] = [];
  const states: PeerConnectionState[] = [];
  const sent: SignalData[] = [];
  const attached: string[] = [];
  const mesh = new MeshTransport(
    {
      rtcConfig: () => ({}),
      sendTracks: () => ({ audio: null, video: null, screen: null, screenAudio: null }),
      videoCodec: () => null,
      sendSignal: (_to, data) => sent.push(data),
      send: () => {},
      request: () => Promise.reject(new Error('no requests in a mesh')),
      outbox: { queuedFrames: () => 0, onSent: () => () => {}, relayBytesPerSecond: () => undefined },
      data: { attach: (id) => attached.push(`+${id}`), detach: (id) => attached.push(`-${id}`) },
      reportError: (error) => errors.push(error),
    },
    { maxRebuilds: options.maxRebuilds ?? 3, now: () => Date.now() },
  );
  const peer = new RemotePeer(PEER);
  peer.on('state', (state) => states.push(state));
  mesh.addPeer(peer, PEER.polite);
  const pcs = FakeRtcPeerConnection.created;
  return {
    mesh,
    peers: { handleSignal: (from: string, data: SignalData) => mesh.handleSignal(from, data) },
    peer,
    pcs,
    attached,
    /** The connection of the peer's current link. */
    pc: () => pcs.at(-1) as FakeRtcPeerConnection,
    tick: (ms: number) => t.mock.timers.tick(ms),
    errors: () => errors.map((e) => e.message),
    codes: () => errors.map((e) => e.code),
    states: () => states,
    resetsSent: () => sent.filter((data) => data.kind === 'reset').length,
  };
}

describe('MeshPeer rebuild policy (maxRebuilds)', () => {
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
    assert.deepEqual(r.errors().slice(2), [
      'Connection to b failed: no connection within the connect timeout; gave up after 1 rebuild',
    ]);
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
    r.mesh.resync(PEER.peerId, PEER.polite, true);
    assert.equal(r.pcs.length, 3);
    assert.equal(r.peer.connectionState, 'connecting');
    r.tick(CONNECT_TIMEOUT);
    assert.equal(r.pcs.length, 4, 'rebuilt once more');
    r.tick(CONNECT_TIMEOUT);
    assert.equal(r.pcs.length, 4);
    assert.equal(r.peer.connectionState, 'failed');
    assert.equal(r.errors().filter((m) => m.includes('gave up')).length, 2);
  });

  test('retries say CONNECTION_RETRYING and never show `failed`; only giving up is CONNECTION_FAILED', (t) => {
    const r = roomPeers(t, { maxRebuilds: 2 });
    r.tick(CONNECT_TIMEOUT);
    r.tick(CONNECT_TIMEOUT);
    assert.deepEqual(r.codes(), ['CONNECTION_RETRYING', 'CONNECTION_RETRYING']);
    assert.ok(!r.states().includes('failed'), `states: ${r.states().join(',')}`);
    r.tick(CONNECT_TIMEOUT);
    assert.deepEqual(r.codes().at(-1), 'CONNECTION_FAILED');
    assert.equal(r.states().filter((s) => s === 'failed').length, 1);
  });

  test('each connection attaches its message channel to the data layer, and detaches it when replaced', (t) => {
    const r = roomPeers(t, { maxRebuilds: 1 });
    assert.deepEqual(r.pc().channels, ['rendezvous'], 'the impolite side opens the message channel');
    r.tick(CONNECT_TIMEOUT);
    assert.deepEqual(r.attached, ['+b', '-b', '+b']);
    r.mesh.close();
    assert.deepEqual(r.attached, ['+b', '-b', '+b', '-b']);
    assert.equal(r.pc().closed, true);
    r.mesh.close();
    r.tick(20 * CONNECT_TIMEOUT);
    assert.equal(r.pcs.length, 2, 'no timer outlives close()');
  });
});
