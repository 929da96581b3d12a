import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

let cached: Promise<string> | undefined;

/** The client SDK built from source as one script that sets `window.Rendezvous`. Built once per run. */
export function sdkBundle(): Promise<string> {
  cached ??= build({
    entryPoints: [fileURLToPath(new URL('../page/entry.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    globalName: 'RendezvousE2E',
    conditions: ['source'],
    target: 'es2022',
    write: false,
    sourcemap: 'inline',
    logLevel: 'silent',
  }).then((result) => {
    const file = result.outputFiles[0];
    if (file === undefined) {
      throw new Error('esbuild produced no output for the SDK');
    }
    return file.text;
  });
  return cached;
}
