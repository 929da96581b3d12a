import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  IceSupervisor,
  type IceSupervisorOptions,
  type PeerConnectionState,
  type SupervisorClock,
  type TimerHandle,
} from './ice-supervisor.js';
import { FakeConnection } from './fake-connection.test-util.js';

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
      for (const entry of this.#timers) {
        if (entry[1].at <= end && (due === undefined || entry[1].at < due[1].at)) {
          due = entry;
        }
      }
      if (due === undefined) {
        break;
      }
      this.#timers.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
    }
    this.now = end;
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
