/** The stats export: the sampler's JSON (every peer's last 60 s), downloaded as a file named after the room and time. */
import type { StatsSampler } from '@rendezvous/client';

const pad = (n: number): string => String(n).padStart(2, '0');

/** `rendezvous-stats-<room>-20250102-030405.json` in local time; the room name keeps only safe characters. */
export function exportFileName(room: string, at: Date): string {
  const safeRoom = room.replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '') || 'call';
  const date = `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}`;
  const time = `${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`;
  return `rendezvous-stats-${safeRoom}-${date}-${time}.json`;
}

/** Downloads `JSON.stringify(sampler)`. */
export function downloadStats(sampler: StatsSampler, room: string): void {
  const blob = new Blob([JSON.stringify(sampler, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = exportFileName(room, new Date());
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once it started; give the browser a moment before letting go of the blob.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
