/** Sizes, rates, percentages and time left for file transfers, formatted by Intl in the current language. */
import { formatNumber } from '../i18n/index.js';

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** The unit (decimal, as Intl names them) and the value in it: 2_500_000 -> [2.5, 'megabyte']. */
function scaled(bytes: number): [number, (typeof BYTE_UNITS)[number]] {
  let value = Math.max(0, bytes);
  let index = 0;
  while (value >= 1000 && index < BYTE_UNITS.length - 1) {
    value /= 1000;
    index++;
  }
  return [value, BYTE_UNITS[index]!];
}

const digitsFor = (value: number, unit: string): number => (unit === 'byte' || value >= 100 ? 0 : 1);

/** "2.5 MB", "812 kB", "17B" (the words are Intl's; 'short' spells out "byte" in English, 'narrow' does not). */
export function formatBytes(bytes: number): string {
  const [value, unit] = scaled(bytes);
  const unitDisplay = unit === 'byte' ? 'narrow' : 'short';
  return formatNumber(value, { style: 'unit', unit, unitDisplay, maximumFractionDigits: digitsFor(value, unit) });
}

/** "1.2 MB/s". */
export function formatRate(bytesPerSecond: number): string {
  const [value, unit] = scaled(bytesPerSecond);
  return formatNumber(value, {
    style: 'unit',
    unit: `${unit}-per-second`,
    unitDisplay: 'short',
    maximumFractionDigits: digitsFor(value, unit),
  });
}

/** "45%" (whole percent, never 100 before the end: 99.6 shows as 99). */
export function formatPercent(percent: number): string {
  const whole = percent >= 100 ? 100 : Math.floor(Math.max(0, percent));
  return formatNumber(whole / 100, { style: 'percent', maximumFractionDigits: 0 });
}

/** Time left, rounded up: "8 sec", "3 min", "1.5 hr". */
export function formatTimeLeft(seconds: number): string {
  if (seconds < 60) {
    return formatNumber(Math.max(1, Math.ceil(seconds)), { style: 'unit', unit: 'second', unitDisplay: 'short' });
  }
  if (seconds < 3600) {
    return formatNumber(Math.ceil(seconds / 60), { style: 'unit', unit: 'minute', unitDisplay: 'short' });
  }
  return formatNumber(seconds / 3600, { style: 'unit', unit: 'hour', unitDisplay: 'short', maximumFractionDigits: 1 });
}
