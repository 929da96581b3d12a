import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { WebSocketServer } from 'ws';
import { realClock, type Clock } from './options.js';
import { TestClient } from './test-client.js';
import { startSignaling, type Harness } from './test-server.js';

/** The real clock, counting timers that are still live. */
function countingClock(): Clock & { live: () => number } {
  const live = new Set<unknown>();
  return {
    now: () => realClock.now(),
    setTimeout(fn, ms) {
      const handle = realClock.setTimeout(() => {
        live.delete(handle);
        fn();
      }, ms);
      live.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      live.delete(handle);
      realClock.clearTimeout(handle);
    },
    setInterval(fn, ms) {
      const handle = realClock.setInterval(fn, ms);
      live.add(handle);
      return handle;
    },
    clearInterval(handle) {
      live.delete(handle);
      realClock.clearInterval(handle);
    },
    live: () => live.size,
  };
}

describe('shutdown', { timeout: 60_000 }, () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('sends shutdown to every socket, closes them with 1001, forgets everything; idempotent', async () => {
    h = await startSignaling();
    const a = await h.peer('A');
    const b = await h.peer('B');
    await a.join('r');
    const fresh = await h.connect(); // no hello yet
    h.signaling.terminate(b.peerId); // detached, in its grace
    const first = h.signaling.close('maintenance');
    const second = h.signaling.close('again');
    await Promise.all([first, second]);
    for (const client of [a, fresh]) {
      assert.deepEqual(await client.next('shutdown'), { type: 'shutdown', reason: 'maintenance' });
      assert.equal((await client.whenClosed()).code, 1001);
    }
    assert.deepEqual(h.counts(), { sessions: 0, rooms: 0, detached: 0 });
    assert.equal(h.clock.pending, 0);
  });

  it('leaves no real timer behind (hello, grace, ring, heartbeat)', async () => {
    const clock = countingClock();
    h = await startSignaling({ clock, limits: { heartbeatIntervalMs: 60_000, helloTimeoutMs: 60_000 } });
    const a = await h.peer('A');
    const b = await h.peer('B');
    const c = await h.peer('C');
    await h.connect(); // hello timer running
    a.send({ type: 'call', to: b.peerId });
    await b.next('incoming-call'); // ring timer running
    await c.join('r');
    h.signaling.terminate(c.peerId); // grace timer running
    assert.ok(clock.live() >= 4, `timers live before close: ${clock.live()}`);
    await h.signaling.close();
    assert.equal(clock.live(), 0);
  });

  it('drops the result of a hook that finishes after close()', async () => {
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    h = await startSignaling({ authenticate: () => gate.then(() => ({ userId: 'late' })) });
    const c = await h.connect();
    c.send({ type: 'hello', version: 1, displayName: 'Slow' });
    await h.signaling.close();
    release();
    await gate;
    assert.equal((await c.next('shutdown')).type, 'shutdown');
    assert.equal((await c.whenClosed()).code, 1001);
    assert.equal(
      c.inbox.some((m) => m.type === 'welcome'),
      false,
    );
    assert.equal(h.signaling.stats().sessions, 0);
  });

  it('leaves other upgrade paths to other handlers, and answers 404 when there is none', async () => {
    h = await startSignaling();
    await assert.rejects(TestClient.connect(h.url.replace('/ws', '/elsewhere')), /404/);
    const other = new WebSocketServer({ noServer: true });
    h.http.on('upgrade', (request, socket, head) => {
      if (request.url === '/elsewhere') {
        other.handleUpgrade(request, socket, head, (ws) => ws.send('{"type":"shutdown","reason":"hi"}'));
      }
    });
    const client = await TestClient.connect(h.url.replace('/ws', '/elsewhere'));
    assert.equal((await client.next('shutdown')).reason, 'hi');
    await client.close();
    other.close();
    const ours = await TestClient.connect(h.url);
    await ours.hello('still here');
    await ours.close();
  });
});
