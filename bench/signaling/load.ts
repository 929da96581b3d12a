/**
 * Child process: the load, in its own process (pinned to a core of its own by bench/signaling.ts).
 * argv[2] is a JSON LoadJob:
 * - `relay`: on every target, measures memory, opens `clients` clients in pairs, measures memory again
 *   (the idle cost per connection), then runs the closed loop in slices that alternate between targets.
 * - `storm`: opens `clients` clients in pairs against one target, `concurrency` handshakes at a time, and
 *   times it until every pair has joined; the server's CPU time over the storm comes with it.
 * Prints one JSON line: RelayResult[] or StormResult.
 */
import type { BenchClient, Target } from './clients.js';
import { openPairs, readStats, RelayLoop, type SliceResult } from './relay-loop.js';
import { percentile } from '../stats.js';

export interface RelayJob {
  mode: 'relay';
  targets: Target[];
  clients: number;
  window: number;
  warmupMs: number;
  slices: number;
  sliceMs: number;
}

export interface IdleJob {
  mode: 'idle';
  target: Target;
  clients: number;
}

/** Server memory per idle connection (after garbage collection, in a fresh server process), in bytes. */
export interface IdleResult {
  name: string;
  clients: number;
  rssPerConnection: number;
  heapPerConnection: number;
}

export interface StormJob {
  mode: 'storm';
  target: Target;
  clients: number;
  concurrency: number;
}

export interface RelayResult {
  name: string;
  clients: number;
  slices: SliceResult[];
  p50Ms: number;
  p99Ms: number;
  errors: number;
  firstError?: string;
}

export interface StormResult {
  name: string;
  clients: number;
  seconds: number;
  cpuMicros: number;
}

const SETTLE_MS = 500;
const DRAIN_MS = 150;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function idle(job: IdleJob): Promise<IdleResult> {
  const before = await readStats(job.target, true);
  const opened = await openPairs(job.target, job.clients, 25);
  try {
    await sleep(SETTLE_MS);
    const after = await readStats(job.target, true);
    return {
      name: job.target.name,
      clients: job.clients,
      rssPerConnection: (after.rss - before.rss) / job.clients,
      heapPerConnection: (after.heapUsed - before.heapUsed) / job.clients,
    };
  } finally {
    opened.forEach((client) => client.ws.terminate());
  }
}

async function relay(job: RelayJob): Promise<RelayResult[]> {
  const opened: Array<{ loop: RelayLoop }> = [];
  try {
    for (const target of job.targets) {
      opened.push({ loop: new RelayLoop(target, await openPairs(target, job.clients, 25), job.window) });
    }
    for (const { loop } of opened) {
      await loop.slice(job.warmupMs, DRAIN_MS);
      loop.latencies.length = 0;
    }
    const slices: SliceResult[][] = opened.map(() => []);
    for (let n = 0; n < job.slices; n++) {
      const order = n % 2 === 0 ? opened.map((_, i) => i) : opened.map((_, i) => opened.length - 1 - i);
      for (const i of order) {
        slices[i]!.push(await opened[i]!.loop.slice(job.sliceMs, DRAIN_MS));
      }
    }
    return opened.map(({ loop }, i) => ({
      name: loop.target.name,
      clients: job.clients,
      slices: slices[i]!,
      p50Ms: percentile(loop.latencies, 50),
      p99Ms: percentile(loop.latencies, 99),
      errors: loop.errors,
      ...(loop.firstError === undefined ? {} : { firstError: loop.firstError }),
    }));
  } finally {
    opened.forEach(({ loop }) => loop.close());
  }
}

async function storm(job: StormJob): Promise<StormResult> {
  let clients: BenchClient[] = [];
  try {
    const before = await readStats(job.target);
    const start = performance.now();
    clients = await openPairs(job.target, job.clients, job.concurrency / 2);
    const seconds = (performance.now() - start) / 1000;
    const after = await readStats(job.target);
    return { name: job.target.name, clients: job.clients, seconds, cpuMicros: after.cpuMicros - before.cpuMicros };
  } finally {
    clients.forEach((client) => client.ws.terminate());
  }
}

const job = JSON.parse(process.argv[2] ?? '{}') as RelayJob | StormJob | IdleJob;
const result = job.mode === 'relay' ? await relay(job) : job.mode === 'idle' ? await idle(job) : await storm(job);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
