export {
  StatsSampler,
  type StatsExport,
  type StatsPeer,
  type StatsSamplerEvents,
  type StatsSamplerOptions,
} from './stats-sampler.js';
export type { StatsSample } from './stats-sample.js';
export type { CodecsInUse, VideoFlow } from './stats-snapshot.js';
export {
  DEFAULT_QUALITY_THRESHOLDS,
  qualityOf,
  type Quality,
  type QualityLimits,
  type QualityMeasures,
  type QualityThresholds,
} from './quality.js';
export type { UploadStats } from './upload-stats.js';
