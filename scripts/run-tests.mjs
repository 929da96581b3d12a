// Runs node's test runner over test files found under the given folders (Node 20 does not expand
// globs itself). Usage: node scripts/run-tests.mjs [--serial] <folder>...
// A test without a timeout of its own fails after TEST_TIMEOUT_MS instead of hanging, and the whole run
// is stopped after WATCHDOG_MS (a file that never exits: a server, socket or timer left open) with a
// message that says so, instead of waiting for CI's limit.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const serial = args.includes('--serial');
const roots = args.filter((a) => !a.startsWith('--'));

function find(dir) {
  const found = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') {
      continue;
    }
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      found.push(...find(path));
    } else if (entry.endsWith('.test.ts')) {
      found.push(path);
    }
  }
  return found;
}

/** Default per-test timeout (tests that set their own keep it). */
const TEST_TIMEOUT_MS = 120_000;
/** The whole run, per invocation: unit tests take under a minute here, the browser tests about three. */
const WATCHDOG_MS = Number(process.env['TEST_WATCHDOG_MS'] ?? (serial ? 20 : 10) * 60_000);

const files = roots.flatMap(find).sort();
if (files.length === 0) {
  console.error(`No test files under ${roots.join(', ')}`);
  process.exit(1);
}
// Its own process group, so that the watchdog also stops the per-file processes the runner started.
const child = spawn(
  process.execPath,
  [
    '--conditions=source',
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${serial ? 1 : 2}`,
    `--test-timeout=${TEST_TIMEOUT_MS}`,
    ...files,
  ],
  { stdio: 'inherit', detached: true },
);
const watchdog = setTimeout(() => {
  console.error(`\nTests under ${roots.join(', ')} still running after ${WATCHDOG_MS / 1000} s: stopped.`);
  console.error('A test file did not exit: look for a server, socket or timer a test left open (the last files named above).');
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  process.exit(1);
}, WATCHDOG_MS);
child.on('exit', (code) => {
  clearTimeout(watchdog);
  process.exit(code ?? 1);
});
