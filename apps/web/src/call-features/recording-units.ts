/** How long a recording has run and how big it is, in the current language (Intl). */
import { formatNumber } from '../i18n/index.js';

const twoDigits = (value: number): string => formatNumber(value, { minimumIntegerDigits: 2, useGrouping: false });

/** "0:07", "12:34", "1:02:03". */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const tail = `${twoDigits(seconds)}`;
  return hours > 0
    ? `${formatNumber(hours, { useGrouping: false })}:${twoDigits(minutes)}:${tail}`
    : `${formatNumber(minutes, { useGrouping: false })}:${tail}`;
}

/** "512 kB", "3.4 MB", "1.2 GB" (decimal units, as files are usually shown). */
export function formatSize(bytes: number): string {
  const short = { style: 'unit', unitDisplay: 'short' } as const;
  if (bytes < 1e6) {
    return formatNumber(Math.round(bytes / 1e3), { ...short, unit: 'kilobyte' });
  }
  if (bytes < 1e9) {
    return formatNumber(bytes / 1e6, { ...short, unit: 'megabyte', maximumFractionDigits: 1 });
  }
  return formatNumber(bytes / 1e9, { ...short, unit: 'gigabyte', maximumFractionDigits: 2 });
}
