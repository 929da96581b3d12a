import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RendezvousError } from '@rendezvous/protocol';
import { FakePresencePort, SELF, member, snapshotOf, updated } from './fake-presence-port.test-util.js';
import { Hands, type RaisedHand } from './hands.js';

/** Hands on a fake port, with every `hands` event recorded. */
function setUp(port = new FakePresencePort()): { port: FakePresencePort; hands: Hands; seen: RaisedHand[][] } {
  const hands = new Hands(port);
  const seen: RaisedHand[][] = [];
  hands.on('hands', (raised) => seen.push(raised));
  return { port, hands, seen };
}

describe('Hands', () => {
  it('starts from the snapshot, in the order raised, without an event', () => {
    const { hands, seen } = setUp(new FakePresencePort(snapshotOf([member('bob', 4), member('cy'), member('ada', 2)])));
    assert.deepEqual(hands.raised, [
      { peerId: 'ada', order: 2 },
      { peerId: 'bob', order: 4 },
    ]);
    assert.equal(hands.isRaised, false);
    assert.equal(hands.orderOf('bob'), 4);
    assert.equal(hands.orderOf('cy'), null);
    assert.deepEqual(seen, []);
  });

  it('raiseHand asks the server, and resolves once its own hand is in the list with the stamped order', async () => {
    const { port, hands, seen } = setUp(new FakePresencePort(snapshotOf([member('ada', 1)])));
    const raising = hands.raiseHand();
    assert.deepEqual(
      port.requests.map((r) => r.message),
      [{ type: 'hand', raised: true }],
    );
    assert.equal(hands.isRaised, false, 'not before the server said so');
    await port.answer(updated(SELF, 2));
    await raising;
    assert.equal(hands.isRaised, true);
    const expected = [
      { peerId: 'ada', order: 1 },
      { peerId: SELF, order: 2 },
    ];
    assert.deepEqual(hands.raised, expected);
    assert.deepEqual(seen, [expected]);
    const lowering = hands.lowerHand();
    assert.deepEqual(port.requests[0]?.message, { type: 'hand', raised: false });
    await port.answer(updated(SELF, null));
    await lowering;
    assert.deepEqual(seen.at(-1), [{ peerId: 'ada', order: 1 }]);
  });

  it('follows the others: raised, lowered, joined, left; an update that changes no hand emits nothing', () => {
    const { port, hands, seen } = setUp(new FakePresencePort(snapshotOf([member('ada'), member('bob')])));
    port.deliver(updated('bob', 1));
    port.deliver(updated('ada', 2));
    port.deliver(updated('ada', 2, true)); // recording only
    port.deliver({ type: 'peer-joined', room: 'r', peer: { ...member('cy', 3), polite: true } });
    port.deliver({ type: 'peer-left', room: 'r', peerId: 'bob', reason: 'left' });
    port.deliver(updated('ghost', 9)); // not a member: ignored
    port.deliver({ type: 'peer-left', room: 'r', peerId: 'ghost', reason: 'left' });
    assert.deepEqual(
      seen.map((list) => list.map((hand) => `${hand.peerId}:${hand.order}`)),
      [['bob:1'], ['bob:1', 'ada:2'], ['bob:1', 'ada:2', 'cy:3'], ['ada:2', 'cy:3']],
    );
    assert.deepEqual(
      hands.raised.map((hand) => hand.peerId),
      ['ada', 'cy'],
    );
  });

  it('a refused request rejects with the server code and changes nothing', async () => {
    const { port, hands, seen } = setUp();
    const raising = hands.raiseHand();
    port.fail('NOT_IN_ROOM');
    await assert.rejects(raising, { code: 'NOT_IN_ROOM' });
    assert.equal(hands.isRaised, false);
    assert.deepEqual(seen, []);
  });

  it('after a rejoin (new session, hand gone) a raised hand is raised again; after a resume that kept it, not', async () => {
    const { port, hands } = setUp(new FakePresencePort(snapshotOf([member('ada')])));
    const raising = hands.raiseHand();
    await port.answer(updated(SELF, 1));
    await raising;
    port.resync(snapshotOf([member('ada')], { hand: 1 })); // resume: the server kept it
    assert.equal(port.requests.length, 0);
    port.resync(snapshotOf([member('ada', 2)], { peerId: 'new-self-0002' })); // rejoin: a new peer id, hand down
    assert.deepEqual(hands.raised, [{ peerId: 'ada', order: 2 }]);
    assert.deepEqual(
      port.requests.map((r) => r.message),
      [{ type: 'hand', raised: true }],
    );
    await port.answer(updated('new-self-0002', 3));
    assert.deepEqual(
      hands.raised.map((hand) => hand.peerId),
      ['ada', 'new-self-0002'],
    );
  });

  it('a failed raise after a rejoin is an error event', async () => {
    const { port, hands } = setUp();
    const failed = new Promise<RendezvousError>((resolve) => hands.once('error', resolve));
    const raising = hands.raiseHand();
    await port.answer(updated(SELF, 1));
    await raising;
    port.resync(snapshotOf([], { peerId: 'new-self-0002' }));
    port.fail('RATE_LIMITED');
    assert.equal((await failed).code, 'RATE_LIMITED');
  });

  it('closes with the room: listeners gone, later calls refused, later messages ignored', async () => {
    const { port, hands, seen } = setUp();
    port.close();
    assert.equal(port.listeners, 0);
    await assert.rejects(hands.raiseHand(), { code: 'INVALID_STATE' });
    port.deliver(updated(SELF, 1));
    assert.deepEqual(seen, []);
    hands.close();
  });
});
