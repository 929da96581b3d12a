import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { ERROR_CATALOG, ERROR_CODES, NETCHECK_ERROR_CATALOG, NETCHECK_ERROR_CODES } from './errors.js';

const docs = (): Promise<string> => readFile(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

/** The text of the `## title` section of a markdown document, up to the next `## ` heading. */
function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `docs/errors.md has a "## ${title}" section`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** The cells of the table row whose first cell is `` `code` `` (undefined when there is none). */
function rowOf(markdown: string, firstCell: string): string[] | undefined {
  const line = markdown.split('\n').find((l) => l.startsWith(`| ${firstCell} |`));
  return line?.split(' | ').map((cell) => cell.replace(/^\| | \|$/g, ''));
}

test('errors.md has a row for every protocol code, with its scope and catalog text', async () => {
  const text = await docs();
  assert.ok(ERROR_CODES.length > 40);
  const wrong = ERROR_CODES.filter((code) => {
    const row = rowOf(text, `\`${code}\``);
    return row?.[1] !== ERROR_CATALOG[code].scope || row[2] !== ERROR_CATALOG[code].message;
  });
  assert.deepEqual(wrong, []);
});

test('errors.md has a row for every network-check code, in its section, with its catalog text', async () => {
  const text = section(await docs(), 'Network check');
  const wrong = NETCHECK_ERROR_CODES.filter((code) => rowOf(text, `\`${code}\``)?.[1] !== NETCHECK_ERROR_CATALOG[code].message);
  assert.deepEqual(wrong, []);
});

test('the row finder reads cells and misses what is absent', () => {
  const table = '| `A` | client | Text. |\n| `B` | x |';
  assert.deepEqual(rowOf(table, '`A`'), ['`A`', 'client', 'Text.']);
  assert.equal(rowOf(table, '`C`'), undefined);
  assert.throws(() => section(table, 'Nowhere'));
});
