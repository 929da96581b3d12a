import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TypedEmitter } from './typed-emitter.js';

interface Events {
  joined: [name: string, at: number];
  left: [name: string];
}

describe('TypedEmitter', { timeout: 60_000 }, () => {
  it('calls the listeners of an event in order, with its arguments', () => {
    const emitter = new TypedEmitter<Events>();
    const calls: string[] = [];
    emitter.on('joined', (name, at) => calls.push(`1:${name}@${at}`));
    emitter.on('joined', (name) => calls.push(`2:${name}`));
    emitter.on('left', () => calls.push('left'));
    emitter.emit('joined', 'ann', 5);
    assert.deepEqual(calls, ['1:ann@5', '2:ann']);
    assert.equal(emitter.listenerCount('joined'), 2);
  });

  it('removes a listener with off()', () => {
    const emitter = new TypedEmitter<Events>();
    let calls = 0;
    const listener = (): void => void calls++;
    emitter.on('left', listener).off('left', listener).off('joined', listener);
    emitter.emit('left', 'ann');
    assert.equal(calls, 0);
    assert.equal(emitter.listenerCount('left'), 0);
  });

  it('reports a listener that throws instead of throwing, and still runs the others', () => {
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

  it('swallows listener errors when no reporter is given', () => {
    const emitter = new TypedEmitter<Events>();
    emitter.on('left', () => {
      throw new Error('ignored');
    });
    assert.doesNotThrow(() => emitter.emit('left', 'ann'));
  });
});
