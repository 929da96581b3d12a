/** The network check's words: per-probe details and the verdict in plain sentences, in the current language. */
import type { GatheredCandidate, NetworkCheckResult, ProbeResult } from '@rendezvous/client';
import { formatDuration, t } from '../i18n/index.js';

export type RowState = 'running' | 'ok' | 'partial' | 'failed' | 'skipped';

export function rowState(result: ProbeResult): RowState {
  if (result.status !== 'ok') {
    return result.status;
  }
  return result.connected === false ? 'partial' : 'ok';
}

const MAX_ADDRESSES = 4;

/** Distinct addresses of the probed type, mDNS names counted rather than listed. */
function addressLines(result: ProbeResult): string[] {
  const wanted: GatheredCandidate['type'] = result.probe === 'host' ? 'host' : result.probe === 'srflx' ? 'srflx' : 'relay';
  const seen = new Set<string>();
  let hidden = 0;
  for (const c of result.candidates) {
    if (c.type !== wanted) {
      continue;
    }
    if (c.address.endsWith('.local')) {
      hidden++;
      continue;
    }
    seen.add(wanted === 'host' ? `${c.address} (${c.protocol.toUpperCase()})` : `${c.address}:${c.port}`);
  }
  const lines = [...seen];
  const shown = lines.slice(0, MAX_ADDRESSES);
  if (lines.length > shown.length) {
    shown.push(t('netcheck.andMore', { count: lines.length - shown.length }));
  }
  if (hidden > 0) {
    shown.push(t('netcheck.hiddenLocal', { count: hidden }));
  }
  return shown;
}

export interface DetailLine {
  text: string;
  error?: boolean;
}

export function detailLines(result: ProbeResult): DetailLine[] {
  if (result.status === 'skipped') {
    return [{ text: t('netcheck.notOffered') }];
  }
  const lines: DetailLine[] = addressLines(result).map((text) => ({ text }));
  if (result.status === 'failed') {
    lines.push({ text: result.error ?? t('netcheck.nothingBack'), error: true });
  }
  if (result.status === 'failed' && result.probe === 'relay-tls') {
    lines.push({ text: t('netcheck.tlsCert') });
  }
  if (result.connected === true) {
    lines.push({
      text: t('netcheck.relayConnected', { ms: result.connectMs === undefined ? '?' : formatDuration(result.connectMs) }),
    });
  }
  if (result.connected === false) {
    lines.push({ text: t('netcheck.relayNoCall'), error: true });
  }
  return lines;
}

const relayWord = (result: ProbeResult | undefined): string => {
  if (result === undefined || result.status === 'skipped') {
    return t('netcheck.relay.notOffered');
  }
  if (result.status === 'failed') {
    return t('netcheck.relay.no');
  }
  return result.connected === false ? t('netcheck.relay.partly') : t('netcheck.relay.yes');
};

function directLine(host: ProbeResult | undefined, srflx: ProbeResult | undefined): string {
  if (srflx?.status === 'ok') {
    return t('netcheck.verdict.directYes');
  }
  if (host?.status !== 'ok') {
    return t('netcheck.verdict.directNoHost');
  }
  return srflx?.status === 'skipped' ? t('netcheck.verdict.directLocalNoStun') : t('netcheck.verdict.directLocal');
}

/** The verdict in plain words, one sentence per line. */
export function verdictLines(result: NetworkCheckResult, fetchError: string | null): string[] {
  const by = new Map(result.probes.map((p) => [p.probe, p]));
  const host = by.get('host');
  const srflx = by.get('srflx');
  const relays = (['relay-udp', 'relay-tcp', 'relay-tls'] as const).map((probe) => by.get(probe));
  const lines: string[] = [];
  if (fetchError !== null) {
    lines.push(t('netcheck.verdict.fetchFailed', { error: fetchError }));
  }
  lines.push(directLine(host, srflx));
  if (relays.every((r) => r === undefined || r.status === 'skipped')) {
    lines.push(t('netcheck.verdict.noRelay'));
  } else {
    const [udp, tcp, tls] = relays;
    lines.push(t('netcheck.verdict.relay', { udp: relayWord(udp), tcp: relayWord(tcp), tls: relayWord(tls) }));
  }
  const relayWorks = relays.some((r) => r?.status === 'ok' && r.connected !== false);
  if (relayWorks) {
    lines.push(t('netcheck.verdict.allWork'));
  } else if (srflx?.status === 'ok') {
    lines.push(t('netcheck.verdict.mostWork'));
  } else if (host?.status === 'ok') {
    lines.push(t('netcheck.verdict.localOnly'));
  } else {
    lines.push(t('netcheck.verdict.none'));
  }
  return lines;
}
