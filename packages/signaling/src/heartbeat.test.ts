import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { startSignaling, type Harness } from './test-server.js';

const INTERVAL = 10_000;

describe('heartbeat', { timeout: 60_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('terminates a socket that does not answer pings; its session waits for a resume', async () => {
    h = await startSignaling({ limits: { heartbeatIntervalMs: INTERVAL } });
    const deaf = await h.connect({ autoPong: false });
    await deaf.hello('Deaf');
    await deaf.join('r');
    const other = await h.peer('Other');
    await other.join('r');
    await deaf.next('peer-joined');

    const pinged = [deaf.pinged(), other.pinged()];
    h.clock.advance(INTERVAL); // tick 1: ping
    await Promise.all(pinged);
    await other.sync(); // Other's automatic pong went out before this round trip, so it has been handled
    h.clock.advance(INTERVAL); // tick 2: no pong from Deaf -> terminated
    assert.equal((await deaf.whenClosed()).code, 1006);
    assert.deepEqual(h.counts(), { sessions: 2, rooms: 1, detached: 1 });
    await other.expectNothing('peer-left');

    const back = await h.connect();
    const welcome = await back.hello('Deaf', { resumeToken: deaf.resumeToken });
    assert.equal(welcome.resumed, true);
  });

  it('keeps a socket that answers pings', async () => {
    h = await startSignaling({ limits: { heartbeatIntervalMs: INTERVAL } });
    const alive = await h.peer('Alive');
    for (let tick = 0; tick < 4; tick++) {
      const pinged = alive.pinged();
      h.clock.advance(INTERVAL);
      await pinged;
      await alive.sync(); // its automatic pong went out before this frame
    }
    assert.deepEqual(h.counts(), { sessions: 1, rooms: 0, detached: 0 });
  });

  it('also drops a silent socket that never said hello', async () => {
    h = await startSignaling({ limits: { heartbeatIntervalMs: INTERVAL } });
    const mute = await h.connect({ autoPong: false });
    const pinged = mute.pinged();
    h.clock.advance(INTERVAL);
    await pinged;
    h.clock.advance(INTERVAL);
    assert.equal((await mute.whenClosed()).code, 1006);
  });
});
