/**
 * Memory of one page while something runs: its JS heap through CDP `Runtime.getHeapUsage` (V8's used heap, the
 * embedder's (Blink's) garbage-collected heap, and the backing stores of ArrayBuffers, which live outside the JS
 * heap), sampled every `intervalMs`; plus the resident memory of the browser's renderer processes from /proc (the
 * benchmark gives each page its own browser, so that is the page's renderer).
 */
import type { Browser, Page } from 'puppeteer-core';
import { rendererRss } from './processes.js';

export interface MemoryPeaks {
  /** V8 used heap after a forced GC, before the run. */
  baselineHeap: number;
  maxHeap: number;
  maxEmbedderHeap: number;
  maxBackingStore: number;
  /** Renderer RSS at the first sample. */
  baselineRendererRss: number;
  maxRendererRss: number;
  samples: number;
}

export interface MemorySampler {
  stop(): Promise<MemoryPeaks>;
}

export async function sampleMemory(page: Page, browser: Browser, intervalMs = 250): Promise<MemorySampler> {
  const session = await page.createCDPSession();
  await session.send('HeapProfiler.collectGarbage');
  const baseline = await session.send('Runtime.getHeapUsage');
  const rootPid = browser.process()?.pid;
  const peaks: MemoryPeaks = {
    baselineHeap: baseline.usedSize,
    maxHeap: 0,
    maxEmbedderHeap: 0,
    maxBackingStore: 0,
    baselineRendererRss: rootPid === undefined ? 0 : rendererRss(rootPid),
    maxRendererRss: 0,
    samples: 0,
  };
  let busy = false;
  const sample = async (): Promise<void> => {
    if (busy) {
      return;
    }
    busy = true;
    try {
      const usage = await session.send('Runtime.getHeapUsage');
      peaks.maxHeap = Math.max(peaks.maxHeap, usage.usedSize);
      peaks.maxEmbedderHeap = Math.max(peaks.maxEmbedderHeap, usage.embedderHeapUsedSize);
      peaks.maxBackingStore = Math.max(peaks.maxBackingStore, usage.backingStorageSize);
      peaks.maxRendererRss = Math.max(peaks.maxRendererRss, rootPid === undefined ? 0 : rendererRss(rootPid));
      peaks.samples++;
    } finally {
      busy = false;
    }
  };
  await sample();
  const timer = setInterval(() => void sample().catch(() => undefined), intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await sample();
      await session.detach();
      return peaks;
    },
  };
}
