/**
 * The signaling comparison's processes: bench/hardening/signaling-server.ts for a tree, one process per
 * server, and bench/hardening/signaling-load.ts against all of them, in one more.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadOptions, LoadResult } from './signaling-load.js';

const TSX = ['--conditions=source', '--import', 'tsx'];
const script = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

export interface SignalingUnderTest {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

function collect(child: ChildProcess): { text: () => string } {
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { text: () => text };
}

export async function startSignaling(tree: string): Promise<SignalingUnderTest> {
  const child = spawn(process.execPath, [...TSX, script('signaling-server.ts'), tree], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collect(child);
  const port = await new Promise<number>((resolve, reject) => {
    const onData = () => {
      const ready = /^ready (\d+)$/m.exec(output.text());
      if (ready === null) {
        return;
      }
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      resolve(Number(ready[1]));
    };
    const onExit = (code: number | null) =>
      reject(new Error(`signaling server (${tree}) exited (${code}):\n${output.text().slice(-2000)}`));
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    pid: child.pid!,
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

/** One LoadResult per server, in the order given. */
export async function runSignalingLoad(
  servers: SignalingUnderTest[],
  options: Omit<LoadOptions, 'targets'>,
): Promise<LoadResult[]> {
  const load: LoadOptions = { ...options, targets: servers.map((server) => ({ url: server.url, serverPid: server.pid })) };
  const child = spawn(process.execPath, [...TSX, script('signaling-load.ts'), JSON.stringify(load)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collect(child);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = output
    .text()
    .split('\n')
    .find((l) => l.startsWith('['));
  if (code !== 0 || line === undefined) {
    throw new Error(`signaling load exited (${code}):\n${output.text().slice(-2000)}`);
  }
  return JSON.parse(line) as LoadResult[];
}
