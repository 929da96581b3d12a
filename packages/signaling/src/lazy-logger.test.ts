import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LazyChildLogger } from './lazy-logger.js';
import type { Logger } from './options.js';

function recorder(enabled: (level: string) => boolean = () => true) {
  const lines: unknown[][] = [];
  let children = 0;
  const make = (bindings: Record<string, unknown>): Logger & { isLevelEnabled(level: string): boolean } => ({
    debug: (...args: unknown[]) => void lines.push(['debug', bindings, ...args]),
    info: (...args: unknown[]) => void lines.push(['info', bindings, ...args]),
    warn: (...args: unknown[]) => void lines.push(['warn', bindings, ...args]),
    error: (...args: unknown[]) => void lines.push(['error', bindings, ...args]),
    child: (more) => {
      children++;
      return make({ ...bindings, ...more });
    },
    isLevelEnabled: enabled,
  });
  return { root: make({}), lines, children: () => children };
}

test('the child is made on the first line, once, with its bindings; both call forms pass through', () => {
  const { root, lines, children } = recorder();
  const log = new LazyChildLogger(root, { conn: 7 });
  assert.equal(children(), 0);
  log.info({ a: 1 }, 'first');
  log.error('second');
  assert.equal(children(), 1);
  assert.deepEqual(lines, [
    ['info', { conn: 7 }, { a: 1 }, 'first'],
    ['error', { conn: 7 }, 'second'],
  ]);
});

test('a line at a level the parent has off makes no child and logs nothing', () => {
  const { root, lines, children } = recorder((level) => level !== 'debug');
  const log = new LazyChildLogger(root, { peerId: 'p' });
  log.debug({ remote: '127.0.0.1' }, 'socket open');
  assert.equal(children(), 0);
  assert.deepEqual(lines, []);
  log.warn('w');
  assert.deepEqual(lines, [['warn', { peerId: 'p' }, 'w']]);
});
