/**
 * Signaling speed, side by side in one run (issue 9): the PeerJS workload against the `peer` package's
 * PeerServer and our /peerjs, and SDP-sized `signal`s in pairs against a raw `ws` + JSON relay (the floor),
 * our /ws and a socket.io room relay; then a join storm against the three relays. Each server runs in its
 * own process on one core (bench/signaling/server.ts); the load runs in another (bench/signaling/load.ts).
 */
import type { Target } from './signaling/clients.js';
import type { IdleResult, RelayResult, StormResult } from './signaling/load.js';
import { buildProduct, PINNING, runLoad, startServer, type ServerProcess } from './signaling/processes.js';
import type { ServerKind } from './signaling/server.js';
import { median } from './stats.js';

export interface SignalingBenchOptions {
  /** Client counts of the relay runs (each an even number). */
  clients: number[];
  stormClients: number;
  /** Idle connections opened against a fresh server process to measure memory per connection. */
  idleClients: number;
  stormRounds: number;
  /** Frames each client starts in the closed loop. */
  window: number;
  slices: number;
  sliceMs: number;
  log: (line: string) => void;
}

export interface SignalingResult {
  pinned: boolean;
  options: Omit<SignalingBenchOptions, 'log'>;
  peerjs: RelayResult[];
  native: RelayResult[];
  storms: StormResult[];
  idle: IdleResult[];
}

export function signalingOptionsFromEnv(log: (line: string) => void): SignalingBenchOptions {
  const list = (value: string | undefined, fallback: number[]) =>
    value === undefined ? fallback : value.split(',').map((v) => 2 * Math.round(Number(v) / 2));
  return {
    clients: list(process.env['BENCH_SIG_CLIENTS'], [1000, 100]),
    stormClients: 2 * Math.round(Number(process.env['BENCH_STORM_CLIENTS'] ?? 5000) / 2),
    stormRounds: Number(process.env['BENCH_STORM_ROUNDS'] ?? 3),
    idleClients: 2 * Math.round(Number(process.env['BENCH_IDLE_CLIENTS'] ?? 2000) / 2),
    window: Number(process.env['BENCH_SIG_WINDOW'] ?? 1),
    slices: Number(process.env['BENCH_SIG_SLICES'] ?? 4),
    sliceMs: Number(process.env['BENCH_SIG_SLICE_MS'] ?? 1500),
    log,
  };
}

const target = (name: string, server: ServerProcess, protocol: Target['protocol']): Target => ({
  name,
  protocol,
  base: `ws://127.0.0.1:${server.port}`,
  stats: server.statsUrl,
});

/** Handshakes in flight during a join storm: well inside the listen backlog, so no SYN is dropped and retried. */
export const STORM_CONCURRENCY = 100;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The servers and what each speaks; `rendezvous` serves both /peerjs and /ws. */
const TARGETS: Array<{ name: string; kind: ServerKind; protocol: Target['protocol'] }> = [
  { name: 'peer (PeerServer)', kind: 'peer', protocol: 'peerjs' },
  { name: 'Rendezvous /peerjs', kind: 'rendezvous', protocol: 'peerjs' },
  { name: 'raw ws + JSON (floor)', kind: 'floor', protocol: 'native' },
  { name: 'Rendezvous /ws', kind: 'rendezvous', protocol: 'native' },
  { name: 'socket.io room relay', kind: 'socketio', protocol: 'socketio' },
];

/** Memory per idle connection, each target in a server process of its own started for it (RSS never shrinks). */
async function idleMemory(options: SignalingBenchOptions): Promise<IdleResult[]> {
  const results: IdleResult[] = [];
  for (const { name, kind, protocol } of TARGETS) {
    const server = await startServer(kind);
    try {
      const idle = await runLoad({ mode: 'idle', target: target(name, server, protocol), clients: options.idleClients });
      options.log(
        `  idle, ${name}: ${(idle.rssPerConnection / 1024).toFixed(2)} KB RSS, ${(idle.heapPerConnection / 1024).toFixed(2)} KB heap per connection`,
      );
      results.push(idle);
    } finally {
      await server.stop();
    }
  }
  return results;
}

export async function signalingBenchmarks(options: SignalingBenchOptions): Promise<SignalingResult> {
  const { log, ...rest } = options;
  buildProduct();
  log(`signaling: memory of ${options.idleClients} idle connections…`);
  const idle = await idleMemory(options);
  const servers: Partial<Record<ServerKind, ServerProcess>> = {};
  try {
    for (const kind of ['rendezvous', 'peer', 'floor', 'socketio'] as const) {
      servers[kind] = await startServer(kind);
    }
    const peerjsTargets = [
      target('peer (PeerServer)', servers.peer!, 'peerjs'),
      target('Rendezvous /peerjs', servers.rendezvous!, 'peerjs'),
    ];
    const nativeTargets = [
      target('raw ws + JSON (floor)', servers.floor!, 'native'),
      target('Rendezvous /ws', servers.rendezvous!, 'native'),
      target('socket.io room relay', servers.socketio!, 'socketio'),
    ];
    const job = {
      mode: 'relay' as const,
      window: options.window,
      warmupMs: 1_000,
      slices: options.slices,
      sliceMs: options.sliceMs,
    };
    const result: SignalingResult = { pinned: PINNING, options: rest, peerjs: [], native: [], storms: [], idle };
    for (const [group, targets] of [
      ['peerjs', peerjsTargets],
      ['native', nativeTargets],
    ] as const) {
      for (const clients of options.clients) {
        log(`signaling: ${group}, ${clients} clients…`);
        const results = await runLoad({ ...job, targets, clients });
        results.forEach((r) => log(`  ${r.name}: ${JSON.stringify(summary(r))}`));
        result[group].push(...results);
        await pause(1_000);
      }
    }
    const stormTargets = nativeTargets;
    for (let round = 0; round < options.stormRounds; round++) {
      for (let k = 0; k < stormTargets.length; k++) {
        const t = stormTargets[(k + round) % stormTargets.length]!;
        const storm = await runLoad({ mode: 'storm', target: t, clients: options.stormClients, concurrency: STORM_CONCURRENCY });
        log(
          `  join storm ${round + 1}, ${t.name}: ${storm.seconds.toFixed(2)} s, ${(storm.cpuMicros / storm.clients).toFixed(0)} µs CPU/session`,
        );
        result.storms.push(storm);
        await pause(2_000);
      }
    }
    return result;
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
  }
}

/** Medians over a run's slices: relayed messages per second, server CPU per message (µs), and how busy the load was. */
export function summary(r: RelayResult): {
  rate: number;
  cpu: number;
  p50: number;
  p99: number;
  loadBusy: number;
  errors: number;
} {
  return {
    rate: median(r.slices.map((s) => s.relayed / s.seconds)),
    cpu: median(r.slices.map((s) => s.cpuMicros / Math.max(1, s.relayed))),
    p50: r.p50Ms,
    p99: r.p99Ms,
    loadBusy: median(r.slices.map((s) => s.loadCpuMicros / 1e6 / s.seconds)),
    errors: r.errors,
  };
}
