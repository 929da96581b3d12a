import { readFileSync } from 'node:fs';

/**
 * Every TURN allocation holds one UDP socket, every WebSocket and TURN TCP connection one more: with the
 * default 10,000 allocations a process under the common 1,024 open-file limit fills its descriptor table
 * with relay sockets, and new WebSocket connections then fail. TURN may take at most this share of the
 * table; the rest stays for signaling, HTTP and files.
 */
export const TURN_FD_SHARE = 0.5;

/** The soft "Max open files" limit in /proc/self/limits text, or undefined (not Linux, unlimited, unreadable). */
export function parseOpenFileLimit(limitsText: string): number | undefined {
  const line = limitsText.split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
  if (soft === undefined || !/^\d+$/.test(soft)) {
    return undefined;
  }
  return Number(soft);
}

/** This process's open-file limit, when the system tells it. */
export function openFileLimit(): number | undefined {
  try {
    return parseOpenFileLimit(readFileSync('/proc/self/limits', 'utf8'));
  } catch {
    return undefined;
  }
}

/** The TURN allocation quota to run with: the configured one, lowered to TURN's share of the descriptor table. */
export function allocationQuotaFor(configured: number, fdLimit: number | undefined): { quota: number; lowered: boolean } {
  if (fdLimit === undefined) {
    return { quota: configured, lowered: false };
  }
  const room = Math.max(1, Math.floor(fdLimit * TURN_FD_SHARE));
  return configured > room ? { quota: room, lowered: true } : { quota: configured, lowered: false };
}
