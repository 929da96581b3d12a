/** A peer's call quality at a glance, for a badge on its tile. */
export type Quality = 'excellent' | 'good' | 'poor' | 'lost';

/** Upper bounds (exclusive) for one quality level. */
export interface QualityLimits {
  rttMs: number;
  /** Inbound packets lost, percent of those expected, over the quality window. */
  lossPercent: number;
  jitterMs: number;
}

/**
 * `excellent` when every measure is under the `excellent` limits, else `good` when every one is under the
 * `good` limits, else `poor`. A measure the browser does not report (null) does not lower the level.
 */
export interface QualityThresholds {
  excellent: QualityLimits;
  good: QualityLimits;
}

/**
 * Defaults, after ITU-T G.114 (one-way delay under 150 ms is transparent for conversation, so a round
 * trip under 150 ms leaves ample room) and common VoIP guidance (under 1% loss and 20 ms jitter is
 * clean; 5% loss and 50 ms jitter is where audio concealment starts to be heard).
 */
export const DEFAULT_QUALITY_THRESHOLDS: QualityThresholds = {
  excellent: { rttMs: 150, lossPercent: 1, jitterMs: 20 },
  good: { rttMs: 300, lossPercent: 5, jitterMs: 50 },
};

export interface QualityMeasures {
  rttMs: number | null;
  lossPercent: number | null;
  jitterMs: number | null;
}

function within(measures: QualityMeasures, limits: QualityLimits): boolean {
  const under = (value: number | null, limit: number): boolean => value === null || value < limit;
  return (
    under(measures.rttMs, limits.rttMs) &&
    under(measures.lossPercent, limits.lossPercent) &&
    under(measures.jitterMs, limits.jitterMs)
  );
}

/** The level of a connection that is delivering packets (`lost` is decided by the sampler, from arrivals). */
export function qualityOf(
  measures: QualityMeasures,
  thresholds: QualityThresholds = DEFAULT_QUALITY_THRESHOLDS,
): Exclude<Quality, 'lost'> {
  if (within(measures, thresholds.excellent)) {
    return 'excellent';
  }
  return within(measures, thresholds.good) ? 'good' : 'poor';
}
