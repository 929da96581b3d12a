/**
 * A presenter's upload health: how the SDK measures what this client sends (room.uploadStats()), rated good, fair or
 * poor, with the numbers, refreshed every two seconds while presenting.
 */
import type { Room, UploadStats } from '@rendezvous/client';
import { formatDuration, formatNumber, t } from '../i18n/index.js';
import { h } from '../ui/dom.js';

export type { UploadStats };

export type HealthLevel = 'good' | 'fair' | 'poor' | 'none';

const INTERVAL_MS = 2000;

/** The one call into the SDK's upload statistics (null while nothing is sent). */
export function readUploadStats(room: Room): Promise<UploadStats | null> {
  return room.uploadStats();
}

/** Poor past 5 % loss or 400 ms round trip; fair past 1 % or 200 ms, or when the encoder says it is held back. */
export function healthLevel(stats: UploadStats | null): HealthLevel {
  if (stats === null) {
    return 'none';
  }
  const loss = stats.packetLossPercent ?? 0;
  const rtt = stats.rttMs ?? 0;
  if (loss >= 5 || rtt >= 400) {
    return 'poor';
  }
  if (loss >= 1 || rtt >= 200 || stats.limitedBy !== null) {
    return 'fair';
  }
  return 'good';
}

/** The numbers, in the current language: "2,450 kbps · 0.4% loss · 38 ms round trip · 1280×720 · 30 fps". */
export function healthDetails(stats: UploadStats): string[] {
  const parts = [t('live.kbps', { value: formatNumber(Math.round(stats.bitrateKbps)) })];
  if (stats.packetLossPercent !== null) {
    const value = formatNumber(stats.packetLossPercent / 100, { style: 'percent', maximumFractionDigits: 1 });
    parts.push(t('live.loss', { value }));
  }
  if (stats.rttMs !== null) {
    parts.push(t('live.rtt', { value: formatDuration(stats.rttMs) }));
  }
  if (stats.frameWidth !== null && stats.frameHeight !== null) {
    parts.push(t('live.size', { width: String(stats.frameWidth), height: String(stats.frameHeight) }));
  }
  if (stats.framesPerSecond !== null) {
    parts.push(t('live.fps', { value: formatNumber(Math.round(stats.framesPerSecond)) }));
  }
  if (stats.limitedBy !== null) {
    parts.push(t(`live.limited.${stats.limitedBy}`));
  }
  return parts;
}

export interface HealthBar {
  el: HTMLElement;
  /** Starts (presenting) or stops (watching) measuring; hidden while stopped. */
  setActive(active: boolean): void;
  relabel(): void;
  destroy(): void;
}

export function createHealthBar(room: Room): HealthBar {
  const label = h('span', { class: 'live-health-label' });
  const level = h('span', { class: 'live-health-level', testid: 'live-health-level' });
  const details = h('span', { class: 'live-health-details', testid: 'live-health-details' });
  const el = h('div', { class: 'live-health', testid: 'live-health', role: 'status', hidden: true }, label, level, details);
  let stats: UploadStats | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let generation = 0;

  const render = (): void => {
    const rated = healthLevel(stats);
    el.dataset['level'] = rated;
    label.textContent = t('live.health');
    el.title = t('live.healthTitle');
    level.textContent = t(`live.health.${rated}`);
    details.textContent = stats === null ? '' : healthDetails(stats).join(' · ');
  };
  const sample = (): void => {
    const mine = generation;
    readUploadStats(room).then(
      (next) => {
        if (mine === generation) {
          stats = next;
          render();
        }
      },
      () => undefined,
    );
  };
  const stop = (): void => {
    generation++;
    if (timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
  render();
  return {
    el,
    setActive(active) {
      el.hidden = !active;
      if (active && timer === null) {
        stats = null;
        render();
        sample();
        timer = setInterval(sample, INTERVAL_MS);
      } else if (!active) {
        stop();
      }
    },
    relabel: render,
    destroy: stop,
  };
}
