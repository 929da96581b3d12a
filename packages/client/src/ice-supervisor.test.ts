import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import { DEFAULT_MEDIA_STATE, type ClientMessageInput, type JoinedRoom, type RoomPeer } from '@rendezvous/protocol';
import {
  IceSupervisor,
  type IceSupervisorOptions,
  type PeerConnectionState,
  type SupervisedConnection,
  type SupervisorClock,
  type TimerHandle,
} from './ice-supervisor.js';
import { PeerLink } from './peer-link.js';
import { RoomPeers } from './room-peers.js';
import type { RoomEvents } from './room.js';
import type { SignalingClient } from './signaling-client.js';

/** A clock the test moves by hand: `advance(ms)` runs the timers that fall due, in order. */
class FakeClock implements SupervisorClock {
  now = 0;
  #nextId = 1;
  readonly #timers = new Map<number, { at: number; callback: () => void }>();

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.now + ms, callback });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers.delete(handle as number);
  }

  /** How many timers are armed. */
  get pending(): number {
    return this.#timers.size;
  }

  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      let due: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.#timers) if (entry[1].at <= end && (due === undefined || entry[1].at < due[1].at)) due = entry;
      if (due === undefined) break;
      this.#timers.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
    }
    this.now = end;
  }
}

type RawState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';
const ICE_STATE: Record<RawState, string> = {
  new: 'new',
  connecting: 'checking',
  connected: 'connected',
  disconnected: 'disconnected',
  failed: 'failed',
  closed: 'closed',
};

/** An RTCPeerConnection as far as the supervisor sees it: two states, their events, and a restartIce() spy. */
class FakeConnection extends EventTarget implements SupervisedConnection {
  connectionState: string | undefined = 'new';
  iceConnectionState = 'new';
  restarts = 0;

  restartIce(): void {
    this.restarts++;
  }

  /** Moves to `state` and fires both change events, as browsers do. */
  set(state: RawState): void {
    if (this.connectionState !== undefined) this.connectionState = state;
    this.iceConnectionState = ICE_STATE[state];
    this.dispatchEvent(new Event('iceconnectionstatechange'));
    this.dispatchEvent(new Event('connectionstatechange'));
  }
}

const RESTART_MS = 10_000;
const DISCONNECTED_MS = 4_000;
const CONNECT_MS = 30_000;
const FLAP_MS = 2_000; // ice-supervisor.ts

function setup(options: IceSupervisorOptions = {}) {
  const pc = new FakeConnection();
  const clock = new FakeClock();
  const states: PeerConnectionState[] = [];
  const giveUps: string[] = [];
  const supervisor = new IceSupervisor(
    pc,
    { iceRestartTimeoutMs: RESTART_MS, disconnectedTimeoutMs: DISCONNECTED_MS, connectTimeoutMs: CONNECT_MS, ...options },
    { onState: (state) => states.push(state), onGiveUp: (reason) => giveUps.push(reason) },
    clock,
  );
  return { pc, clock, states, giveUps, supervisor };
}

/** A supervisor whose connection has connected once (so the connect timer is gone). */
function connected(options: IceSupervisorOptions = {}) {
  const s = setup(options);
  s.pc.set('connecting');
  s.pc.set('connected');
  assert.equal(s.supervisor.state, 'connected');
  assert.equal(s.clock.pending, 0);
  return s;
}

describe('IceSupervisor', () => {
  test("'failed' calls restartIce() once, even when reported again", () => {
    const { pc, clock, supervisor, giveUps } = connected();
    pc.set('failed');
    assert.equal(pc.restarts, 1);
    pc.set('failed');
    pc.dispatchEvent(new Event('connectionstatechange'));
    clock.advance(RESTART_MS - 1);
    assert.equal(pc.restarts, 1);
    assert.equal(supervisor.state, 'reconnecting');
    assert.deepEqual(giveUps, []);
  });

  test('a restart that reconnects in time does not escalate, and its timer is cleared', () => {
    const { pc, clock, supervisor, giveUps, states } = connected();
    pc.set('failed');
    assert.equal(clock.pending, 1);
    clock.advance(RESTART_MS - 1);
    pc.set('connecting');
    pc.set('connected');
    assert.equal(clock.pending, 0);
    clock.advance(10 * RESTART_MS);
    assert.deepEqual(giveUps, []);
    assert.equal(pc.restarts, 1);
    assert.equal(supervisor.state, 'connected');
    assert.deepEqual(states, ['connecting', 'connected', 'reconnecting', 'connected']);
  });

  test('a restart that does not reconnect in time gives up exactly once', () => {
    const { pc, clock, supervisor, giveUps, states } = connected();
    pc.set('failed');
    clock.advance(RESTART_MS - 1);
    assert.deepEqual(giveUps, []);
    clock.advance(1);
    assert.deepEqual(giveUps, ['ICE restart did not reconnect']);
    assert.equal(supervisor.state, 'failed');
    assert.equal(states.at(-1), 'failed');
    assert.equal(clock.pending, 0);
    // Nothing more after giving up: no new restart, no second give-up, the state stays failed.
    pc.set('failed');
    pc.set('disconnected');
    clock.advance(10 * CONNECT_MS);
    pc.set('connecting');
    assert.equal(pc.restarts, 1);
    assert.equal(giveUps.length, 1);
    assert.equal(supervisor.state, 'failed');
    supervisor.giveUp('again');
    assert.equal(giveUps.length, 1);
  });

  test("a 'disconnected' that recovers by itself does not restart ICE", () => {
    const { pc, clock, supervisor, giveUps } = connected();
    pc.set('disconnected');
    assert.equal(supervisor.state, 'reconnecting');
    assert.equal(clock.pending, 1);
    clock.advance(DISCONNECTED_MS - 1);
    pc.set('connected');
    assert.equal(clock.pending, 0);
    clock.advance(10 * DISCONNECTED_MS);
    assert.equal(pc.restarts, 0);
    assert.deepEqual(giveUps, []);
    assert.equal(supervisor.state, 'connected');
  });

  test("a lasting 'disconnected' restarts ICE after disconnectedTimeoutMs", () => {
    const { pc, clock, giveUps } = connected();
    pc.set('disconnected');
    clock.advance(DISCONNECTED_MS - 1);
    assert.equal(pc.restarts, 0);
    clock.advance(1);
    assert.equal(pc.restarts, 1);
    clock.advance(RESTART_MS);
    assert.deepEqual(giveUps, ['ICE restart did not reconnect']);
  });

  test("'failed' while waiting out a 'disconnected' restarts at once, only once", () => {
    const { pc, clock } = connected();
    pc.set('disconnected');
    pc.set('failed');
    assert.equal(pc.restarts, 1);
    assert.equal(clock.pending, 1); // the restart timer; the disconnected timer is gone
    clock.advance(DISCONNECTED_MS);
    assert.equal(pc.restarts, 1);
  });

  test('close() clears every timer: nothing escalates afterwards', () => {
    const { pc, clock, supervisor, giveUps, states } = setup();
    assert.equal(clock.pending, 1); // connect timer
    pc.set('connecting');
    pc.set('connected');
    pc.set('connecting'); // flap timer
    pc.set('failed'); // restart timer
    assert.ok(clock.pending > 0);
    supervisor.close();
    assert.equal(clock.pending, 0);
    assert.equal(supervisor.state, 'closed');
    const seen = states.length;
    clock.advance(10 * CONNECT_MS);
    pc.set('disconnected');
    pc.set('failed');
    clock.advance(10 * CONNECT_MS);
    assert.deepEqual(giveUps, []);
    assert.equal(pc.restarts, 1);
    assert.equal(states.length, seen);
    supervisor.giveUp('after close');
    assert.deepEqual(giveUps, []);
  });

  test('close() before ever connecting cancels the connect timeout', () => {
    const { clock, supervisor, giveUps } = setup();
    supervisor.close();
    assert.equal(clock.pending, 0);
    clock.advance(10 * CONNECT_MS);
    assert.deepEqual(giveUps, []);
  });

  test('repeated failures after a successful restart restart again', () => {
    const { pc, clock, supervisor, giveUps } = connected();
    pc.set('failed');
    pc.set('connected');
    assert.equal(pc.restarts, 1);
    clock.advance(RESTART_MS);
    pc.set('failed');
    assert.equal(pc.restarts, 2);
    pc.set('connected');
    pc.set('disconnected');
    clock.advance(DISCONNECTED_MS);
    assert.equal(pc.restarts, 3);
    pc.set('connected');
    assert.deepEqual(giveUps, []);
    // A later failure whose restart does not help still escalates, once.
    pc.set('failed');
    assert.equal(pc.restarts, 4);
    clock.advance(RESTART_MS);
    assert.deepEqual(giveUps, ['ICE restart did not reconnect']);
    assert.equal(supervisor.state, 'failed');
  });

  test('a fresh connection that never connects gives up after connectTimeoutMs', () => {
    const { pc, clock, supervisor, giveUps, states } = setup();
    pc.set('connecting');
    clock.advance(CONNECT_MS - 1);
    assert.deepEqual(giveUps, []);
    clock.advance(1);
    assert.deepEqual(giveUps, ['no connection within the connect timeout']);
    assert.equal(supervisor.state, 'failed');
    assert.deepEqual(states, ['connecting', 'failed']);
    assert.equal(pc.restarts, 0);
  });

  test('connecting in time cancels the connect timeout; 0 disables it', () => {
    const a = setup();
    a.clock.advance(CONNECT_MS - 1);
    a.pc.set('connected');
    a.clock.advance(10 * CONNECT_MS);
    assert.deepEqual(a.giveUps, []);
    const b = setup({ connectTimeoutMs: 0 });
    assert.equal(b.clock.pending, 0);
    b.clock.advance(10 * CONNECT_MS);
    assert.deepEqual(b.giveUps, []);
    assert.equal(b.supervisor.state, 'new');
  });

  test("a short 'connecting' after 'connected' is not reported; a lasting one is 'reconnecting'", () => {
    const { pc, clock, supervisor, states } = connected();
    pc.set('connecting');
    clock.advance(FLAP_MS - 1);
    assert.equal(supervisor.state, 'connected');
    pc.set('connected');
    clock.advance(FLAP_MS);
    assert.deepEqual(states, ['connecting', 'connected']);
    pc.set('connecting');
    clock.advance(FLAP_MS);
    assert.equal(supervisor.state, 'reconnecting');
    assert.deepEqual(states, ['connecting', 'connected', 'reconnecting']);
  });

  test('pause() stops the timers without closing', () => {
    const { pc, clock, supervisor, giveUps } = connected();
    pc.set('failed');
    supervisor.pause();
    assert.equal(clock.pending, 0);
    clock.advance(10 * RESTART_MS);
    assert.deepEqual(giveUps, []);
    assert.equal(supervisor.state, 'reconnecting');
  });

  test('without connectionState it follows iceConnectionState', () => {
    const pc = new FakeConnection();
    pc.connectionState = undefined;
    const clock = new FakeClock();
    const states: PeerConnectionState[] = [];
    const supervisor = new IceSupervisor(pc, {}, { onState: (s) => states.push(s), onGiveUp: () => undefined }, clock);
    pc.set('connecting');
    pc.set('connected');
    pc.iceConnectionState = 'completed';
    pc.dispatchEvent(new Event('iceconnectionstatechange'));
    pc.set('failed');
    assert.equal(pc.restarts, 1);
    assert.deepEqual(states, ['connecting', 'connected', 'reconnecting']);
    supervisor.close();
  });
});

// ---- the rebuild cap (RoomPeers over real PeerLinks on fake connections) ----

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
