import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { StunErrorCode, reasonPhrase } from '@rendezvous/stun';
import { TURN_ERROR_CATALOG, TURN_ERROR_CODES, TURN_STUN_ERRORS, type TurnStunErrorName } from './errors.js';

/** The `## title` part of docs/errors.md, up to the next `## ` heading. */
async function docsSection(title: string): Promise<string> {
  const text = await readFile(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  const start = text.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `docs/errors.md has "## ${title}"`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

const names = Object.keys(TURN_STUN_ERRORS) as TurnStunErrorName[];

test('errors.md lists every STUN error response the TURN server sends, number and name', async () => {
  const text = await docsSection('STUN/TURN error responses');
  assert.ok(names.length >= 12);
  const missing = names.filter((name) => !text.includes(`\n| ${TURN_STUN_ERRORS[name].status} | \`${name}\` |`));
  assert.deepEqual(missing, []);
});

test('errors.md lists every TurnError code with its catalog text', async () => {
  const text = await docsSection('TURN server API');
  const meaning = (code: string): string | undefined =>
    text
      .split('\n')
      .find((line) => line.startsWith(`| \`${code}\` | `))
      ?.split(' | ')[1]
      ?.replaceAll('`', '');
  // The docs may add a parenthesis ("(the message names the option)") before the final full stop.
  const missing = TURN_ERROR_CODES.filter(
    (code) => !meaning(code)?.startsWith(TURN_ERROR_CATALOG[code].message.replace(/\.$/, '')),
  );
  assert.deepEqual(missing, []);
});

test('the STUN catalog agrees with the codec: numbers by name, and the RFC reason phrase exists', () => {
  for (const name of names) {
    assert.equal(TURN_STUN_ERRORS[name].status, StunErrorCode[name], name);
    assert.notEqual(reasonPhrase(TURN_STUN_ERRORS[name].status), '', name);
  }
});
