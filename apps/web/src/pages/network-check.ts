/**
 * /network: which ways of connecting work from here. Fetches this server's ICE servers, runs the SDK's
 * `checkNetwork`, and shows one row per candidate type (host, srflx, relay over UDP/TCP/TLS) and a verdict
 * in plain words.
 */
import { checkNetwork, type NetworkProbe, type ProbeResult } from '@rendezvous/client';
import { formatDuration, pageTitle, t } from '../i18n/index.js';
import type { Page } from '../router.js';
import { h, replaceChildren } from '../ui/dom.js';
import { detailLines, rowState, verdictLines, type RowState } from './network-check-text.js';

/** Every probe the check runs, in display order. */
const NETWORK_PROBES: NetworkProbe[] = ['host', 'srflx', 'relay-udp', 'relay-tcp', 'relay-tls'];

async function fetchIceServers(signal: AbortSignal): Promise<RTCIceServer[]> {
  const response = await fetch('/api/ice-servers', { signal, headers: { accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`HTTP ${response.status}`);
  }
  const body = (await response.json()) as unknown;
  const list = (body as { iceServers?: unknown } | null)?.iceServers;
  if (!Array.isArray(list)) {
    throw new Error(t('netcheck.unexpectedAnswer'));
  }
  return list.filter((s): s is RTCIceServer => typeof s === 'object' && s !== null && 'urls' in s);
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The results table: one row per probe, updated as results come in. */
class ResultsTable {
  readonly el: HTMLTableElement;
  #rows = new Map<NetworkProbe, { row: HTMLTableRowElement; badge: HTMLElement; details: HTMLElement; time: HTMLElement }>();

  constructor() {
    const tbody = h('tbody');
    for (const probe of NETWORK_PROBES) {
      const parts = {
        badge: h('span', { class: 'netcheck-badge' }),
        details: h('td', { class: 'netcheck-details' }),
        time: h('td', { class: 'netcheck-time' }),
      };
      const row = h(
        'tr',
        { testid: 'netcheck-row', 'data-probe': probe },
        h(
          'th',
          { scope: 'row' },
          h('span', { class: 'netcheck-name', text: t(`netcheck.probe.${probe}`) }),
          h('span', { class: 'netcheck-about', text: t(`netcheck.about.${probe}`) }),
        ),
        h('td', { class: 'netcheck-result' }, parts.badge),
        parts.details,
        parts.time,
      );
      this.#rows.set(probe, { row, ...parts });
      tbody.append(row);
    }
    const heads = [t('netcheck.colCheck'), t('netcheck.colResult'), t('netcheck.colFound'), t('netcheck.colTime')];
    this.el = h(
      'table',
      { class: 'netcheck-table' },
      h('caption', { class: 'offscreen', text: t('netcheck.caption') }),
      h('thead', {}, h('tr', {}, ...heads.map((text) => h('th', { scope: 'col', text })))),
      tbody,
    );
  }

  set(probe: NetworkProbe, state: RowState, result?: ProbeResult): void {
    const parts = this.#rows.get(probe);
    if (parts === undefined) {
      return;
    }
    parts.row.dataset['status'] = state === 'partial' ? 'ok' : state;
    parts.badge.dataset['kind'] = state;
    parts.badge.textContent = t(`netcheck.badge.${state}`);
    const lines = result ? detailLines(result) : [];
    replaceChildren(
      parts.details,
      ...lines.map((line) => h('span', { class: `netcheck-line${line.error ? ' netcheck-error' : ''}`, text: line.text })),
    );
    parts.time.textContent = result && result.status !== 'skipped' ? formatDuration(result.ms) : '';
  }
}

/** One run of the check at a time: a new run aborts the previous one. */
class NetworkCheck {
  readonly table = new ResultsTable();
  readonly progress = h('p', { class: 'netcheck-progress muted', role: 'status' });
  readonly verdict = h('div', {
    class: 'card netcheck-verdict',
    testid: 'netcheck-verdict',
    'aria-live': 'polite',
    'aria-busy': 'true',
  });
  readonly runButton = h('button', {
    class: 'btn btn-primary',
    type: 'button',
    testid: 'netcheck-run',
    // aria-disabled, not disabled, while running: a disabled button would drop keyboard focus.
    on: { click: () => this.runButton.getAttribute('aria-disabled') !== 'true' && void this.run() },
  });
  #controller: AbortController | null = null;

  #start(): void {
    this.runButton.setAttribute('aria-disabled', 'true');
    this.runButton.textContent = t('netcheck.checking');
    this.verdict.setAttribute('aria-busy', 'true');
    replaceChildren(this.verdict, h('p', { class: 'muted', text: t('netcheck.waitVerdict') }));
    for (const probe of NETWORK_PROBES) {
      this.table.set(probe, 'running');
    }
    this.progress.textContent = t('netcheck.asking');
  }

  async run(): Promise<void> {
    this.#controller?.abort();
    const current = new AbortController();
    this.#controller = current;
    const { signal } = current;
    this.#start();
    let fetchError: string | null = null;
    let iceServers: RTCIceServer[] = [];
    try {
      iceServers = await fetchIceServers(signal);
    } catch (error) {
      if (signal.aborted) {
        return;
      }
      fetchError = messageOf(error);
    }
    try {
      await this.#check(iceServers, fetchError, signal);
    } catch (error) {
      if (!signal.aborted) {
        replaceChildren(this.verdict, h('p', { text: t('netcheck.failed', { error: messageOf(error) }) }));
        this.progress.textContent = '';
      }
    } finally {
      if (this.#controller === current) {
        this.verdict.setAttribute('aria-busy', 'false');
        this.runButton.setAttribute('aria-disabled', 'false');
        this.runButton.textContent = t('netcheck.runAgain');
      }
    }
  }

  async #check(iceServers: RTCIceServer[], fetchError: string | null, signal: AbortSignal): Promise<void> {
    let done = 0;
    const total = NETWORK_PROBES.length;
    this.progress.textContent = t('netcheck.progress', { done, total });
    const result = await checkNetwork(iceServers, {
      signal,
      onProgress: (probeResult) => {
        this.table.set(probeResult.probe, rowState(probeResult), probeResult);
        done++;
        this.progress.textContent = t('netcheck.progress', { done, total });
      },
    });
    for (const probeResult of result.probes) {
      this.table.set(probeResult.probe, rowState(probeResult), probeResult);
    }
    const lines = verdictLines(result, fetchError);
    replaceChildren(
      this.verdict,
      ...lines.map((line, i) => h('p', { class: i === 0 ? 'netcheck-verdict-lead' : '', text: line })),
    );
    this.progress.textContent = t('netcheck.done', { duration: formatDuration(result.ms) });
  }

  abort(): void {
    this.#controller?.abort();
    this.#controller = null;
  }
}

function layout(check: NetworkCheck): HTMLElement {
  return h(
    'main',
    { class: 'page netcheck' },
    h(
      'a',
      { class: 'brand', href: '/', 'aria-label': t('common.brandHome') },
      h('span', { class: 'brand-mark', 'aria-hidden': 'true' }),
      'Rendezvous',
    ),
    h(
      'header',
      { class: 'netcheck-header' },
      h('h1', { text: t('netcheck.title') }),
      h('p', { class: 'lede', text: t('netcheck.lede') }),
      h('div', { class: 'netcheck-actions' }, check.runButton, check.progress),
    ),
    h('section', { class: 'card netcheck-card' }, check.table.el),
    h(
      'section',
      { class: 'netcheck-summary', 'aria-labelledby': 'netcheck-verdict-title' },
      h('h2', { id: 'netcheck-verdict-title', text: t('netcheck.verdict') }),
      check.verdict,
    ),
  );
}

export const networkCheckPage: Page = (root) => {
  document.title = pageTitle(t('netcheck.title'));
  const check = new NetworkCheck();
  root.append(layout(check));
  void check.run();
  return () => check.abort();
};
