/**
 * `npm run bench`: runs the benchmarks, prints medians and ratios, and writes the numbers into
 * docs/benchmarks.md between the markers of each benchmark. Not a test: nothing here fails on slowness.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileBenchmarks, filesReport } from './files.js';
import { hardeningBenchmarks, hardeningReport } from './hardening.js';
import { sfuSection } from './sfu.js';
import { signalingBenchmarks, signalingOptionsFromEnv } from './signaling.js';
import { signalingReport } from './signaling/report.js';
import { joinToFirstFrame } from './join-to-first-frame.js';
import { turnBenchmarks, turnReport } from './turn-relay.js';

const docPath = new URL('../docs/benchmarks.md', import.meta.url);
const ms = (n: number) => `${n.toFixed(0)} ms`;

function replaceSection(doc: string, name: string, body: string): string {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from < 0 || to < 0) {
    return `${doc.trimEnd()}\n\n${start}\n${body}\n${end}\n`;
  }
  return `${doc.slice(0, from + start.length)}\n${body}\n${doc.slice(to)}`;
}

const only = process.env['BENCH'];
let doc = '';
try {
  doc = readFileSync(docPath, 'utf8');
} catch {
  doc = '# Benchmarks\n';
}
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
if (only === undefined || only === 'join') {
  const runs = Number(process.env['BENCH_RUNS'] ?? 20);
  console.log(`join to first decoded remote frame: ${runs} runs each, Chromium on loopback…`);
  const result = await joinToFirstFrame(runs);
  const table = [
    `Measured ${machine}; ${runs} runs each, alternating.`,
    '',
    '| path | p50 | p95 | min | max |',
    '| --- | --- | --- | --- | --- |',
    `| Rendezvous: \`Room.join()\` → first decoded remote frame | ${ms(result.rendezvous.p50)} | ${ms(result.rendezvous.p95)} | ${ms(result.rendezvous.min)} | ${ms(result.rendezvous.max)} |`,
    `| floor: two RTCPeerConnections in one page, offer → first decoded frame | ${ms(result.floor.p50)} | ${ms(result.floor.p95)} | ${ms(result.floor.min)} | ${ms(result.floor.max)} |`,
    '',
    `Ratio of medians (Rendezvous / floor): **${result.ratio.toFixed(2)}×**.`,
  ].join('\n');
  console.log(table);
  doc = replaceSection(doc, 'join-to-first-frame', table);
  writeFileSync(docPath, doc);
}

if (only === undefined || only === 'turn') {
  const result = await turnBenchmarks({ rounds: Number(process.env['BENCH_ROUNDS'] ?? 3), log: (line) => console.log(line) });
  const report = [
    `Measured ${machine}; ${Number(process.env['BENCH_ROUNDS'] ?? 3)} alternating rounds per server.`,
    '',
    turnReport(result),
  ].join('\n');
  console.log(report);
  doc = replaceSection(doc, 'turn', report);
  writeFileSync(docPath, doc);
}
if (only === undefined || only === 'hardening') {
  const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
  const result = await hardeningBenchmarks({ rounds, log: (line) => console.log(line) });
  const report = [`Measured ${machine}; ${rounds} rounds, before and after alternating.`, '', hardeningReport(result)].join('\n');
  console.log(report);
  doc = replaceSection(doc, 'hardening', report);
  writeFileSync(docPath, doc);
}
if (only === undefined || only === 'files') {
  const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
  const size = Number(process.env['BENCH_FILE_MB'] ?? 64) * 1024 * 1024;
  const memorySize = Number(process.env['BENCH_MEMORY_MB'] ?? 1024) * 1024 * 1024;
  const result = await fileBenchmarks({ rounds, size, memorySize, log: (line) => console.log(line) });
  const report = [`Measured ${machine}; ${rounds} rounds, order rotating.`, '', filesReport(result)].join('\n');
  console.log(report);
  doc = replaceSection(doc, 'files', report);
  writeFileSync(docPath, doc);
}
if (only === undefined || only === 'signaling') {
  const result = await signalingBenchmarks(signalingOptionsFromEnv((line) => console.log(line)));
  const report = [`Measured ${machine}.`, '', signalingReport(result)].join('\n');
  console.log(report);
  doc = replaceSection(doc, 'signaling', report);
  writeFileSync(docPath, doc);
}
if (only === undefined || only === 'sfu') {
  doc = replaceSection(doc, 'sfu', await sfuSection(machine, (line) => console.log(line)));
  writeFileSync(docPath, doc);
}
console.log('written to docs/benchmarks.md');
