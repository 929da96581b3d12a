/**
 * A read-only copy of an older commit's tree, runnable beside the working tree: `git archive <rev>` into a
 * directory under the system temp dir, whose node_modules holds `@rendezvous/*` links to that tree's own
 * packages and links to every third-party package installed in the working tree (so both sides run the same
 * dependencies and differ only in our code). Kept between runs, keyed by the full commit id.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The working tree's root (this file is bench/hardening/baseline.ts). */
export const WORKING_TREE = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

const READY_MARKER = '.bench-baseline-ready';

function git(args: string[]): Buffer {
  return execFileSync('git', args, { cwd: WORKING_TREE, maxBuffer: 512 * 1024 * 1024 });
}

/** `<root>/node_modules`: @rendezvous/<pkg> → <root>/packages/<pkg>, everything else → the working tree's. */
function linkModules(root: string): void {
  const modules = join(root, 'node_modules');
  const ours = join(modules, '@rendezvous');
  mkdirSync(ours, { recursive: true });
  for (const dir of ['packages', 'apps']) {
    if (!existsSync(join(root, dir))) {
      continue;
    }
    for (const pkg of readdirSync(join(root, dir))) {
      symlinkSync(join(root, dir, pkg), join(ours, pkg));
    }
  }
  const installed = join(WORKING_TREE, 'node_modules');
  for (const entry of readdirSync(installed)) {
    if (entry === '@rendezvous' || entry === '.bin' || entry.startsWith('.')) {
      continue;
    }
    symlinkSync(join(installed, entry), join(modules, entry));
  }
}

/** Exports `rev` (once) and returns the root of its runnable copy. */
export function baselineTree(rev: string): string {
  const commit = git(['rev-parse', '--verify', `${rev}^{commit}`])
    .toString()
    .trim();
  const root = join(tmpdir(), `rendezvous-bench-baseline-${commit}`);
  if (existsSync(join(root, READY_MARKER))) {
    return root;
  }
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  execFileSync('tar', ['-x', '-C', root], { input: git(['archive', commit]) });
  linkModules(root);
  writeFileSync(join(root, READY_MARKER), `${commit}\n`);
  return root;
}
