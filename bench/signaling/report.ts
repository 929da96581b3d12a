/** The Markdown of the signaling comparison for docs/benchmarks.md. */
import { median } from '../stats.js';
import { summary, type SignalingResult } from '../signaling.js';
import type { IdleResult, RelayResult, StormResult } from './load.js';
import { STORM_CONCURRENCY } from '../signaling.js';

const num = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–';

function relayRows(results: RelayResult[]): string[] {
  return results.map((r) => {
    const s = summary(r);
    const errors = r.errors === 0 ? '0' : `${r.errors} (${r.firstError ?? ''})`.replace(/\|/g, '/');
    return `| ${r.name} | ${num(r.clients)} | ${num(s.rate)} | ${num(s.cpu, 1)} µs | ${num(s.p50, 2)} ms | ${num(s.p99, 2)} ms | ${num(s.loadBusy * 100)}% | ${errors} |`;
  });
}

const HEADER = [
  '| server | clients | relayed msgs/s | server CPU per msg | p50 latency | p99 latency | load process busy | errors |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
];

function idleRows(idle: IdleResult[]): string[] {
  return idle.map(
    (r) =>
      `| ${r.name} | ${num(r.clients)} | ${num(r.rssPerConnection / 1024, 2)} KB | ${num(r.heapPerConnection / 1024, 2)} KB |`,
  );
}

function idleRatio(idle: IdleResult[], ours: string, theirs: string): string {
  const a = idle.find((r) => r.name.startsWith(ours));
  const b = idle.find((r) => r.name.startsWith(theirs));
  if (a === undefined || b === undefined) {
    return '';
  }
  const kb = (n: number) => num(n / 1024, 2);
  return `- ${ours} − ${theirs}: ${kb(a.rssPerConnection - b.rssPerConnection)} KB RSS, ${kb(a.heapPerConnection - b.heapPerConnection)} KB heap per idle connection.`;
}

function find(results: RelayResult[], name: string, clients: number): RelayResult | undefined {
  return results.find((r) => r.name.startsWith(name) && r.clients === clients);
}

/** "ours / theirs" lines at each client count. */
function ratios(results: RelayResult[], ours: string, theirs: string, clientCounts: number[]): string[] {
  const lines: string[] = [];
  for (const clients of clientCounts) {
    const a = find(results, ours, clients);
    const b = find(results, theirs, clients);
    if (a === undefined || b === undefined) {
      continue;
    }
    const [sa, sb] = [summary(a), summary(b)];
    lines.push(
      `- ${num(clients)} clients, ${ours} / ${theirs}: rate **${num(sa.rate / sb.rate, 2)}×**, server CPU per message **${num(sa.cpu / sb.cpu, 2)}×**.`,
    );
  }
  return lines;
}

function stormRows(storms: StormResult[]): string[] {
  const names = [...new Set(storms.map((s) => s.name))];
  return names.map((name) => {
    const runs = storms.filter((s) => s.name === name);
    const seconds = median(runs.map((s) => s.seconds));
    const cpu = median(runs.map((s) => s.cpuMicros / s.clients));
    return `| ${name} | ${num(runs[0]!.clients)} | ${num(seconds, 2)} s | ${num(cpu)} µs |`;
  });
}

/** Issue 9's targets, each with this run's figure and whether it is met (at the largest client count). */
function targets(result: SignalingResult): string[] {
  const clients = Math.max(...result.options.clients);
  const relay = (results: RelayResult[], name: string) => {
    const r = find(results, name, clients);
    return r === undefined ? undefined : summary(r);
  };
  const idle = (name: string) => result.idle.find((r) => r.name.startsWith(name))?.heapPerConnection ?? NaN;
  const storm = (name: string) => median(result.storms.filter((s) => s.name.startsWith(name)).map((s) => s.seconds));
  const [ws, floor, io] = [
    relay(result.native, 'Rendezvous /ws'),
    relay(result.native, 'raw ws'),
    relay(result.native, 'socket.io'),
  ];
  const [pj, peer] = [relay(result.peerjs, 'Rendezvous /peerjs'), relay(result.peerjs, 'peer')];
  const line = (met: boolean, what: string, figure: string) => `- ${met ? 'met' : '**not met**'}: ${what} (${figure}).`;
  const x = (n: number) => `${num(n, 2)}×`;
  if (ws === undefined || floor === undefined || io === undefined || pj === undefined || peer === undefined) {
    return [];
  }
  const wsIdle = (idle('Rendezvous /ws') - idle('raw ws')) / 1024;
  const pjIdle = (idle('Rendezvous /peerjs') - idle('peer')) / 1024;
  return [
    `**Targets** (issue 9), at ${num(clients)} clients:`,
    '',
    line(ws.rate / floor.rate >= 0.95, "/ws relays at least 0.95× the floor's rate", x(ws.rate / floor.rate)),
    line(floor.cpu / ws.cpu >= 0.95, "/ws CPU per message within 1/0.95 (1.05×) of the floor's", x(ws.cpu / floor.cpu)),
    line(wsIdle <= 1, "/ws idle session within 1 KB of heap of the floor's", `${num(wsIdle, 2)} KB more`),
    line(
      storm('Rendezvous') / storm('raw ws') <= 1.2,
      "join storm within 1.2× of the floor's time",
      x(storm('Rendezvous') / storm('raw ws')),
    ),
    line(ws.rate / io.rate >= 1.5, "/ws at least 1.5× socket.io's rate", x(ws.rate / io.rate)),
    line(
      pj.rate >= peer.rate,
      '/peerjs at least as fast as `peer`',
      `rate ${x(pj.rate / peer.rate)}, CPU per message ${x(pj.cpu / peer.cpu)}`,
    ),
    line(pjIdle < 0, '/peerjs less memory per connection than `peer`', `${num(pjIdle, 2)} KB of heap`),
  ];
}

export function signalingReport(result: SignalingResult): string {
  const counts = result.options.clients;
  const stormOf = (name: string) => median(result.storms.filter((s) => s.name.startsWith(name)).map((s) => s.seconds));
  const stormCpu = (name: string) =>
    median(result.storms.filter((s) => s.name.startsWith(name)).map((s) => s.cpuMicros / s.clients));
  const pin = result.pinned ? 'each server pinned to core 0, the load to core 1' : 'not pinned (no taskset or one core)';
  return [
    `Servers and load in separate processes, ${pin}; Rendezvous runs from its build (as \`rendezvous start\` does); medians of ${result.options.slices} slices of ${result.options.sliceMs} ms per server, alternating; each client keeps ${result.options.window} frame(s) in flight.`,
    '',
    '**PeerJS workload** (OFFER or ANSWER of ~3.5 KB, then three CANDIDATEs of ~250 B, per pair; HEARTBEAT every 5 s):',
    '',
    ...HEADER,
    ...relayRows(result.peerjs),
    '',
    ...ratios(result.peerjs, 'Rendezvous /peerjs', 'peer', counts),
    '',
    '**Native relay** (pairs bouncing SDP-sized `signal`s, ~3.5 KB):',
    '',
    ...HEADER,
    ...relayRows(result.native),
    '',
    ...ratios(result.native, 'Rendezvous /ws', 'raw ws', counts),
    ...ratios(result.native, 'Rendezvous /ws', 'socket.io', counts),
    '',
    `**Idle memory**: ${num(result.options.idleClients)} connections (native: hello and join; PeerJS: OPEN) against a server process started for the measurement, after garbage collection:`,
    '',
    '| server | connections | RSS per connection | V8 heap per connection |',
    '| --- | --- | --- | --- |',
    ...idleRows(result.idle),
    '',
    idleRatio(result.idle, 'Rendezvous /peerjs', 'peer'),
    idleRatio(result.idle, 'Rendezvous /ws', 'raw ws'),
    '',
    `**Join storm**: ${num(result.options.stormClients)} clients connect, say hello and join rooms in pairs, ${STORM_CONCURRENCY} handshakes at a time (median of ${result.options.stormRounds}):`,
    '',
    '| server | clients | time | server CPU per session |',
    '| --- | --- | --- | --- |',
    ...stormRows(result.storms),
    '',
    `Rendezvous /ws / floor: time **${num(stormOf('Rendezvous') / stormOf('raw ws'), 2)}×**, CPU per session **${num(stormCpu('Rendezvous') / stormCpu('raw ws'), 2)}×**.`,
    '',
    ...targets(result),
  ].join('\n');
}
