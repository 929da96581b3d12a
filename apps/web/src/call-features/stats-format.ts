/** The stats panel's values in words: bitrates, delays, video size and rate, codecs, candidate types. */
import type { CandidatePairDetail, VideoFlow } from '@rendezvous/client';
import { formatDuration, formatNumber, t } from '../i18n/index.js';

/** What shows where the browser reports nothing. */
export const NO_VALUE = '—';

/** Bits per second as kbit/s, or Mbit/s from 1 Mbit/s up. */
export function formatBitrate(bitsPerSecond: number | null): string {
  if (bitsPerSecond === null) {
    return NO_VALUE;
  }
  if (bitsPerSecond >= 1_000_000) {
    return t('stats.mbps', { value: formatNumber(bitsPerSecond / 1_000_000, { maximumFractionDigits: 2 }) });
  }
  return t('stats.kbps', { value: formatNumber(bitsPerSecond / 1000, { maximumFractionDigits: 0 }) });
}

export function formatMs(ms: number | null): string {
  return ms === null ? NO_VALUE : formatDuration(ms);
}

export function formatLoss(percent: number | null, count: number | null): string {
  if (percent === null || count === null) {
    return NO_VALUE;
  }
  const shown = formatNumber(percent / 100, { style: 'percent', maximumFractionDigits: 1 });
  return t('stats.lossValue', { percent: shown, count });
}

export function formatVideo(flow: VideoFlow | null): string {
  if (flow === null) {
    return NO_VALUE;
  }
  const fps = formatNumber(flow.framesPerSecond, { maximumFractionDigits: 0 });
  return t('stats.video', { width: String(flow.width), height: String(flow.height), fps });
}

/** A codec as people write it: `H264` -> `H.264`; others as the SDK names them. */
export function codecLabel(codec: string | null): string {
  if (codec === null) {
    return NO_VALUE;
  }
  return codec.toUpperCase() === 'H264' ? 'H.264' : codec;
}

/** A candidate type in words with the raw token: "Local network (host)". */
export function candidateLabel(type: CandidatePairDetail['localType']): string {
  return type === null ? NO_VALUE : t(`stats.candidate.${type}`, { type });
}

/** `udp` -> `UDP`. */
export function protocolLabel(protocol: string | null): string {
  return protocol === null ? NO_VALUE : protocol.toUpperCase();
}

/** Seconds relative to now on the charts' time axis: "-30 s" / "-30秒". */
export function formatSecondsAgo(seconds: number): string {
  return formatNumber(Math.round(seconds), { style: 'unit', unit: 'second', unitDisplay: 'narrow' });
}
