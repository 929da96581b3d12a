import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fixtures } from './test-fixtures.js';

describe('Connection owns its hello deadline, rate gate and budget share', () => {
  it('the hello deadline fires once when no session binds', () => {
    const f = new Fixtures();
    const conn = f.connection();
    let timeouts = 0;
    conn.startHelloDeadline(1_000, () => timeouts++);
    f.clock.advance(1_000);
    assert.equal(timeouts, 1);
    assert.equal(f.clock.pending, 0);
  });

  it('dispose() stops the deadline, wakes activity waiters with false, and is idempotent', () => {
    const f = new Fixtures();
    const conn = f.connection();
    conn.startHelloDeadline(1_000, () => assert.fail('disposed sockets do not time out'));
    const heard: boolean[] = [];
    conn.onNextActivity((answered) => heard.push(answered));
    conn.dispose();
    conn.dispose();
    assert.equal(conn.closed, true);
    assert.equal(conn.isOpen, false);
    assert.deepEqual(heard, [false]);
    conn.startHelloDeadline(1_000, () => assert.fail('nor after a restart attempt'));
    f.clock.advance(2_000);
    assert.equal(f.clock.pending, 0);
    assert.equal(conn.send({ type: 'left', room: 'r' }), false, 'a released socket sends nothing');
  });
});
