/**
 * Our SFU beside Janus's VideoRoom on the same machine and the same input, alternating rounds: one synthetic
 * publisher and N light libdatachannel subscribers in another process (bench/sfu/load.ts), N raised in steps until
 * 0.1% loss. Each SFU runs alone in a child process pinned to one core; its CPU comes from /proc.
 * `BENCH_QUICK=1`: tiny N and short windows, a few seconds in all.
 */
import { fileURLToPath } from 'node:url';
import type { LoadJob, StepResult } from './sfu/load.js';
import { sfuReport, type SfuBenchResult } from './sfu/report.js';
import { createNetns } from './sfu/netns.js';
import { janusAvailable, PINNING, pinned, startJanus, startOurs, type SfuName, type SfuUnderTest } from './sfu/servers.js';

export const PUBLISHER =
  'synthetic, node-datachannel: VP8-sized RTP at 720p30 (9 packets of 1,172 bytes a frame, a 30-packet keyframe every 2 s, ≈ 2.6 Mbit/s, ≈ 280 packets/s) plus Opus at 50 packets/s, each payload stamped with its index and send time — so loss is counted exactly per subscriber, latency is read in the same process without clock skew, and both SFUs get byte-identical input (a browser encoder would vary with the CPU the SFU leaves it)';

export interface SfuBenchOptions {
  rounds: number;
  steps: number[];
  seconds: number;
  concurrency: number;
  log: (line: string) => void;
}

export function sfuOptionsFromEnv(log: (line: string) => void): SfuBenchOptions {
  const quick = process.env['BENCH_QUICK'] === '1';
  const steps = process.env['BENCH_SFU_STEPS'];
  return {
    rounds: Number(process.env['BENCH_ROUNDS'] ?? (quick ? 1 : 3)),
    steps: steps !== undefined ? steps.split(',').map(Number) : quick ? [2, 4] : [10, 25, 50, 100, 150, 200, 300],
    seconds: Number(process.env['BENCH_SFU_SECONDS'] ?? (quick ? 2 : 8)),
    concurrency: Number(process.env['BENCH_SFU_CONCURRENCY'] ?? 20),
    log,
  };
}

function runLoad(job: LoadJob, prefix: string[], log: (line: string) => void): Promise<StepResult[]> {
  const script = fileURLToPath(new URL('./sfu/load.ts', import.meta.url));
  const child = pinned(1, process.execPath, ['--conditions=source', '--import', 'tsx', script, JSON.stringify(job)], prefix);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString()).slice(-8192);
    for (const line of chunk
      .toString()
      .split('\n')
      .filter((l) => l.startsWith(job.sfu))) {
      log(`  ${line}`);
    }
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('result '));
      if (code !== 0 || line === undefined) {
        reject(new Error(`SFU load exited (${code}):\n${err.slice(-3000)}`));
      } else {
        resolve(JSON.parse(line.slice(7)) as StepResult[]);
      }
    });
  });
}

export async function sfuBenchmarks(options: SfuBenchOptions): Promise<SfuBenchResult> {
  const netns = createNetns();
  const prefix = 'prefix' in netns ? netns.prefix : [];
  const starts: (() => Promise<SfuUnderTest>)[] = [() => startOurs(prefix)];
  if (!('prefix' in netns)) {
    options.log(`no network namespace (${netns.error}): Janus cannot be kept on loopback, measuring ours alone`);
  } else if (!janusAvailable()) {
    options.log('janus is not installed (Debian: apt-get install -y janus): measuring ours alone');
  } else {
    starts.push(() => startJanus(prefix, netns.iface));
  }
  const runs: Record<SfuName, { steps: StepResult[] }[]> = { rendezvous: [], janus: [] };
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (const start of round % 2 === 0 ? starts : [...starts].reverse()) {
        const sfu = await start();
        options.log(`round ${round + 1}: ${sfu.name}, N = ${options.steps.join(', ')}, ${options.seconds} s windows…`);
        try {
          const { steps, seconds, concurrency } = options;
          const job: LoadJob = { sfu: sfu.name, url: sfu.url, pid: sfu.pid, steps, seconds, concurrency };
          runs[sfu.name].push({ steps: await runLoad(job, prefix, options.log) });
        } finally {
          await sfu.stop();
        }
      }
    }
  } finally {
    if ('prefix' in netns) {
      netns.remove();
    }
  }
  return { publisher: PUBLISHER, pinned: PINNING, runs };
}

/** Runs the comparison with the environment's options; the section for docs/benchmarks.md (also printed). */
export async function sfuSection(machine: string, log: (line: string) => void): Promise<string> {
  const options = sfuOptionsFromEnv(log);
  const result = await sfuBenchmarks(options);
  const report = [
    `Measured ${machine}; ${options.rounds} alternating rounds per SFU, N = ${options.steps.join(', ')} (stopping at the first step with 0.1% loss or more), ${options.seconds} s windows, ${options.concurrency} joins at once.`,
    '',
    sfuReport(result),
  ].join('\n');
  log(report);
  return report;
}

export { sfuReport };
