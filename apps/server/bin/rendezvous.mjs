#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const built = new URL('../dist/main.js', import.meta.url);
const source = new URL('../src/main.ts', import.meta.url);
if (existsSync(built) || !existsSync(source)) {
  await import(built.href);
} else {
  // A checkout with no build yet (`npx rendezvous` right after `npm install`): run the TypeScript sources through tsx,
  // resolving the workspace packages to their sources as `--conditions=source` does.
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  const addSource = `export function resolve(specifier, context, next) {
    return next(specifier, { ...context, conditions: [...context.conditions, 'source'] });
  }`;
  register(`data:text/javascript,${encodeURIComponent(addSource)}`);
  await import(source.href);
}
