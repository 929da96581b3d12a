import type { VideoCodecName } from './codecs.js';
import type { ConnectionSlots } from './connection-slots.js';
import type { SfuCounters } from './counters.js';
import type { EndpointNetwork } from './endpoint.js';

/** What every room of one SFU shares: its network, limits, counters and policy. */
export interface SfuContext {
  readonly network: EndpointNetwork;
  readonly slots: ConnectionSlots;
  readonly counters: SfuCounters;
  readonly videoCodecs: readonly VideoCodecName[];
  readonly connectTimeoutMs: number;
  readonly answerTimeoutMs: number;
  now(): number;
  /** Passed to each publication. */
  readonly publication: { counters: SfuCounters; now(): number; keyframeIntervalMs: number; maxBitrate: number };
  readonly dropForwarded: ((packet: Buffer) => boolean) | undefined;
}
