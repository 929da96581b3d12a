/**
 * File transfer, Chromium to Chromium on loopback, each page in its own browser. Throughput: Rendezvous
 * (`room.files.send`, hashed on both sides, written to the receiver's OPFS) beside a bare RTCDataChannel sending
 * the same Blob as fast as `bufferedAmount` allows, the SDK's data layer alone (`room.openStream`), and the file
 * transfer into a sink that only counts (no disk), in rounds whose order rotates so machine noise hits all alike.
 * Each run also reads the CPU time of both browsers' process trees. Then one large transfer with both pages' memory sampled,
 * and the pieces (hashing, Blob reads, OPFS writes) measured alone. Not a test: nothing fails on slowness.
 */
import type { Page } from 'puppeteer-core';
import { launchBrowser, type LaunchedBrowser } from '../e2e/harness/browsers.js';
import { startPageServer } from '../e2e/harness/page-server.js';
import { openPeerPage } from '../e2e/harness/peer.js';
import { startTestServer } from '../e2e/harness/server.js';
import { BARE_HIGH_WATER, BARE_LOW_WATER, bareRun, closeBare, connectBare } from './files/bare-channel.js';
import { sampleMemory, type MemoryPeaks } from './files/heap.js';
import { filesRun, joinBench, leaveBench, streamRun, waitConnected } from './files/ours.js';
import { MB, dropPayload, makePayload } from './files/payload.js';
import { measurePieces, type PieceRates } from './files/pieces.js';
import { treeCpuMs } from './files/processes.js';
import { median, summarize, type Summary } from './stats.js';

export interface FilesBenchOptions {
  rounds: number;
  /** Payload of the throughput rounds, bytes. */
  size: number;
  /** Payload of the memory run, bytes. */
  memorySize: number;
  log: (line: string) => void;
}

export interface FilesBenchResult {
  options: Omit<FilesBenchOptions, 'log'>;
  bare: ContenderResult;
  stream: ContenderResult;
  discard: ContenderResult;
  files: ContenderResult;
  memory: { seconds: number; sender: MemoryPeaks; receiver: MemoryPeaks };
  pieces: PieceRates;
}

type Contender = 'bare' | 'stream' | 'discard' | 'files';

export interface ContenderResult {
  /** MiB/s over the rounds. */
  rate: Summary;
  /** Median CPU milliseconds per MiB of the sending and the receiving browser (all their processes). */
  senderCpuPerMiB: number;
  receiverCpuPerMiB: number;
}

interface Pair {
  sender: Page;
  receiver: Page;
  receiverId: string;
  /** Process ids of the sending and the receiving browser. */
  pids: [number, number];
}

interface RunCost {
  rate: number;
  senderCpuPerMiB: number;
  receiverCpuPerMiB: number;
}

async function oneRun(pair: Pair, contender: Contender, size: number): Promise<RunCost> {
  const { sender, receiver, receiverId, pids } = pair;
  const cpuBefore = pids.map(treeCpuMs);
  const runs: Record<Contender, () => Promise<number>> = {
    bare: () => bareRun(sender, receiver, size),
    stream: () => streamRun(sender, receiver, receiverId),
    discard: async () => (await filesRun(sender, receiver, receiverId, true)).ms,
    files: async () => (await filesRun(sender, receiver, receiverId)).ms,
  };
  const ms = await runs[contender]();
  const cpu = pids.map((pid, i) => (treeCpuMs(pid) - cpuBefore[i]!) / (size / MB));
  return { rate: size / MB / (ms / 1000), senderCpuPerMiB: cpu[0]!, receiverCpuPerMiB: cpu[1]! };
}

async function throughputRounds(pair: Pair, options: FilesBenchOptions): Promise<Record<Contender, ContenderResult>> {
  const runs: Record<Contender, RunCost[]> = { bare: [], stream: [], discard: [], files: [] };
  const order: Contender[] = ['bare', 'stream', 'discard', 'files'];
  for (let round = 0; round < options.rounds; round++) {
    const line: string[] = [];
    for (const contender of order) {
      const run = await oneRun(pair, contender, options.size);
      runs[contender].push(run);
      line.push(
        `${contender} ${run.rate.toFixed(1)} MiB/s (CPU ${run.senderCpuPerMiB.toFixed(0)} + ${run.receiverCpuPerMiB.toFixed(0)} ms/MiB)`,
      );
    }
    options.log(`  round ${round + 1}: ${line.join(', ')}`);
    order.push(order.shift()!);
  }
  const result = (list: RunCost[]): ContenderResult => ({
    rate: summarize(list.map((run) => run.rate)),
    senderCpuPerMiB: median(list.map((run) => run.senderCpuPerMiB)),
    receiverCpuPerMiB: median(list.map((run) => run.receiverCpuPerMiB)),
  });
  return { bare: result(runs.bare), stream: result(runs.stream), discard: result(runs.discard), files: result(runs.files) };
}

async function memoryRun(pair: Pair, browsers: LaunchedBrowser[]): Promise<FilesBenchResult['memory']> {
  const sender = await sampleMemory(pair.sender, browsers[0]!.browser);
  const receiver = await sampleMemory(pair.receiver, browsers[1]!.browser);
  const run = await filesRun(pair.sender, pair.receiver, pair.receiverId);
  return { seconds: run.ms / 1000, sender: await sender.stop(), receiver: await receiver.stop() };
}

/** One page in its own Chromium (its renderer, heap and OPFS are its own); the launch's blank tab is closed. */
async function soloPage(pagesUrl: string): Promise<{ browser: LaunchedBrowser; page: Page }> {
  const browser = await launchBrowser('chromium');
  const page = await openPeerPage(browser, pagesUrl);
  for (const other of await browser.browser.pages()) {
    if (other !== page) {
      await other.close();
    }
  }
  return { browser, page };
}

export async function fileBenchmarks(options: FilesBenchOptions): Promise<FilesBenchResult> {
  const server = await startTestServer();
  const pages = await startPageServer();
  const browsers: LaunchedBrowser[] = [];
  try {
    const a = await soloPage(pages.url);
    browsers.push(a.browser);
    const b = await soloPage(pages.url);
    browsers.push(b.browser);
    const senderId = await joinBench(a.page, server.wsUrl, 'files-bench', 'sender');
    const receiverId = await joinBench(b.page, server.wsUrl, 'files-bench', 'receiver');
    await waitConnected(a.page, receiverId);
    await waitConnected(b.page, senderId);
    await connectBare(a.page, b.page);
    const pids = browsers.map((browser) => browser.browser.process()?.pid ?? 0) as [number, number];
    const pair: Pair = { sender: a.page, receiver: b.page, receiverId, pids };
    options.log(`file transfer: ${options.size / MB} MiB, ${options.rounds} rounds, order rotating…`);
    await makePayload(a.page, options.size);
    const contenders = await throughputRounds(pair, options);
    options.log('pieces, alone in the sending page…');
    const pieces = await measurePieces(a.page);
    await dropPayload(a.page);
    options.log(`memory: one ${options.memorySize / MB} MiB transfer, heaps sampled every 250 ms…`);
    await makePayload(a.page, options.memorySize);
    const memory = await memoryRun(pair, browsers);
    await closeBare([a.page, b.page]);
    await leaveBench([a.page, b.page]);
    const { log: _log, ...rest } = options;
    return { options: rest, ...contenders, memory, pieces };
  } finally {
    for (const browser of browsers) {
      await browser.close();
    }
    await pages.close();
    await server.close();
  }
}

const rate = (n: number) => `${n.toFixed(1)} MiB/s`;
const mib = (n: number) => `${(n / MB).toFixed(1)} MiB`;

function memoryRow(name: string, peaks: MemoryPeaks): string {
  const rss = `${mib(peaks.baselineRendererRss)} → ${mib(peaks.maxRendererRss)}`;
  return `| ${name} | ${mib(peaks.baselineHeap)} | **${mib(peaks.maxHeap)}** | ${mib(peaks.maxEmbedderHeap)} | ${mib(peaks.maxBackingStore)} | ${rss} | ${peaks.samples} |`;
}

function contenderRow(name: string, result: ContenderResult): string {
  const { rate: r, senderCpuPerMiB, receiverCpuPerMiB } = result;
  return `| ${name} | ${rate(r.p50)} | ${rate(r.min)} | ${rate(r.max)} | ${senderCpuPerMiB.toFixed(0)} ms | ${receiverCpuPerMiB.toFixed(0)} ms |`;
}

export function filesReport(result: FilesBenchResult): string {
  const { bare, stream, discard, files, memory, pieces, options } = result;
  const ratio = files.rate.p50 / bare.rate.p50;
  const heapLimit = 64 * MB;
  return [
    `Payload ${options.size / MB} MiB of random bytes; bare channel: 64 KiB messages, high water ${BARE_HIGH_WATER / MB} MiB, \`bufferedAmountLowThreshold\` ${BARE_LOW_WATER / MB} MiB.`,
    '',
    '| path | median | min | max | CPU per MiB, sending browser | CPU per MiB, receiving browser |',
    '| --- | --- | --- | --- | --- | --- |',
    contenderRow('bare RTCDataChannel, receiver counts bytes', bare),
    contenderRow('Rendezvous data layer alone: `room.openStream`, receiver counts bytes', stream),
    contenderRow('Rendezvous `room.files.send`, SHA-256 both sides, receiver discards (counting sink)', discard),
    contenderRow('Rendezvous `room.files.send`: SHA-256 both sides, receiver writes to OPFS', files),
    '',
    `Ratio of medians, files / bare: **${(ratio * 100).toFixed(0)}%** (target ≥ 90%: ${ratio >= 0.9 ? 'reached' : '**not reached**'}); data layer alone / bare: ${((stream.rate.p50 / bare.rate.p50) * 100).toFixed(0)}%; files without the disk / bare: ${((discard.rate.p50 / bare.rate.p50) * 100).toFixed(0)}%.`,
    '',
    `Memory during one ${options.memorySize / MB} MiB \`room.files.send\` (${memory.seconds.toFixed(1)} s, ${rate(options.memorySize / MB / memory.seconds)}), from CDP \`Runtime.getHeapUsage\` every 250 ms:`,
    '',
    '| page | JS heap before (after GC) | JS heap max | Blink heap max | ArrayBuffer backing max | renderer RSS, start → max | samples |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    memoryRow('sender', memory.sender),
    memoryRow('receiver', memory.receiver),
    '',
    `Receiver JS heap under 64 MiB throughout: ${memory.receiver.maxHeap < heapLimit ? 'yes' : '**no**'}.`,
    '',
    'The pieces alone (128 MiB each, in the sending page):',
    '',
    '| piece | rate |',
    '| --- | --- |',
    `| SHA-256, @noble/hashes, incremental, 64 KiB updates | ${rate(pieces.nobleSha256)} |`,
    `| SHA-256, crypto.subtle, one-shot per 64 KiB (native reference) | ${rate(pieces.subtleSha256)} |`,
    `| Blob read, 64 KiB slices, one ahead | ${rate(pieces.blobRead)} |`,
    `| OPFS \`createWritable\`, 64 KiB writes awaited one by one | ${rate(pieces.opfsWrite)} |`,
    `| the same, including \`close()\` | ${rate(pieces.opfsWriteAndClose)} |`,
    `| OPFS \`createWritable\`, 1 MiB writes, including \`close()\` | ${rate(pieces.opfsWrite1MiB)} |`,
  ].join('\n');
}
