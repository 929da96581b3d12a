/**
 * The load process (pinned to core 1): one synthetic publisher into the SFU under test (and the same packets over a
 * direct connection, the latency floor), then subscribers added in steps. Each step records how fast the new
 * subscribers joined, then over a window counts what every subscriber received of what was sent (loss), the SFU's CPU
 * and this process's own, and the one-way delay through the SFU and on the direct path. It stops after the first
 * step with 0.1% loss or more. Run as `load.ts <job JSON>`; prints `result <JSON>`.
 */
import { performance } from 'node:perf_hooks';
import { writeSync } from 'node:fs';
import { percentile } from '../stats.js';
import type { SfuClientSide } from './client-side.js';
import { directPath } from './direct.js';
import { janusClientSide } from './janus-client.js';
import { SyntheticPublisher } from './media.js';
import { oursClientSide } from './ours-client.js';
import { closeAll, Receiver, Tally } from './peer.js';
import { processCpuSeconds } from '../turn/servers.js';

export interface LoadJob {
  sfu: 'rendezvous' | 'janus';
  url: string;
  pid: number;
  steps: number[];
  seconds: number;
  concurrency: number;
}

export interface StepResult {
  subscribers: number;
  joins: number;
  joinSeconds: number;
  joinFailures: number;
  /** Connection attempts made again so far in this run (a client-side libdatachannel refusal, see attempt()). */
  retries: number;
  /** Each join's time, request to tracks open, p50 and p95 (ms). */
  joinMs: { p50: number; p95: number };
  windowSeconds: number;
  expected: number;
  received: number;
  /** Subscribers that received nothing in the window. */
  silent: number;
  sfuCpuSeconds: number;
  loadCpuSeconds: number;
  sfuDelay: { p50: number; p99: number };
  directDelay: { p50: number; p99: number };
  /** Per packet, its delay through the SFU minus the same packet's delay on the direct path. */
  addedDelay: { p50: number; p99: number };
}

const LOSS_LIMIT = 0.001;
const SETTLE_MS = 1000;
/** The first step settles longer: a fresh SFU process is still compiling its hot path and sizing its heap. */
const FIRST_SETTLE_MS = 3000;
const GRACE_MS = 500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Connection attempts that failed and were made again on a fresh connection (see the report's note). */
let retries = 0;

/**
 * Up to 3 attempts: now and then this libdatachannel client refuses the answer's candidates ("remote candidate
 * without ICE transport") although its own gathering completed; a fresh connection then works.
 */
async function attempt<T>(fn: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (error) {
      if (i >= 3) {
        throw error;
      }
      retries++;
    }
  }
}

async function join(side: SfuClientSide, receivers: Receiver[], tally: Tally, upTo: number, concurrency: number) {
  let failures = 0;
  const started = performance.now();
  const from = receivers.length;
  let next = from;
  const times: number[] = [];
  const worker = async () => {
    while (next < upTo) {
      const receiver = new Receiver(tally);
      const name = `sub${next++}`;
      try {
        const begun = performance.now();
        await attempt(() => side.subscribe(`${name}-${retries}`, receiver));
        times.push(performance.now() - begun);
        receivers.push(receiver);
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return {
    joins: receivers.length - from,
    joinSeconds: (performance.now() - started) / 1000,
    joinFailures: failures,
    joinMs: { p50: percentile(times, 50), p95: percentile(times, 95) },
  };
}

const delays = (tally: Tally) => ({ p50: percentile(tally.delays, 50), p99: percentile(tally.delays, 99) });

/** What the SFU added to each sampled packet: its delay to a subscriber minus the same packet's delay on the direct path. */
function addedDelays(via: Tally, direct: Tally) {
  const directDelay = new Map<number, number>();
  direct.indices.forEach((index, i) => directDelay.set(index, direct.delays[i]!));
  const added: number[] = [];
  via.indices.forEach((index, i) => {
    const floor = directDelay.get(index);
    if (floor !== undefined) {
      added.push(via.delays[i]! - floor);
    }
  });
  return { p50: percentile(added, 50), p99: percentile(added, 99) };
}

async function measure(job: LoadJob, publisher: SyntheticPublisher, receivers: Receiver[], tallies: [Tally, Tally]) {
  const expectedPerStep = 330 * job.seconds * Math.max(1, receivers.length);
  const stride = Math.max(1, Math.floor(expectedPerStep / 200_000));
  for (const receiver of receivers) {
    receiver.inWindow = 0;
  }
  const from = publisher.sent;
  tallies[0].open(from, Number.POSITIVE_INFINITY, stride);
  tallies[1].open(from, Number.POSITIVE_INFINITY, 1);
  const sfuCpu = processCpuSeconds(job.pid);
  const loadCpu = process.cpuUsage();
  const wall = performance.now();
  await sleep(job.seconds * 1000);
  const to = publisher.sent;
  tallies[0].to = to;
  tallies[1].to = to;
  const sfuCpuSeconds = processCpuSeconds(job.pid) - sfuCpu;
  const used = process.cpuUsage(loadCpu);
  const windowSeconds = (performance.now() - wall) / 1000;
  await sleep(GRACE_MS);
  const received = receivers.reduce((sum, r) => sum + r.inWindow, 0);
  const silent = receivers.filter((r) => r.inWindow === 0).length;
  return {
    windowSeconds,
    expected: (to - from) * receivers.length,
    received,
    silent,
    sfuCpuSeconds,
    loadCpuSeconds: (used.user + used.system) / 1e6,
    sfuDelay: delays(tallies[0]),
    directDelay: delays(tallies[1]),
    addedDelay: addedDelays(tallies[0], tallies[1]),
  };
}

async function run(job: LoadJob): Promise<StepResult[]> {
  const side = job.sfu === 'janus' ? await janusClientSide(job.url) : oursClientSide(job.url);
  const tallies: [Tally, Tally] = [new Tally(), new Tally()];
  const direct = await attempt(() => directPath(new Receiver(tallies[1])));
  const publisher = new SyntheticPublisher([await attempt(() => side.publish()), direct.sink]);
  publisher.start();
  const receivers: Receiver[] = [];
  const results: StepResult[] = [];
  try {
    for (const n of job.steps) {
      const joined = await join(side, receivers, tallies[0], n, job.concurrency);
      await sleep(results.length === 0 ? FIRST_SETTLE_MS : SETTLE_MS);
      const window = await measure(job, publisher, receivers, tallies);
      const step = { subscribers: receivers.length, ...joined, ...window, retries };
      results.push(step);
      console.error(`${job.sfu} ${JSON.stringify(step)}`);
      if (joined.joinFailures > 0 || step.received < step.expected * (1 - LOSS_LIMIT)) {
        break;
      }
    }
  } finally {
    publisher.stop();
    await closeAll([...side.pcs, ...direct.pcs]);
    side.close?.();
  }
  return results;
}

const job = JSON.parse(process.argv[2] ?? '{}') as LoadJob;
const results = await run(job);
// Written synchronously, and libdatachannel is not cleaned up: stopping its threads with callbacks still queued can
// crash the process, and a crash would lose a pending write to the pipe.
writeSync(1, `result ${JSON.stringify(results)}\n`);
process.exit(0);
