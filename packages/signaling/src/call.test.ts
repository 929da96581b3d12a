import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Call } from './call.js';
import { Room } from './rooms.js';
import { Fixtures } from './test-fixtures.js';

describe('Call owns its ring timer and the parties links', () => {
  it('links both parties; dispose() stops the ring, unlinks them and returns the room once', () => {
    const f = new Fixtures();
    const [caller, callee] = [f.session('caller'), f.session('callee')];
    const call = new Call('call-12345678', caller, callee, f.clock);
    assert.equal(caller.call, call);
    assert.equal(callee.call, call);
    let timeouts = 0;
    call.startRinging(1_000, () => timeouts++);
    assert.equal(f.clock.pending, 1);
    const room = new Room('~call-12345678', 2, true);
    call.activate(room);
    assert.equal(call.state, 'active');
    assert.equal(call.ringing, false, 'accepting stops the ring');
    assert.equal(call.dispose(), room);
    assert.equal(call.dispose(), null, 'idempotent');
    assert.equal(call.ended, true);
    assert.equal(caller.call, null);
    assert.equal(callee.call, null);
    call.startRinging(1_000, () => timeouts++);
    f.clock.advance(5_000);
    assert.equal(timeouts, 0);
    assert.equal(f.clock.pending, 0);
  });

  it('a ringing call times out once; disposing it later unlinks only itself', () => {
    const f = new Fixtures();
    const [caller, callee] = [f.session('caller'), f.session('callee')];
    const call = new Call('call-aaaaaaaa', caller, callee, f.clock);
    let timeouts = 0;
    call.startRinging(1_000, () => timeouts++);
    f.clock.advance(1_000);
    assert.equal(timeouts, 1);
    const next = new Call('call-bbbbbbbb', caller, f.session('other'), f.clock);
    call.dispose();
    assert.equal(caller.call, next, 'an old call does not unlink a newer one');
    assert.equal(callee.call, null);
  });
});
