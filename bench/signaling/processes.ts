/**
 * The signaling comparison's processes: each server in its own process pinned to core 0 (one server
 * core), and the load in another pinned to core 1, when `taskset` is there and the machine has two cores.
 * Servers run the product as `rendezvous start` does, from the compiled build (packages' dist/, built by
 * buildProduct() first), not from TypeScript sources through tsx, whose transform gives every named
 * closure a `name` property of its own (a few hundred bytes each).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { IdleJob, IdleResult, RelayJob, RelayResult, StormJob, StormResult } from './load.js';
import type { ServerKind } from './server.js';

/** The load reads the protocol from sources; servers resolve @rendezvous/* to their builds. */
const LOAD_NODE_ARGS = ['--expose-gc', '--conditions=source', '--import', 'tsx'];
const SERVER_NODE_ARGS = ['--expose-gc', '--import', 'tsx'];
/** Extra node flags for the server processes, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (bench/signaling-relay.ts). */
const extraServerArgs = (): string[] => (process.env['BENCH_SERVER_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
const root = fileURLToPath(new URL('../../', import.meta.url));
const script = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

/** Whether processes can be pinned: `taskset` works and there is a second core for the load. */
export const PINNING = cpus().length >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** Brings the packages' builds up to date (`tsc -b`: quick when nothing changed). */
export function buildProduct(): void {
  const result = spawnSync('npx', ['tsc', '-b'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error("tsc -b failed: the servers run from the packages' builds");
  }
}

function spawnPinned(core: number, nodeArgs: string[], args: string[]): ChildProcess {
  const node = [process.execPath, ...nodeArgs, ...args];
  const [command, ...rest] = PINNING ? ['taskset', '-c', String(core), ...node] : node;
  return spawn(command!, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Keeps the last 8 KB a child printed (servers log; the pipe must keep flowing). */
function tail(child: ChildProcess): () => string {
  let text = '';
  const keep = (chunk: Buffer) => (text = (text + chunk.toString()).slice(-8192));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text;
}

export interface ServerProcess {
  kind: ServerKind;
  port: number;
  statsUrl: string;
  stop(): Promise<void>;
}

export async function startServer(kind: ServerKind): Promise<ServerProcess> {
  const child = spawnPinned(0, [...SERVER_NODE_ARGS, ...extraServerArgs()], [script('server.ts'), kind]);
  const output = tail(child);
  const [port, statsPort] = await new Promise<number[]>((resolve, reject) => {
    const onData = () => {
      const ready = /^ready (\d+) (\d+)$/m.exec(output());
      if (ready !== null) {
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        resolve([Number(ready[1]), Number(ready[2])]);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`${kind} server exited (${code}):\n${output().slice(-2000)}`));
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
  return {
    kind,
    port: port!,
    statsUrl: `http://127.0.0.1:${statsPort}/stats`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) {
          return resolve();
        }
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export async function runLoad(job: RelayJob): Promise<RelayResult[]>;
export async function runLoad(job: StormJob): Promise<StormResult>;
export async function runLoad(job: IdleJob): Promise<IdleResult>;
export async function runLoad(job: RelayJob | StormJob | IdleJob): Promise<RelayResult[] | StormResult | IdleResult> {
  const child = spawnPinned(1, LOAD_NODE_ARGS, [script('load.ts'), JSON.stringify(job)]);
  const output = tail(child);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = output()
    .split('\n')
    .find((l) => l.startsWith('[') || l.startsWith('{'));
  if (code !== 0 || line === undefined) {
    throw new Error(`signaling load exited (${code}):\n${output().slice(-3000)}`);
  }
  return JSON.parse(line) as RelayResult[] | StormResult | IdleResult;
}
