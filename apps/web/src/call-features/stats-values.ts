/**
 * The stats panel's current values for one peer: quality, bitrates, loss, round trip, jitter, video size
 * and rate each way, the codec in use each way, and the selected candidate pair. Each value also carries
 * its raw form in `data-value` (for tests and for people copying numbers).
 */
import type { StatsSample } from '@rendezvous/client';
import { t, type PlainKey } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { qualityText } from './stats-badges.js';
import {
  NO_VALUE,
  candidateLabel,
  codecLabel,
  formatBitrate,
  formatLoss,
  formatMs,
  formatVideo,
  protocolLabel,
} from './stats-format.js';

interface Row {
  id: string;
  label: PlainKey;
  /** The value in words, and its raw form (empty when unknown). */
  show(sample: StatsSample): [text: string, raw: string];
}

const raw = (value: number | string | null | undefined): string => (value === null || value === undefined ? '' : String(value));

const ROWS: Row[] = [
  { id: 'quality', label: 'stats.row.quality', show: (s) => [s.quality ? qualityText(s.quality) : NO_VALUE, raw(s.quality)] },
  { id: 'bitrate-in', label: 'stats.row.bitrateIn', show: (s) => [formatBitrate(s.bitrateIn), raw(s.bitrateIn)] },
  { id: 'bitrate-out', label: 'stats.row.bitrateOut', show: (s) => [formatBitrate(s.bitrateOut), raw(s.bitrateOut)] },
  { id: 'loss', label: 'stats.row.loss', show: (s) => [formatLoss(s.lossPercent, s.packetsLost), raw(s.packetsLost)] },
  { id: 'rtt', label: 'stats.row.rtt', show: (s) => [formatMs(s.rttMs), raw(s.rttMs)] },
  { id: 'jitter', label: 'stats.row.jitter', show: (s) => [formatMs(s.jitterMs), raw(s.jitterMs)] },
  { id: 'video-in', label: 'stats.row.videoIn', show: (s) => [formatVideo(s.videoIn), raw(s.videoIn?.framesPerSecond)] },
  { id: 'video-out', label: 'stats.row.videoOut', show: (s) => [formatVideo(s.videoOut), raw(s.videoOut?.framesPerSecond)] },
  { id: 'codec-video-in', label: 'stats.row.codecVideoIn', show: (s) => [codecLabel(s.codecs.videoIn), raw(s.codecs.videoIn)] },
  {
    id: 'codec-video-out',
    label: 'stats.row.codecVideoOut',
    show: (s) => [codecLabel(s.codecs.videoOut), raw(s.codecs.videoOut)],
  },
  { id: 'codec-audio-in', label: 'stats.row.codecAudioIn', show: (s) => [codecLabel(s.codecs.audioIn), raw(s.codecs.audioIn)] },
  {
    id: 'codec-audio-out',
    label: 'stats.row.codecAudioOut',
    show: (s) => [codecLabel(s.codecs.audioOut), raw(s.codecs.audioOut)],
  },
  { id: 'local', label: 'stats.row.local', show: (s) => [candidateLabel(s.pair?.localType ?? null), raw(s.pair?.localType)] },
  { id: 'remote', label: 'stats.row.remote', show: (s) => [candidateLabel(s.pair?.remoteType ?? null), raw(s.pair?.remoteType)] },
  { id: 'protocol', label: 'stats.row.protocol', show: (s) => [protocolLabel(s.pair?.protocol ?? null), raw(s.pair?.protocol)] },
  {
    id: 'relay-protocol',
    label: 'stats.row.relayProtocol',
    show: (s) => [protocolLabel(s.pair?.relayProtocol ?? null), raw(s.pair?.relayProtocol)],
  },
];

export interface StatsValues {
  el: HTMLElement;
  update(sample: StatsSample | null): void;
}

export function createStatsValues(): StatsValues {
  const cells = new Map<string, { row: HTMLElement; value: HTMLElement }>();
  const el = h('dl', { class: 'stats-values', testid: 'stats-values' });
  for (const row of ROWS) {
    const value = h('dd', { testid: `stats-${row.id}`, text: NO_VALUE });
    const wrap = h('div', { class: 'stats-row' }, h('dt', { text: t(row.label) }), value);
    el.append(wrap);
    cells.set(row.id, { row: wrap, value });
  }
  return {
    el,
    update(sample) {
      for (const row of ROWS) {
        const cell = cells.get(row.id);
        if (cell === undefined) {
          continue;
        }
        const [text, value] = sample === null ? [NO_VALUE, ''] : row.show(sample);
        cell.value.textContent = text;
        cell.value.dataset['value'] = value;
        if (row.id === 'quality') {
          cell.row.dataset['quality'] = value;
        }
      }
      // The relay's protocol only means something when we relay.
      const relayRow = cells.get('relay-protocol')?.row;
      if (relayRow !== undefined) {
        relayRow.hidden = sample?.pair?.localType !== 'relay';
      }
    },
  };
}
