/**
 * TURN beside coturn, same machine, same settings, alternating runs:
 * - relay through two allocations (`turnutils_uclient -y`), high-rate and audio-like profiles:
 *   messages per second, loss, and server CPU per message;
 * - STUN Binding requests per second, closed loop;
 * - memory for 10,000 concurrent allocations.
 */
import { holdAllocations } from './turn/allocations.js';
import { startCoturn, startRendezvousTurn, type TurnUnderTest } from './turn/servers.js';
import { bindingLoad } from './turn/stun-load.js';
import { runUclient, type UclientResult } from './turn/uclient.js';
import { median } from './stats.js';

export interface RelayProfileResult {
  profile: string;
  args: string[];
  runs: Record<'coturn' | 'rendezvous', UclientResult[]>;
}

export interface TurnBenchResult {
  relay: RelayProfileResult[];
  binding: Record<'coturn' | 'rendezvous', number[]>;
  scale: Record<'coturn' | 'rendezvous', { allocations: number; rssBefore: number; rssAfter: number; failures: string[] }>;
}

export const RELAY_PROFILES = [
  { profile: 'high rate, channels', args: ['-y', '-c', '-m', '200', '-n', '8000', '-l', '170', '-z', '2'] },
  { profile: 'audio-like, channels + RTCP', args: ['-y', '-m', '100', '-n', '500', '-l', '170', '-z', '20'] },
];

const SECRET = 'bench-shared-secret';

async function withBoth<T>(
  fn: (server: TurnUnderTest) => Promise<T>,
  rounds: number,
): Promise<Record<'coturn' | 'rendezvous', T[]>> {
  const out: Record<'coturn' | 'rendezvous', T[]> = { coturn: [], rendezvous: [] };
  for (let round = 0; round < rounds; round++) {
    for (const start of [startCoturn, startRendezvousTurn]) {
      const server = await start(SECRET);
      try {
        out[server.name].push(await fn(server));
      } finally {
        await server.stop();
      }
    }
  }
  return out;
}

export async function turnBenchmarks(
  options: { rounds?: number; scaleCount?: number; log?: (line: string) => void } = {},
): Promise<TurnBenchResult> {
  const rounds = options.rounds ?? 3;
  const log = options.log ?? (() => undefined);
  const relay: RelayProfileResult[] = [];
  for (const { profile, args } of RELAY_PROFILES) {
    log(`relay: ${profile} (turnutils_uclient ${args.join(' ')}), ${rounds} rounds each…`);
    const runs = await withBoth((server) => runUclient(server, args), rounds);
    log(`  ${JSON.stringify(runs)}`);
    relay.push({ profile, args, runs });
  }
  log('STUN Binding, closed loop…');
  const binding = await withBoth(async (server) => (await bindingLoad(server.port)).requestsPerSecond, rounds);
  log(`  ${JSON.stringify(binding)}`);
  const scaleCount = options.scaleCount ?? 10_000;
  log(`${scaleCount} concurrent allocations…`);
  const scaleRuns = await withBoth(async (server) => {
    const rssBefore = server.rssBytes();
    const held = await holdAllocations(server.port, SECRET, scaleCount);
    const rssAfter = server.rssBytes();
    await held.release();
    return { allocations: held.count, rssBefore, rssAfter, failures: held.failures };
  }, 1);
  log(`  ${JSON.stringify(scaleRuns)}`);
  return { relay, binding, scale: { coturn: scaleRuns.coturn[0]!, rendezvous: scaleRuns.rendezvous[0]! } };
}

const num = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The Markdown section for docs/benchmarks.md. */
export function turnReport(result: TurnBenchResult): string {
  const lines: string[] = [];
  // A message relayed client → peer allocation → client counts once per hop (sent + received), as coturn's
  // figures are usually given; CPU is the server process's user + system time over the whole run.
  lines.push(
    '| profile | server | relayed messages/s (median) | worst loss | server CPU per relayed message | ratio to coturn (rate, CPU) |',
  );
  lines.push('| --- | --- | --- | --- | --- | --- |');
  for (const { profile, runs } of result.relay) {
    const hops = (r: UclientResult) => Math.max(1, r.sent + r.received);
    const stats = (list: UclientResult[]) => ({
      rate: median(list.map((r) => hops(r) / r.wallSeconds)),
      lost: Math.max(...list.map((r) => r.lostPercent)),
      cpu: median(list.map((r) => (r.serverCpuSeconds / hops(r)) * 1e6)),
    });
    const coturn = stats(runs.coturn);
    const ours = stats(runs.rendezvous);
    lines.push(`| ${profile} | coturn | ${num(coturn.rate)} | ${num(coturn.lost, 2)}% | ${num(coturn.cpu, 1)} µs | |`);
    lines.push(
      `| ${profile} | Rendezvous | ${num(ours.rate)} | ${num(ours.lost, 2)}% | ${num(ours.cpu, 1)} µs | ${num(ours.rate / coturn.rate, 2)}×, ${num(ours.cpu / coturn.cpu, 2)}× |`,
    );
  }
  const bc = median(result.binding.coturn);
  const br = median(result.binding.rendezvous);
  lines.push('', '| STUN Binding, closed loop | requests/s (median) | ratio to coturn |', '| --- | --- | --- |');
  lines.push(`| coturn | ${num(bc)} | |`, `| Rendezvous | ${num(br)} | ${num(br / bc, 2)}× |`);
  lines.push('', '| concurrent allocations | held | server memory growth | per allocation |', '| --- | --- | --- | --- |');
  for (const name of ['coturn', 'rendezvous'] as const) {
    const s = result.scale[name];
    const growth = s.rssAfter - s.rssBefore;
    lines.push(
      `| ${name === 'coturn' ? 'coturn' : 'Rendezvous'} | ${num(s.allocations)} | ${num(growth / 1048576, 1)} MB (RSS ${num(s.rssAfter / 1048576, 1)} MB) | ${num(growth / Math.max(1, s.allocations) / 1024, 1)} KB |`,
    );
  }
  return lines.join('\n');
}
