/**
 * Before and after the hardening work (issue 6), one run, alternating: the signaling relay (messages per
 * second and server CPU per relayed message) and the TURN relay (server CPU per relayed message, loss).
 * "Before" is commit BASELINE_REV exported by bench/hardening/baseline.ts; "after" is the working tree.
 * Each server runs in its own process; its CPU time is read from /proc.
 */
import { baselineTree, WORKING_TREE } from './hardening/baseline.js';
import type { LoadResult } from './hardening/signaling-load.js';
import { runSignalingLoad, startSignaling, type SignalingUnderTest } from './hardening/signaling-side.js';
import { median } from './stats.js';
import { startRendezvousTurn } from './turn/servers.js';
import { runUclient, type UclientResult } from './turn/uclient.js';

/** The last commit before the hardening work. */
export const BASELINE_REV = '19b7adc';

/** 20 rooms × 2 peers per server; 16 measured slices of 500 ms per server, alternating. */
export const SIGNALING_LOAD = { rooms: 20, window: 8, warmupMs: 1_000, slices: 16, sliceMs: 500 };
/**
 * 30 client pairs: 60 allocations from 127.0.0.1, inside the default allocations per address (64); each
 * client offers 500 messages/s of 170 bytes (85 kB/s, inside the default relay bandwidth per allocation).
 */
export const TURN_ARGS = ['-y', '-c', '-m', '30', '-n', '5000', '-l', '170', '-z', '2'];

/**
 * A static long-term user rather than REST credentials: turnutils_uclient mints REST usernames valid for a
 * day, longer than the hardened server's default maximum credential lifetime.
 */
const TURN_USER = { user: 'bench', password: 'bench-password' };

type Side = 'before' | 'after';

export interface SideRun {
  signaling: LoadResult;
  turn: UclientResult;
}

export interface HardeningResult {
  rounds: number;
  baseline: string;
  runs: Record<Side, SideRun[]>;
}

async function signalingRound(trees: Record<Side, string>, order: Side[]): Promise<Record<Side, LoadResult>> {
  const servers: SignalingUnderTest[] = [];
  try {
    for (const side of order) {
      servers.push(await startSignaling(trees[side]));
    }
    const results = await runSignalingLoad(servers, SIGNALING_LOAD);
    return { [order[0]!]: results[0]!, [order[1]!]: results[1]! } as Record<Side, LoadResult>;
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

async function turnRun(tree: string): Promise<UclientResult> {
  const server = await startRendezvousTurn('bench-shared-secret', ['--user', `${TURN_USER.user}:${TURN_USER.password}`], tree);
  try {
    return await runUclient(server, TURN_ARGS, TURN_USER);
  } finally {
    await server.stop();
  }
}

export async function hardeningBenchmarks(
  options: { rounds?: number; log?: (line: string) => void } = {},
): Promise<HardeningResult> {
  const rounds = options.rounds ?? 3;
  const log = options.log ?? (() => undefined);
  const trees: Record<Side, string> = { before: baselineTree(BASELINE_REV), after: WORKING_TREE };
  log(`hardening: before = ${BASELINE_REV} (${trees.before}), after = working tree; ${rounds} rounds…`);
  const runs: Record<Side, SideRun[]> = { before: [], after: [] };
  for (let round = 0; round < rounds; round++) {
    // ABBA order, so a drift in machine load over the run weighs on both sides alike.
    const order: Side[] = round % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
    const signaling = await signalingRound(trees, order);
    const turn: Partial<Record<Side, UclientResult>> = {};
    for (const side of order) {
      turn[side] = await turnRun(trees[side]);
    }
    for (const side of order) {
      const run = { signaling: signaling[side], turn: turn[side]! };
      log(`  round ${round + 1} ${side}: ${JSON.stringify(run)}`);
      runs[side].push(run);
    }
  }
  return { rounds, baseline: BASELINE_REV, runs };
}

const num = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

type Metric = (run: SideRun) => number;

const hops = (r: UclientResult) => Math.max(1, r.sent + r.received);
const METRICS: Record<'relayRate' | 'signalingCpu' | 'turnCpu', Metric> = {
  relayRate: (r) => r.signaling.relayed / r.signaling.seconds,
  signalingCpu: (r) => (r.signaling.serverCpuSeconds / Math.max(1, r.signaling.relayed)) * 1e6,
  turnCpu: (r) => (r.turn.serverCpuSeconds / hops(r.turn)) * 1e6,
};

/** Cells for one metric: median before, median after, ratio of medians, range of the per-round ratios. */
function row(result: HardeningResult, metric: Metric, digits: number, unit: string): string {
  const before = result.runs.before.map(metric);
  const after = result.runs.after.map(metric);
  const paired = after.map((value, round) => value / before[round]!);
  const range = `${num(Math.min(...paired), 2)}–${num(Math.max(...paired), 2)}×`;
  return `${num(median(before), digits)}${unit} | ${num(median(after), digits)}${unit} | **${num(median(after) / median(before), 2)}×** | ${range}`;
}

/** The Markdown table for docs/benchmarks.md. */
export function hardeningReport(result: HardeningResult): string {
  const loss = (list: SideRun[]) => `${num(Math.max(...list.map((r) => r.turn.lostPercent)), 2)}%`;
  const errors = [...result.runs.before, ...result.runs.after].reduce((sum, r) => sum + r.signaling.errors, 0);
  return [
    `| measure (median of ${result.rounds} rounds) | before (${result.baseline}) | after (working tree) | after / before | per-round ratios |`,
    '| --- | --- | --- | --- | --- |',
    `| signaling: relayed messages/s | ${row(result, METRICS.relayRate, 0, '')} |`,
    `| signaling: server CPU per relayed message | ${row(result, METRICS.signalingCpu, 1, ' µs')} |`,
    `| TURN: server CPU per relayed message | ${row(result, METRICS.turnCpu, 2, ' µs')} |`,
    `| TURN: worst loss | ${loss(result.runs.before)} | ${loss(result.runs.after)} | | |`,
    '',
    `Error frames during the signaling load, both sides: ${errors}.`,
  ].join('\n');
}
