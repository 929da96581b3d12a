/**
 * /network: which ways of connecting work from here. Fetches this server's ICE servers, runs the SDK's
 * `checkNetwork`, and shows one row per candidate type (host, srflx, relay over UDP/TCP/TLS) and a verdict
 * in plain words.
 */
import {
  checkNetwork,
  type GatheredCandidate,
  type NetworkCheckResult,
  type NetworkProbe,
  type ProbeResult,
} from '@rendezvous/client';
import type { Page } from '../router.js';
import { h, replaceChildren } from '../ui/dom.js';

const LABELS: Record<NetworkProbe, { name: string; about: string }> = {
  host: { name: 'Host', about: 'This device’s own addresses' },
  srflx: { name: 'STUN (srflx)', about: 'Your public address, as the server sees it' },
  'relay-udp': { name: 'TURN UDP', about: 'Relay through the server over UDP' },
  'relay-tcp': { name: 'TURN TCP', about: 'Relay over TCP, for networks that block UDP' },
  'relay-tls': { name: 'TURN TLS', about: 'Relay over TLS, looks like web traffic to firewalls' },
};
/** Every probe the check runs, in display order. */
const NETWORK_PROBES = Object.keys(LABELS) as NetworkProbe[];

type RowState = 'running' | 'ok' | 'partial' | 'failed' | 'skipped';

const BADGE_TEXT: Record<RowState, string> = {
  running: 'checking…',
  ok: 'working',
  partial: 'partly working',
  failed: 'not working',
  skipped: 'not offered',
};

function rowState(result: ProbeResult): RowState {
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
    shown.push(`and ${lines.length - shown.length} more`);
  }
  if (hidden > 0) {
    shown.push(`${hidden} local ${hidden === 1 ? 'address' : 'addresses'}, hidden by the browser (mDNS)`);
  }
  return shown;
}

interface DetailLine {
  text: string;
  error?: boolean;
}

function detailLines(result: ProbeResult): DetailLine[] {
  if (result.status === 'skipped') {
    return [{ text: 'This server does not offer it.' }];
  }
  const lines: DetailLine[] = addressLines(result).map((text) => ({ text }));
  if (result.status === 'failed') {
    lines.push({ text: result.error ?? 'Nothing came back.', error: true });
  }
  if (result.status === 'failed' && result.probe === 'relay-tls') {
    lines.push({ text: 'TURN over TLS needs a certificate this browser trusts; a self-signed one does not work.' });
  }
  if (result.connected === true) {
    lines.push({ text: `Test call through the relay connected in ${result.connectMs ?? '?'} ms.` });
  }
  if (result.connected === false) {
    lines.push({ text: 'The relay gave an address, but a test call through it did not connect.', error: true });
  }
  return lines;
}

const relayWord = (result: ProbeResult | undefined): string => {
  if (result === undefined || result.status === 'skipped') {
    return 'not offered by this server';
  }
  if (result.status === 'failed') {
    return 'no';
  }
  return result.connected === false ? 'partly (a relay address, but no test call)' : 'yes';
};

/** The verdict in plain words, one sentence per line. */
export function verdictLines(result: NetworkCheckResult, fetchError: string | null): string[] {
  const by = new Map(result.probes.map((p) => [p.probe, p]));
  const host = by.get('host');
  const srflx = by.get('srflx');
  const relays = (['relay-udp', 'relay-tcp', 'relay-tls'] as const).map((probe) => by.get(probe));
  const lines: string[] = [];
  if (fetchError !== null) {
    lines.push(`Could not get this server’s STUN/TURN list (${fetchError}), so only the local check ran.`);
  }

  if (srflx?.status === 'ok') {
    lines.push('Direct calls on this network: yes.');
  } else if (host?.status !== 'ok') {
    lines.push('Direct calls on this network: no (no local address was found).');
  } else if (srflx?.status === 'skipped') {
    lines.push('Direct calls on this network: only on the same local network (this server offers no STUN).');
  } else {
    lines.push('Direct calls on this network: only on the same local network (your public address could not be found).');
  }

  if (relays.every((r) => r === undefined || r.status === 'skipped')) {
    lines.push('Through the relay: this server offers no relay (TURN).');
  } else {
    const [udp, tcp, tls] = relays;
    lines.push(`Through the relay: UDP ${relayWord(udp)}, TCP ${relayWord(tcp)}, TLS ${relayWord(tls)}.`);
  }

  const relayWorks = relays.some((r) => r?.status === 'ok' && r.connected !== false);
  if (relayWorks) {
    lines.push('Calls should work from here, even with people behind strict firewalls.');
  } else if (srflx?.status === 'ok') {
    lines.push('Most calls should work; people behind strict firewalls may not reach you without a working relay.');
  } else if (host?.status === 'ok') {
    lines.push('Calls will likely work only with people on the same local network.');
  } else {
    lines.push('Calls will not work from this network.');
  }
  return lines;
}

async function fetchIceServers(signal: AbortSignal): Promise<RTCIceServer[]> {
  const response = await fetch('/api/ice-servers', { signal, headers: { accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`HTTP ${response.status}`);
  }
  const body = (await response.json()) as unknown;
  const list = (body as { iceServers?: unknown } | null)?.iceServers;
  if (!Array.isArray(list)) {
    throw new Error('unexpected answer');
  }
  return list.filter((s): s is RTCIceServer => typeof s === 'object' && s !== null && 'urls' in s);
}

export const networkCheckPage: Page = (root) => {
  document.title = 'Network check · Rendezvous';
  let controller: AbortController | null = null;

  const rows = new Map<NetworkProbe, { row: HTMLTableRowElement; badge: HTMLElement; details: HTMLElement; time: HTMLElement }>();
  const tbody = h('tbody');
  for (const probe of NETWORK_PROBES) {
    const badge = h('span', { class: 'netcheck-badge' });
    const details = h('td', { class: 'netcheck-details' });
    const time = h('td', { class: 'netcheck-time' });
    const row = h(
      'tr',
      { testid: 'netcheck-row', 'data-probe': probe },
      h(
        'th',
        { scope: 'row' },
        h('span', { class: 'netcheck-name', text: LABELS[probe].name }),
        h('span', { class: 'netcheck-about', text: LABELS[probe].about }),
      ),
      h('td', { class: 'netcheck-result' }, badge),
      details,
      time,
    );
    rows.set(probe, { row, badge, details, time });
    tbody.append(row);
  }

  function setRow(probe: NetworkProbe, state: RowState, result?: ProbeResult): void {
    const parts = rows.get(probe);
    if (parts === undefined) {
      return;
    }
    parts.row.dataset['status'] = state === 'partial' ? 'ok' : state;
    parts.badge.dataset['kind'] = state;
    parts.badge.textContent = BADGE_TEXT[state];
    const lines = result ? detailLines(result) : [];
    replaceChildren(
      parts.details,
      ...lines.map((line) => h('span', { class: `netcheck-line${line.error ? ' netcheck-error' : ''}`, text: line.text })),
    );
    parts.time.textContent = result && result.status !== 'skipped' ? `${result.ms} ms` : '';
  }

  const progress = h('p', { class: 'netcheck-progress muted', role: 'status' });
  const verdict = h('div', {
    class: 'card netcheck-verdict',
    testid: 'netcheck-verdict',
    'aria-live': 'polite',
    'aria-busy': 'true',
  });
  const runButton = h('button', {
    class: 'btn btn-primary',
    type: 'button',
    testid: 'netcheck-run',
    // aria-disabled, not disabled, while running: a disabled button would drop keyboard focus.
    on: { click: () => runButton.getAttribute('aria-disabled') !== 'true' && void run() },
  });

  async function run(): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    const { signal } = current;
    runButton.setAttribute('aria-disabled', 'true');
    runButton.textContent = 'Checking…';
    verdict.setAttribute('aria-busy', 'true');
    replaceChildren(
      verdict,
      h('p', { class: 'muted', text: 'The verdict appears when every check is done (up to about 15 seconds).' }),
    );
    for (const probe of NETWORK_PROBES) {
      setRow(probe, 'running');
    }
    let done = 0;
    progress.textContent = 'Asking the server for its STUN and TURN addresses…';

    let fetchError: string | null = null;
    let iceServers: RTCIceServer[] = [];
    try {
      iceServers = await fetchIceServers(signal);
    } catch (error) {
      if (signal.aborted) {
        return;
      }
      fetchError = error instanceof Error ? error.message : String(error);
    }
    progress.textContent = `Checking… 0 of ${NETWORK_PROBES.length} done.`;
    try {
      const result = await checkNetwork(iceServers, {
        signal,
        onProgress: (probeResult) => {
          setRow(probeResult.probe, rowState(probeResult), probeResult);
          done++;
          progress.textContent = `Checking… ${done} of ${NETWORK_PROBES.length} done.`;
        },
      });
      for (const probeResult of result.probes) {
        setRow(probeResult.probe, rowState(probeResult), probeResult);
      }
      replaceChildren(
        verdict,
        ...verdictLines(result, fetchError).map((line, i) =>
          h('p', { class: i === 0 ? 'netcheck-verdict-lead' : '', text: line }),
        ),
      );
      progress.textContent = `Done in ${(result.ms / 1000).toFixed(1)} s.`;
    } catch (error) {
      if (signal.aborted) {
        return;
      }
      replaceChildren(
        verdict,
        h('p', { text: `The check could not run: ${error instanceof Error ? error.message : String(error)}` }),
      );
      progress.textContent = '';
    } finally {
      if (controller === current) {
        verdict.setAttribute('aria-busy', 'false');
        runButton.setAttribute('aria-disabled', 'false');
        runButton.textContent = 'Run again';
      }
    }
  }

  root.append(
    h(
      'main',
      { class: 'page netcheck' },
      h(
        'a',
        { class: 'brand', href: '/', 'aria-label': 'Rendezvous home' },
        h('span', { class: 'brand-mark', 'aria-hidden': 'true' }),
        'Rendezvous',
      ),
      h(
        'header',
        { class: 'netcheck-header' },
        h('h1', { text: 'Network check' }),
        h('p', {
          class: 'lede',
          text: 'Which ways of connecting work from where you are: directly between devices, or through this server’s relay. Nothing is sent to anyone else.',
        }),
        h('div', { class: 'netcheck-actions' }, runButton, progress),
      ),
      h(
        'section',
        { class: 'card netcheck-card' },
        h(
          'table',
          { class: 'netcheck-table' },
          h('caption', { class: 'offscreen', text: 'Results of each check' }),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col', text: 'Check' }),
              h('th', { scope: 'col', text: 'Result' }),
              h('th', { scope: 'col', text: 'Found' }),
              h('th', { scope: 'col', text: 'Time' }),
            ),
          ),
          tbody,
        ),
      ),
      h(
        'section',
        { class: 'netcheck-summary', 'aria-labelledby': 'netcheck-verdict-title' },
        h('h2', { id: 'netcheck-verdict-title', text: 'Verdict' }),
        verdict,
      ),
    ),
  );
  void run();

  return () => {
    controller?.abort();
    controller = null;
  };
};
