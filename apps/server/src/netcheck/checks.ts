/**
 * What `rendezvous netcheck` checks, from the ICE servers a Rendezvous server hands out: a STUN Binding to each
 * STUN url, and a TURN allocation (made, then freed) over each TURN url's transport. Checks run at the same time.
 */
import type { IceServer, NetcheckErrorCode } from '@rendezvous/protocol';
import { formatHostPort, parseIceUrl, type IceUrl } from './ice-url.js';
import { describeSocketError, ProbeError, type StunClientOptions } from './stun-client.js';
import { stunBinding } from './stun-probe.js';
import { turnAllocate, type TurnCredential } from './turn-probe.js';

export interface PlannedCheck {
  /** "STUN UDP", "TURN TCP", "TURN TLS", ... */
  label: string;
  url: string;
  /** Null when the url could not be parsed. */
  target: IceUrl | null;
  credential: TurnCredential | undefined;
}

export interface CheckResult {
  label: string;
  url: string;
  ok: boolean;
  /** STUN: the reflexive address; TURN: the relayed address. */
  address?: string;
  rttMs?: number;
  /** A short remark: where the server saw us, handshake time, an allocation that could not be freed. */
  note?: string;
  /** Failed checks: why, in words, and as a code from `NETCHECK_ERROR_CATALOG`. */
  error?: string;
  code?: NetcheckErrorCode;
}

function labelOf(target: IceUrl | null, url: string): string {
  if (target === null) {
    return /^turns?:/i.test(url) ? 'TURN ?' : 'STUN ?';
  }
  const service = target.scheme.startsWith('turn') ? 'TURN' : 'STUN';
  return `${service} ${target.transport.toUpperCase()}`;
}

/** One check per distinct STUN/TURN url, STUN first, then TURN over UDP, TCP, TLS. */
export function planChecks(iceServers: readonly IceServer[]): PlannedCheck[] {
  const seen = new Set<string>();
  const checks: PlannedCheck[] = [];
  for (const server of iceServers) {
    for (const url of Array.isArray(server.urls) ? server.urls : [server.urls]) {
      if (seen.has(url)) {
        continue;
      }
      seen.add(url);
      const target = parseIceUrl(url);
      const credential =
        server.username !== undefined && server.credential !== undefined
          ? { username: server.username, credential: server.credential }
          : undefined;
      checks.push({ label: labelOf(target, url), url, target, credential });
    }
  }
  const rank = (check: PlannedCheck): number => {
    const order = ['STUN UDP', 'STUN TCP', 'STUN TLS', 'TURN UDP', 'TURN TCP', 'TURN TLS'];
    const at = order.indexOf(check.label);
    return at < 0 ? order.length : at;
  };
  return checks.sort((a, b) => rank(a) - rank(b));
}

/** Runs one check; never rejects. */
export async function runCheck(check: PlannedCheck, options: StunClientOptions): Promise<CheckResult> {
  const { label, url, target } = check;
  try {
    if (target === null) {
      throw new ProbeError('BAD_URL', 'not a STUN/TURN url this check understands');
    }
    if (target.scheme.startsWith('stun')) {
      const result = await stunBinding(target, options);
      return {
        label,
        url,
        ok: true,
        address: formatHostPort(result.mapped.address, result.mapped.port),
        rttMs: result.rttMs,
        note: `reflexive, server ${result.server}`,
      };
    }
    if (check.credential === undefined) {
      throw new ProbeError('NO_CREDENTIAL', 'no username/credential offered for this TURN url');
    }
    const result = await turnAllocate(target, check.credential, options);
    const notes = [`relayed, server ${result.server}`];
    if (result.connectMs > 0) {
      notes.push(`${target.transport.toUpperCase()} handshake ${result.connectMs} ms`);
    }
    if (!result.freed) {
      notes.push('could not free the allocation');
    }
    return {
      label,
      url,
      ok: true,
      address: formatHostPort(result.relayed.address, result.relayed.port),
      rttMs: result.rttMs,
      note: notes.join(', '),
    };
  } catch (error) {
    if (error instanceof ProbeError) {
      return { label, url, ok: false, error: error.message, code: error.code };
    }
    return { label, url, ok: false, error: describeSocketError(error), code: 'PROBE_FAILED' };
  }
}

export async function runChecks(checks: readonly PlannedCheck[], options: StunClientOptions): Promise<CheckResult[]> {
  return Promise.all(checks.map((check) => runCheck(check, options)));
}

/** A fixed-width table of the results. */
export function formatTable(results: readonly CheckResult[]): string {
  const rows = [
    ['CHECK', 'URL', 'RESULT', 'ADDRESS', 'RTT', 'NOTE'],
    ...results.map((r) =>
      r.ok
        ? [r.label, r.url, 'ok', r.address ?? '', r.rttMs === undefined ? '' : `${r.rttMs} ms`, r.note ?? '']
        : [r.label, r.url, 'FAILED', r.error ?? 'failed', '', ''],
    ),
  ];
  const widths = rows[0]!.map((_, column) =>
    // The error text of a failed row spans the last columns: do not let it widen ADDRESS.
    Math.max(...rows.filter((row) => row[2] !== 'FAILED' || column < 3).map((row) => row[column]!.length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === row.length - 1 || (row[2] === 'FAILED' && column >= 3) ? cell : cell.padEnd(widths[column]!),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
