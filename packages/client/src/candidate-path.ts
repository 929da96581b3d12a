/** How media reaches a peer: the type of the selected ICE candidate pair. */
export type CandidatePath = 'host' | 'srflx' | 'prflx' | 'relay' | 'unknown';

/** The subset of an RTCStats entry this module reads. */
export interface StatsEntry {
  id: string;
  type: string;
  [key: string]: unknown;
}

const TYPES: ReadonlySet<string> = new Set(['host', 'srflx', 'prflx', 'relay']);

function str(entry: StatsEntry | undefined, key: string): string | undefined {
  const value = entry?.[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The selected candidate pair of a stats report: the transport's `selectedCandidatePairId` (Chromium,
 * Safari), else a pair flagged `selected` (Firefox), else a nominated succeeded pair.
 */
export function selectedCandidatePair(stats: Iterable<StatsEntry>): StatsEntry | undefined {
  const byId = new Map<string, StatsEntry>();
  for (const entry of stats) {
    byId.set(entry.id, entry);
  }
  for (const entry of byId.values()) {
    if (entry.type !== 'transport') {
      continue;
    }
    const id = str(entry, 'selectedCandidatePairId');
    const pair = id === undefined ? undefined : byId.get(id);
    if (pair !== undefined) {
      return pair;
    }
  }
  const pairs = [...byId.values()].filter((e) => e.type === 'candidate-pair');
  return pairs.find((p) => p['selected'] === true) ?? pairs.find((p) => p['nominated'] === true && p['state'] === 'succeeded');
}

/**
 * The path of the selected pair: `relay` when either end is a TURN relay (media goes through the server),
 * otherwise the local candidate's type.
 */
export function candidatePathFromStats(stats: Iterable<StatsEntry>): CandidatePath {
  const entries = [...stats];
  const pair = selectedCandidatePair(entries);
  if (pair === undefined) {
    return 'unknown';
  }
  const local = entries.find((e) => e.id === str(pair, 'localCandidateId'));
  const remote = entries.find((e) => e.id === str(pair, 'remoteCandidateId'));
  const localType = str(local, 'candidateType');
  const remoteType = str(remote, 'candidateType');
  if (localType === 'relay' || remoteType === 'relay') {
    return 'relay';
  }
  return localType !== undefined && TYPES.has(localType) ? (localType as CandidatePath) : 'unknown';
}

/** Reads the selected path of a connection. Resolves 'unknown' when there is none yet. */
export async function selectedPath(pc: RTCPeerConnection): Promise<CandidatePath> {
  try {
    const report = await pc.getStats();
    const entries: StatsEntry[] = [];
    report.forEach((value: StatsEntry) => entries.push(value));
    return candidatePathFromStats(entries);
  } catch {
    return 'unknown';
  }
}

/** The selected candidate pair in detail: each end's candidate type and the transport under it. */
export interface CandidatePairDetail {
  /** Our candidate: `host`, `srflx`, `prflx` or `relay` (null when the browser does not say). */
  localType: Exclude<CandidatePath, 'unknown'> | null;
  remoteType: Exclude<CandidatePath, 'unknown'> | null;
  /** How packets travel between the two candidates: `udp` or `tcp`. */
  protocol: 'udp' | 'tcp' | null;
  /** For a local relay candidate: how we reach the TURN server (`udp`, `tcp` or `tls`), where the browser says. */
  relayProtocol: 'udp' | 'tcp' | 'tls' | null;
  /** The pair's own path, as `CandidatePath`: `relay` when either end relays. */
  path: CandidatePath;
}

function candidateType(entry: StatsEntry | undefined): Exclude<CandidatePath, 'unknown'> | null {
  const type = str(entry, 'candidateType');
  return type !== undefined && TYPES.has(type) ? (type as Exclude<CandidatePath, 'unknown'>) : null;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): T | null {
  const lower = value?.toLowerCase();
  return allowed.find((a) => a === lower) ?? null;
}

/** The selected pair of a stats report in detail, or null when none is selected yet. */
export function candidatePairDetail(stats: Iterable<StatsEntry>): CandidatePairDetail | null {
  const entries = [...stats];
  const pair = selectedCandidatePair(entries);
  if (pair === undefined) {
    return null;
  }
  const local = entries.find((e) => e.id === str(pair, 'localCandidateId'));
  const remote = entries.find((e) => e.id === str(pair, 'remoteCandidateId'));
  const localType = candidateType(local);
  const remoteType = candidateType(remote);
  return {
    localType,
    remoteType,
    protocol: oneOf(str(local, 'protocol') ?? str(remote, 'protocol'), ['udp', 'tcp'] as const),
    relayProtocol: localType === 'relay' ? oneOf(str(local, 'relayProtocol'), ['udp', 'tcp', 'tls'] as const) : null,
    path: localType === 'relay' || remoteType === 'relay' ? 'relay' : (localType ?? 'unknown'),
  };
}
