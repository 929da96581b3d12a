import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue, RendezvousError } from '@rendezvous/protocol';
import { FakePresencePort, SELF } from './fake-presence-port.test-util.js';
import { Reactions } from './reactions.js';

function setUp(): { port: FakePresencePort; reactions: Reactions; seen: string[]; errors: RendezvousError[] } {
  const port = new FakePresencePort();
  const reactions = new Reactions(port);
  const seen: string[] = [];
  const errors: RendezvousError[] = [];
  reactions.on('reaction', (peerId, emoji) => seen.push(`${peerId} ${emoji}`));
  reactions.on('error', (error) => errors.push(error));
  return { port, reactions, seen, errors };
}

const event = (from: string, data: JsonValue | undefined, name = 'reaction') =>
  ({ type: 'room-event', room: 'r', from, event: name, data }) as const;

describe('Reactions', () => {
  it('react sends the room event and shows its own reaction at once', () => {
    const { port, reactions, seen } = setUp();
    reactions.react('🎉');
    assert.deepEqual(port.events, [{ event: 'reaction', data: { emoji: '🎉' } }]);
    assert.deepEqual(seen, [`${SELF} 🎉`]);
  });

  it('react refuses what is not one short emoji, and sends nothing', () => {
    const { port, reactions, seen } = setUp();
    for (const bad of ['hello', '👍👍', '\u202E👍', 'x'.repeat(100)]) {
      assert.throws(() => reactions.react(bad), { code: 'INVALID_REACTION' });
    }
    assert.deepEqual(port.events, []);
    assert.deepEqual(seen, []);
  });

  it('incoming: a valid reaction is emitted; a hostile one is dropped with an error naming the sender', () => {
    const { port, seen, errors } = setUp();
    port.deliver(event('ada', { emoji: '👏' }));
    port.deliver(event('eve', { emoji: 'x'.repeat(5000) }));
    port.deliver(event('eve', { emoji: ['👍'] }));
    port.deliver(event('eve', '👍'));
    port.deliver(event('eve', undefined));
    port.deliver(event('bob', { emoji: '👍' }, 'hand')); // another event: not ours
    port.deliver(event('bob', { emoji: '❤️', extra: 1 }));
    assert.deepEqual(seen, ['ada 👏', 'bob ❤️']);
    assert.deepEqual(
      errors.map((e) => [e.code, e.detail?.['from'], e.detail?.['length']]),
      [
        ['INVALID_REACTION', 'eve', 5000],
        ['INVALID_REACTION', 'eve', -1],
        ['INVALID_REACTION', 'eve', -1],
        ['INVALID_REACTION', 'eve', -1],
      ],
    );
  });

  it('closes with the room: react is refused, incoming reactions are ignored', () => {
    const { port, reactions, seen } = setUp();
    port.close();
    assert.equal(port.listeners, 0);
    assert.throws(() => reactions.react('👍'), { code: 'INVALID_STATE' });
    port.deliver(event('ada', { emoji: '👏' }));
    assert.deepEqual(seen, []);
  });
});
