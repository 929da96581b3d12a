/**
 * The signaling comparison's processes: bench/hardening/signaling-server.ts for a tree, one process per
 * server, and bench/hardening/signaling-load.ts against all of them, in one more.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childOutput, readyLine, stopChild } from '../child-process.js';
import type { LoadOptions, LoadResult } from './signaling-load.js';

const TSX = ['--conditions=source', '--import', 'tsx'];
const script = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

export interface SignalingUnderTest {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startSignaling(tree: string): Promise<SignalingUnderTest> {
  const child = spawn(process.execPath, [...TSX, script('signaling-server.ts'), tree], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = childOutput(child);
  const [, port] = await readyLine(child, output, /^ready (\d+)$/m, `signaling server (${tree})`);
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    pid: child.pid!,
    stop: stopChild(child),
  };
}

/** One LoadResult per server, in the order given. */
export async function runSignalingLoad(
  servers: SignalingUnderTest[],
  options: Omit<LoadOptions, 'targets'>,
): Promise<LoadResult[]> {
  const load: LoadOptions = { ...options, targets: servers.map((server) => ({ url: server.url, serverPid: server.pid })) };
  const child = spawn(process.execPath, [...TSX, script('signaling-load.ts'), JSON.stringify(load)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = childOutput(child);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = output()
    .split('\n')
    .find((l) => l.startsWith('['));
  if (code !== 0 || line === undefined) {
    throw new Error(`signaling load exited (${code}):\n${output().slice(-2000)}`);
  }
  return JSON.parse(line) as LoadResult[];
}
