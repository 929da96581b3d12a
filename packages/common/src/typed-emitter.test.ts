import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TypedEmitter } from './typed-emitter.js';

interface Events {
  joined: [name: string, at: number];
  left: [name: string];
  pong: [];
}

describe('TypedEmitter', { timeout: 60_000 }, () => {
  it('calls the listeners of an event in order, with its arguments, and says whether there was one', () => {
    const emitter = new TypedEmitter<Events>();
    const calls: string[] = [];
    emitter.on('joined', (name, at) => calls.push(`1:${name}@${at}`));
    emitter.on('joined', (name) => calls.push(`2:${name}`));
    emitter.on('left', () => calls.push('left'));
    assert.equal(emitter.emit('joined', 'ann', 5), true);
    assert.deepEqual(calls, ['1:ann@5', '2:ann']);
    assert.equal(emitter.listenerCount('joined'), 2);
    assert.equal(emitter.emit('pong'), false);
  });

  it('removes listeners by the function on() returns, by off(), and once() after its first call', () => {
    const emitter = new TypedEmitter<Events>();
    const seen: string[] = [];
    const unsubscribe = emitter.on('left', (n) => seen.push(`a${n}`));
    emitter.once('left', (n) => seen.push(`once${n}`));
    const b = (n: string): void => void seen.push(`b${n}`);
    emitter.on('left', b);
    emitter.emit('left', '1');
    unsubscribe();
    unsubscribe();
    emitter.off('left', b);
    emitter.off('joined', b);
    emitter.emit('left', '2');
    assert.deepEqual(seen, ['a1', 'once1', 'b1']);
    assert.equal(emitter.listenerCount('left'), 0);
  });

  it('off() with the original listener removes a once(); listeners added during an emit wait for the next', () => {
    const emitter = new TypedEmitter<Events>();
    let calls = 0;
    const listener = (): void => void calls++;
    emitter.once('pong', listener);
    emitter.off('pong', listener);
    emitter.on('pong', () => {
      emitter.on('pong', listener);
    });
    emitter.emit('pong');
    assert.equal(calls, 0);
    emitter.emit('pong');
    assert.equal(calls, 1);
    emitter.removeAllListeners('pong');
    assert.equal(emitter.listenerCount('pong'), 0);
    emitter.on('left', listener);
    emitter.removeAllListeners();
    assert.equal(emitter.listenerCount('left'), 0);
  });

  it('reports a listener that throws to its reporter instead of throwing, and still runs the others', () => {
    const reported: [unknown, keyof Events][] = [];
    const emitter = new TypedEmitter<Events>((error, event) => reported.push([error, event]));
    const bug = new Error('listener bug');
    let after = 0;
    emitter.on('left', () => {
      throw bug;
    });
    emitter.on('left', () => void after++);
    assert.doesNotThrow(() => emitter.emit('left', 'ann'));
    assert.equal(after, 1);
    assert.deepEqual(reported, [[bug, 'left']]);
  });

  it('reports to console.error by default, and survives a reporter that throws', (t) => {
    const errors = t.mock.method(console, 'error', () => undefined);
    const emitter = new TypedEmitter<Events>();
    emitter.on('left', () => {
      throw new Error('boom');
    });
    assert.doesNotThrow(() => emitter.emit('left', 'ann'));
    assert.equal(errors.mock.callCount(), 1);
    assert.match(String(errors.mock.calls[0]?.arguments[0]), /a listener for "left" threw/);
    const fragile = new TypedEmitter<Events>(() => {
      throw new Error('reporter bug');
    });
    let after = 0;
    fragile.on('left', () => {
      throw new Error('boom');
    });
    fragile.on('left', () => void after++);
    assert.doesNotThrow(() => fragile.emit('left', 'ann'));
    assert.equal(after, 1);
  });
});
