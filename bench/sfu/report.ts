/** The SFU comparison's Markdown section: per SFU the medians over rounds, ratios to Janus, and the steps behind them. */
import { median } from '../stats.js';
import type { StepResult } from './load.js';
import type { SfuName } from './servers.js';

export interface SfuRun {
  steps: StepResult[];
}

export interface SfuBenchResult {
  publisher: string;
  pinned: boolean;
  runs: Record<SfuName, SfuRun[]>;
}

const LOSS_LIMIT = 0.001;
const num = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–';

const loss = (s: StepResult) => (s.expected === 0 ? 1 : Math.max(0, 1 - s.received / s.expected));
const clean = (s: StepResult) => s.joinFailures === 0 && loss(s) < LOSS_LIMIT;

/** The figures of one run: its largest clean step carries the rate and CPU; the first step the latency. */
export function runFigures(run: SfuRun) {
  const passing = run.steps.filter(clean);
  const top = passing.at(-1) ?? run.steps[0]!;
  const first = run.steps[0]!;
  const joins = run.steps.reduce((sum, s) => sum + s.joins, 0);
  const joinSeconds = run.steps.reduce((sum, s) => sum + s.joinSeconds, 0);
  return {
    largestN: passing.at(-1)?.subscribers ?? 0,
    forwardedPerSecond: top.received / top.windowSeconds,
    sfuCore: top.sfuCpuSeconds / top.windowSeconds,
    loadCore: top.loadCpuSeconds / top.windowSeconds,
    perCoreSecond: top.received / Math.max(1e-9, top.sfuCpuSeconds),
    cpuPerPacketUs: (top.sfuCpuSeconds / Math.max(1, top.received)) * 1e6,
    joinsPerSecond: joins / Math.max(1e-9, joinSeconds),
    joinP50: median(run.steps.map((s) => s.joinMs.p50)),
    addedP50: first.addedDelay.p50,
    addedP99: first.addedDelay.p99,
    latencyN: first.subscribers,
  };
}

type Figures = ReturnType<typeof runFigures>;

function medians(runs: SfuRun[]): Figures {
  const all = runs.map(runFigures);
  const m = (key: keyof Figures) => median(all.map((f) => f[key]));
  return Object.fromEntries(Object.keys(all[0]!).map((key) => [key, m(key as keyof Figures)])) as Figures;
}

function stepTable(name: string, run: SfuRun): string[] {
  return run.steps.map(
    (s) =>
      `| ${name} | ${s.subscribers} | ${num(s.joins / Math.max(1e-9, s.joinSeconds), 1)} (${num(s.joinMs.p50)} / ${num(s.joinMs.p95)} ms) | ${num(s.received / s.windowSeconds)} | ${num(loss(s) * 100, 3)}% | ${num((s.sfuCpuSeconds / Math.max(1, s.received)) * 1e6, 1)} µs | ${num((s.sfuCpuSeconds / s.windowSeconds) * 100)}% | ${num((s.loadCpuSeconds / s.windowSeconds) * 100)}% | ${num(s.sfuDelay.p50, 2)} / ${num(s.sfuDelay.p99, 2)} ms | ${num(s.directDelay.p50, 2)} / ${num(s.directDelay.p99, 2)} ms | ${num(s.addedDelay.p50, 2)} / ${num(s.addedDelay.p99, 2)} ms | ${s.retries} |`,
  );
}

export function sfuReport(result: SfuBenchResult): string {
  const names = (['rendezvous', 'janus'] as const).filter((name) => result.runs[name].length > 0);
  const figures = Object.fromEntries(names.map((name) => [name, medians(result.runs[name])])) as Partial<
    Record<SfuName, Figures>
  >;
  const janus = figures.janus;
  const ratio = (ours: number, theirs: number | undefined) => (theirs === undefined ? '' : ` (${num(ours / theirs, 2)}×)`);
  const label = (name: SfuName) => (name === 'janus' ? 'Janus VideoRoom' : 'Rendezvous');
  const lines = [
    `Publisher: ${result.publisher}. SFU ${result.pinned ? 'pinned to core 0, load (publisher and subscribers) to core 1' : 'and load unpinned'}.`,
    '',
    '| SFU | largest N at < 0.1% loss | forwarded packets/s at that N | SFU CPU there | forwarded packets per SFU CPU-second | CPU per forwarded packet | joins/s (one join, p50) | added latency p50 / p99 |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const name of names) {
    const f = figures[name]!;
    const vs = name === 'janus' ? undefined : janus;
    lines.push(
      `| ${label(name)} | ${f.largestN}${ratio(f.largestN, vs?.largestN)} | ${num(f.forwardedPerSecond)} | ${num(f.sfuCore * 100)}% of a core | ${num(f.perCoreSecond)}${ratio(f.perCoreSecond, vs?.perCoreSecond)} | ${num(f.cpuPerPacketUs, 1)} µs${ratio(f.cpuPerPacketUs, vs?.cpuPerPacketUs)} | ${num(f.joinsPerSecond, 1)}${ratio(f.joinsPerSecond, vs?.joinsPerSecond)} (${num(f.joinP50)} ms) | ${num(f.addedP50, 2)} / ${num(f.addedP99, 2)} ms (N = ${f.latencyN}) |`,
    );
  }
  lines.push(
    '',
    'Steps of the last round (delays are one-way, publisher stamp to subscriber callback, in the load process):',
    '',
    '| SFU | N | joins/s (one join p50 / p95) | forwarded packets/s | loss | CPU per packet | SFU CPU | load CPU | via SFU p50 / p99 | direct p50 / p99 | added per packet p50 / p99 | client retries |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const name of names) {
    lines.push(...stepTable(label(name), result.runs[name].at(-1)!));
  }
  return lines.join('\n');
}
