/** Runs coturn's `turnutils_uclient` against a server and reads its totals. */
import { spawn } from 'node:child_process';
import type { TurnUnderTest } from './servers.js';

export interface UclientResult {
  sent: number;
  received: number;
  lostPercent: number;
  /** Wall time of the run, from start to exit, in seconds (includes allocation set-up). */
  wallSeconds: number;
  /** Server CPU used during the run, in seconds. */
  serverCpuSeconds: number;
}

/**
 * `auth`: a static long-term user (`--user name:password` on the server) instead of REST credentials from
 * the server's secret (turnutils_uclient mints those valid for a day).
 */
export async function runUclient(
  server: TurnUnderTest,
  args: string[],
  auth?: { user: string; password: string },
): Promise<UclientResult> {
  const credentials = auth === undefined ? ['-W', server.secret, '-u', 'bench'] : ['-u', auth.user, '-w', auth.password];
  const cpuBefore = server.cpuSeconds();
  const started = performance.now();
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('turnutils_uclient', [...args, ...credentials, '-p', String(server.port), '127.0.0.1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(text);
    });
    child.once('error', reject);
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const serverCpuSeconds = server.cpuSeconds() - cpuBefore;
  const totals = /tot_send_msgs=(\d+), tot_recv_msgs=(\d+)\s*$/m.exec(output);
  const lost = /Total lost packets \d+ \(([\d.]+)%\)/.exec(output);
  if (totals === null || lost === null) {
    throw new Error(`turnutils_uclient gave no totals:\n${output.slice(-1500)}`);
  }
  return { sent: Number(totals[1]), received: Number(totals[2]), lostPercent: Number(lost[1]), wallSeconds, serverCpuSeconds };
}
