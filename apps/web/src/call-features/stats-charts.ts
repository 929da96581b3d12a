/**
 * The stats panel's charts of the last 60 s (uPlot, drawn on canvas): bitrate in and out, packets lost,
 * round trip and jitter, frames per second. Each update replaces the data with the sampler's history
 * (at most 60 points per series), so memory stays bounded; the charts exist only while the panel is open.
 */
import type { StatsSample } from '@rendezvous/client';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatNumber, t, type PlainKey } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { formatSecondsAgo } from './stats-format.js';

interface SeriesSpec {
  label: PlainKey;
  color: string;
  value(sample: StatsSample): number | null;
}

interface ChartSpec {
  id: string;
  title: PlainKey;
  series: SeriesSpec[];
  /** Whole numbers only (packets): no 0.5 on the axis. */
  integer?: boolean;
}

const COLORS = { in: '#6b8afd', out: '#2fa36b', lost: '#e5484d', rtt: '#f0a92b', jitter: '#c792ea' } as const;
const AXIS = { stroke: '#9aa3b6', grid: '#2c3344', font: '11px system-ui, sans-serif' } as const;
const WINDOW_SECONDS = 60;
const HEIGHT = 120;

const kbit = (bits: number | null): number | null => (bits === null ? null : bits / 1000);

const CHARTS: ChartSpec[] = [
  {
    id: 'bitrate',
    title: 'stats.chart.bitrate',
    series: [
      { label: 'stats.series.in', color: COLORS.in, value: (s) => kbit(s.bitrateIn) },
      { label: 'stats.series.out', color: COLORS.out, value: (s) => kbit(s.bitrateOut) },
    ],
  },
  {
    id: 'lost',
    title: 'stats.chart.lost',
    integer: true,
    series: [{ label: 'stats.series.lost', color: COLORS.lost, value: (s) => s.packetsLost }],
  },
  {
    id: 'delay',
    title: 'stats.chart.delay',
    series: [
      { label: 'stats.series.rtt', color: COLORS.rtt, value: (s) => s.rttMs },
      { label: 'stats.series.jitter', color: COLORS.jitter, value: (s) => s.jitterMs },
    ],
  },
  {
    id: 'fps',
    title: 'stats.chart.fps',
    series: [
      { label: 'stats.series.in', color: COLORS.in, value: (s) => s.videoIn?.framesPerSecond ?? null },
      { label: 'stats.series.out', color: COLORS.out, value: (s) => s.videoOut?.framesPerSecond ?? null },
    ],
  },
];

const WHOLE_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000];

function axis(values: (self: uPlot, splits: number[]) => string[], incrs?: number[]): uPlot.Axis {
  return {
    ...(incrs === undefined ? {} : { incrs }),
    stroke: AXIS.stroke,
    font: AXIS.font,
    size: 36,
    grid: { stroke: AXIS.grid, width: 1 },
    ticks: { stroke: AXIS.grid, width: 1, size: 4 },
    values,
  };
}

function chartOptions(spec: ChartSpec, width: number): uPlot.Options {
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: {
      x: { time: false, range: [-WINDOW_SECONDS, 0] },
      y: { range: (_self, _min, max) => [0, max > 0 ? max * 1.15 : 1] },
    },
    axes: [
      axis((_self, splits) => splits.map(formatSecondsAgo)),
      axis(
        (_self, splits) => splits.map((v) => formatNumber(v, { notation: 'compact' })),
        spec.integer === true ? WHOLE_STEPS : undefined,
      ),
    ],
    series: [{}, ...spec.series.map((s) => ({ stroke: s.color, width: 1.5, spanGaps: false, points: { show: false } }))],
  };
}

/** The data of one chart: seconds before the newest sample, then each series. */
function chartData(spec: ChartSpec, history: readonly StatsSample[]): uPlot.AlignedData {
  const newest = history.at(-1)?.at ?? 0;
  const xs = history.map((s) => (s.at - newest) / 1000);
  return [xs, ...spec.series.map((series) => history.map((s) => series.value(s)))];
}

function legend(spec: ChartSpec): HTMLElement {
  return h(
    'ul',
    { class: 'stats-legend' },
    ...spec.series.map((s) => {
      const swatch = h('span', { class: 'stats-swatch', 'aria-hidden': 'true' });
      swatch.style.backgroundColor = s.color;
      return h('li', {}, swatch, t(s.label));
    }),
  );
}

export interface StatsCharts {
  el: HTMLElement;
  update(history: readonly StatsSample[]): void;
  destroy(): void;
}

export function createStatsCharts(): StatsCharts {
  const el = h('div', { class: 'stats-charts' });
  const charts: { spec: ChartSpec; plot: uPlot; holder: HTMLElement }[] = [];
  for (const spec of CHARTS) {
    const holder = h('div', { class: 'stats-chart-canvas', 'aria-hidden': 'true' });
    el.append(
      h(
        'figure',
        { class: 'stats-chart', testid: `stats-chart-${spec.id}` },
        h('figcaption', { text: t(spec.title) }),
        legend(spec),
        holder,
      ),
    );
    charts.push({ spec, holder, plot: new uPlot(chartOptions(spec, 300), chartData(spec, []), holder) });
  }
  let width = 0;
  const resize = new ResizeObserver(() => {
    const next = Math.floor(el.clientWidth);
    if (next > 0 && next !== width) {
      width = next;
      for (const chart of charts) {
        chart.plot.setSize({ width, height: HEIGHT });
      }
    }
  });
  resize.observe(el);
  return {
    el,
    update(history) {
      for (const chart of charts) {
        chart.plot.setData(chartData(chart.spec, history));
      }
    },
    destroy() {
      resize.disconnect();
      for (const chart of charts.splice(0)) {
        chart.plot.destroy();
      }
    },
  };
}
