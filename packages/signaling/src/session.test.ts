import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Room } from './rooms.js';
import { Fixtures } from './test-fixtures.js';

describe('Session owns its links and its grace timer', () => {
  it('attach() binds both ends and stops the grace; a second socket takes over and the first is handed back unbound', () => {
    const f = new Fixtures();
    const session = f.session();
    const first = f.connection();
    const second = f.connection();
    first.startHelloDeadline(1_000, () => assert.fail('the hello deadline stops on attach'));
    assert.equal(session.attach(first), null);
    assert.equal(first.session, session);
    assert.equal(first.awaitingHello, false);
    assert.equal(session.detachConnection(), first);
    assert.equal(first.session, null);
    session.startGrace(500, () => assert.fail('the grace stops on attach'));
    assert.equal(session.attach(first), null);
    assert.equal(session.graceRunning, false);
    assert.equal(session.attach(second), first, 'the displaced socket comes back for the caller to cut');
    assert.equal(first.session, null);
    assert.equal(second.session, session);
    f.clock.advance(10_000);
    assert.equal(f.clock.pending, 0);
  });

  it('dispose() ends it once: grace stopped, socket unbound, queue emptied, later sends dropped', () => {
    const f = new Fixtures();
    const session = f.session();
    const conn = f.connection();
    session.attach(conn);
    session.detachConnection();
    session.send({ type: 'left', room: 'r' }); // detached: queued
    assert.equal(session.queue.length, 1);
    assert.ok(f.budget.queuedBytes > 0);
    let expired = 0;
    session.startGrace(500, () => expired++);
    session.dispose();
    session.dispose();
    assert.equal(session.ended, true);
    assert.equal(session.connection, null);
    assert.equal(session.queue.length, 0);
    assert.equal(f.budget.queuedBytes, 0, 'the queue gave its bytes back');
    session.send({ type: 'left', room: 'r' });
    assert.equal(session.queue.length, 0, 'an ended session drops what is sent to it');
    session.startGrace(500, () => expired++);
    f.clock.advance(1_000);
    assert.equal(expired, 0);
    assert.equal(f.clock.pending, 0);
  });

  it('enterRoom() and leaveRoom() keep the room and the back-pointer together', () => {
    const f = new Fixtures();
    const session = f.session();
    const room = new Room('r', 4, false);
    session.enterRoom(room);
    assert.equal(session.room, room);
    assert.equal(room.has(session.peerId), true);
    assert.equal(session.leaveRoom(), room);
    assert.equal(session.leaveRoom(), null);
    assert.equal(session.room, null);
    assert.equal(room.size, 0);
  });
});
