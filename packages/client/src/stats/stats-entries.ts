import type { StatsEntry } from '../candidate-path.js';

/** The entries of one stats report, by id (ids are only unique within one report). */
export function entriesOf(report: RTCStatsReport): Map<string, StatsEntry> {
  const byId = new Map<string, StatsEntry>();
  report.forEach((entry: StatsEntry) => byId.set(entry.id, entry));
  return byId;
}

/** A finite number field, or 0. */
export function num(entry: StatsEntry | undefined, key: string): number {
  const value = entry?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** A finite number field, or null. */
export function numOrNull(entry: StatsEntry | undefined, key: string): number | null {
  const value = entry?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function str(entry: StatsEntry | undefined, key: string): string | null {
  const value = entry?.[key];
  return typeof value === 'string' ? value : null;
}

/** `audio` or `video` of an RTP entry (`kind`, or the older `mediaType`). */
export function kindOf(entry: StatsEntry): 'audio' | 'video' | null {
  const kind = entry['kind'] ?? entry['mediaType'];
  return kind === 'audio' || kind === 'video' ? kind : null;
}

/**
 * The codec an RTP entry uses, from its `codec` entry (via `codecId`): the mime subtype (`VP9`, `H264`,
 * `opus`), or null when the browser has not named one yet.
 */
export function codecName(entries: ReadonlyMap<string, StatsEntry>, rtp: StatsEntry): string | null {
  const id = str(rtp, 'codecId');
  const mimeType = str(id === null ? undefined : entries.get(id), 'mimeType');
  if (mimeType === null) {
    return null;
  }
  const slash = mimeType.indexOf('/');
  return slash === -1 ? mimeType : mimeType.slice(slash + 1);
}
