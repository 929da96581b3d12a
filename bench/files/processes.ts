/**
 * A browser's processes read from /proc: its process tree, the resident memory of its renderers, and the CPU
 * time of the whole tree (browser, GPU, network, renderers), so a run's cost can be told apart from the machine's
 * noise: wall time suffers when other work shares the cores, CPU time much less.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null; // the process ended meanwhile
  }
}

/** `rootPid` and every process under it. */
export function processTree(rootPid: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    const fields = Number.isInteger(pid) ? statFields(pid) : null;
    if (fields !== null) {
      parent.set(pid, Number(fields[1]));
    }
  }
  return [...parent.keys()].filter((pid) => {
    for (let up: number | undefined = pid; up !== undefined && up > 1; up = parent.get(up)) {
      if (up === rootPid) {
        return true;
      }
    }
    return false;
  });
}

/** Resident bytes of the `--type=renderer` processes under `rootPid`. */
export function rendererRss(rootPid: number): number {
  let total = 0;
  for (const pid of processTree(rootPid)) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) {
        continue;
      }
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      total += rss === null ? 0 : Number(rss[1]) * 1024;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** User + system CPU milliseconds of every process under `rootPid` (its own included). */
export function treeCpuMs(rootPid: number): number {
  let ticks = 0;
  for (const pid of processTree(rootPid)) {
    const fields = statFields(pid);
    if (fields !== null) {
      ticks += Number(fields[11]) + Number(fields[12]);
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
