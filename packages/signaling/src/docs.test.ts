import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { ClientMessageSchema, ERROR_CODES, ServerMessageSchema } from '@rendezvous/protocol';

const docs = (name: string): Promise<string> => readFile(new URL(`../../../docs/${name}`, import.meta.url), 'utf8');

const typesOf = (schema: { options: readonly { shape: { type: { value: string } } }[] }): string[] =>
  schema.options.map((option) => option.shape.type.value);

describe('docs', { timeout: 60_000 }, () => {
  it('errors.md has a row for every code in ERROR_CATALOG', async () => {
    const text = await docs('errors.md');
    const missing = ERROR_CODES.filter((code) => !new RegExp(`^\\| \`${code}\` \\|`, 'm').test(text));
    assert.deepEqual(missing, []);
  });

  it('protocol.md has a section for every client and server message', async () => {
    const text = await docs('protocol.md');
    const types = [...typesOf(ClientMessageSchema), ...typesOf(ServerMessageSchema)];
    assert.ok(types.length >= 20);
    const missing = types.filter((type) => !text.includes(`### \`${type}\``));
    assert.deepEqual(missing, []);
  });
});
