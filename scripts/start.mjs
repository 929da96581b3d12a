// `npm start`: build what is missing or stale, then run the server (arguments pass through:
// `npm start -- --https --port 8443`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(path) {
  if (!existsSync(path)) {
    return 0;
  }
  const stat = statSync(path);
  if (!stat.isDirectory()) {
    return stat.mtimeMs;
  }
  let newest = 0;
  for (const entry of readdirSync(path)) {
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function run(label, command, args) {
  process.stderr.write(`${label}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`${label} failed. Run "npm install" first if dependencies are missing.\n`);
    process.exit(result.status ?? 1);
  }
}

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(tsc)) {
  process.stderr.write('Dependencies are missing: run "npm install" first.\n');
  process.exit(1);
}
// tsc -b is incremental: it only compiles what changed.
run('Building the server (tsc -b)…', process.execPath, [tsc, '-b']);

const webIndex = join(root, 'apps/web/dist/index.html');
const webSources = [
  'apps/web/src',
  'apps/web/index.html',
  'apps/web/vite.config.ts',
  'packages/client/src',
  'packages/protocol/src',
];
const newestSource = Math.max(...webSources.map((p) => newestMtime(join(root, p))));
if (!existsSync(webIndex) || statSync(webIndex).mtimeMs < newestSource) {
  run('Building the web app (vite build)…', process.execPath, [
    join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
    'build',
    'apps/web',
  ]);
}

const { main } = await import('../apps/server/dist/cli.js');
process.exit(await main(process.argv.slice(2)));
