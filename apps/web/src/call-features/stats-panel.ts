/**
 * The stats panel's body: which connection (a select of the people in the room), the export button, the
 * current values, the charts of the last 60 s, and the preferred video codec. It draws only while it
 * exists (the panel is open); `destroy()` lets go of the charts and every listener.
 */
import type { Room, StatsSampler } from '@rendezvous/client';
import { t } from '../i18n/index.js';
import { h, icon } from '../ui/dom.js';
import { icons } from '../ui/icons.js';
import { createStatsCharts } from './stats-charts.js';
import { createCodecPicker } from './stats-codec.js';
import { downloadStats } from './stats-export.js';
import { createStatsValues } from './stats-values.js';

export interface StatsPanel {
  el: HTMLElement;
  destroy(): void;
}

function peerSelect(): HTMLSelectElement {
  return h('select', { id: 'stats-peer', testid: 'stats-peer' });
}

function exportButton(sampler: StatsSampler, room: Room): HTMLButtonElement {
  return h(
    'button',
    {
      class: 'btn btn-secondary btn-small',
      type: 'button',
      testid: 'stats-export',
      title: t('stats.exportTitle'),
      on: { click: () => downloadStats(sampler, room.name) },
    },
    icon(icons.download),
    t('stats.export'),
  );
}

export function createStatsPanel(room: Room, sampler: StatsSampler): StatsPanel {
  const select = peerSelect();
  const empty = h('p', { class: 'stats-note stats-empty', testid: 'stats-empty' });
  const values = createStatsValues();
  const charts = createStatsCharts();
  const details = h(
    'div',
    { class: 'stats-details' },
    h('section', { class: 'stats-section' }, h('h3', { class: 'stats-heading', text: t('stats.now') }), values.el),
    h(
      'section',
      { class: 'stats-section' },
      h('h3', { class: 'stats-heading', text: t('stats.charts') }),
      h('p', { class: 'stats-note', text: t('stats.chartsNote') }),
      charts.el,
    ),
  );
  const el = h(
    'div',
    { class: 'stats-panel', testid: 'stats-panel' },
    h(
      'div',
      { class: 'stats-toolbar' },
      h('label', { class: 'field-label', for: 'stats-peer', text: t('stats.peer') }),
      h('div', { class: 'stats-toolbar-row' }, select, exportButton(sampler, room)),
    ),
    empty,
    details,
    createCodecPicker(room),
  );

  const draw = (): void => {
    const peerId = select.value;
    const history = peerId === '' ? [] : sampler.history(peerId);
    const latest = history.at(-1) ?? null;
    empty.hidden = room.peers.size > 0 && latest !== null;
    empty.textContent = room.peers.size === 0 ? t('stats.nobody') : t('stats.waiting');
    details.hidden = latest === null;
    el.dataset['peer'] = peerId;
    values.update(latest);
    charts.update(history);
  };
  const listPeers = (): void => {
    const chosen = select.value;
    select.replaceChildren(
      ...[...room.peers.values()].map((peer) => h('option', { value: peer.peerId, text: peer.displayName })),
    );
    select.value = room.peers.has(chosen) ? chosen : (room.peers.keys().next().value ?? '');
    select.disabled = room.peers.size === 0;
    draw();
  };
  select.addEventListener('change', draw);
  const stops = [
    sampler.on('sample', (peerId) => {
      if (peerId === select.value) {
        draw();
      }
    }),
    room.on('peer-joined', listPeers),
    room.on('peer-left', listPeers),
    room.on('peer-updated', listPeers),
  ];
  listPeers();
  return {
    el,
    destroy() {
      for (const stop of stops.splice(0)) {
        stop();
      }
      charts.destroy();
    },
  };
}
