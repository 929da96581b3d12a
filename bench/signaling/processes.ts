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
import { childOutput, readyLine, stopChild } from '../child-process.js';
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

export interface ServerProcess {
  kind: ServerKind;
  port: number;
  statsUrl: string;
  stop(): Promise<void>;
}

export async function startServer(kind: ServerKind): Promise<ServerProcess> {
  const child = spawnPinned(0, [...SERVER_NODE_ARGS, ...extraServerArgs()], [script('server.ts'), kind]);
  const output = childOutput(child, 8192);
  const [, port, statsPort] = await readyLine(child, output, /^ready (\d+) (\d+)$/m, `${kind} server`);
  return { kind, port: Number(port), statsUrl: `http://127.0.0.1:${statsPort}/stats`, stop: stopChild(child) };
}

export async function runLoad(job: RelayJob): Promise<RelayResult[]>;
export async function runLoad(job: StormJob): Promise<StormResult>;
export async function runLoad(job: IdleJob): Promise<IdleResult>;
export async function runLoad(job: RelayJob | StormJob | IdleJob): Promise<RelayResult[] | StormResult | IdleResult> {
  const child = spawnPinned(1, LOAD_NODE_ARGS, [script('load.ts'), JSON.stringify(job)]);
  const output = childOutput(child, 8192);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = output()
    .split('\n')
    .find((l) => l.startsWith('[') || l.startsWith('{'));
  if (code !== 0 || line === undefined) {
    throw new Error(`signaling load exited (${code}):\n${output().slice(-3000)}`);
  }
  return JSON.parse(line) as RelayResult[] | StormResult | IdleResult;
}
