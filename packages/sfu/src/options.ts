import type { ChildLogger, Clock } from '@rendezvous/common';
import type { Registry } from 'prom-client';
import type { VideoCodecName } from './codecs.js';

/** What one SFU may hold: every connection counts (a publication or a subscription is one). */
export interface SfuLimits {
  /** Media connections in all. */
  maxConnections: number;
  /** Media connections of clients behind one network address. */
  maxConnectionsPerAddress: number;
  /** A connection that has not connected this long after its answer is closed (and its client told: `sfu-closed`). */
  connectTimeoutMs: number;
}

export interface SfuOptions {
  /** The one UDP port every connection uses (ICE UDP mux). Default 40000. */
  port?: number;
  /** Address the port binds to. Default 0.0.0.0. */
  bindAddress?: string;
  /** Addresses written into answers instead of the gathered ones (the server's public address behind a NAT). */
  announcedAddresses?: readonly string[];
  /** Video codecs taken from publishers, in order of preference. Default VP8, H.264, VP9. */
  videoCodecs?: readonly VideoCodecName[];
  /** Least time between two keyframe requests sent to one publisher. Default 300 ms. */
  keyframeIntervalMs?: number;
  /** The most a video publisher is asked to send (REMB), bit/s. Default 2,500,000. */
  maxPublishBitrate?: number;
  limits?: Partial<SfuLimits>;
  log?: ChildLogger;
  clock?: Clock;
  /** Where the `rendezvous_sfu_*` metrics are registered. */
  registry?: Registry;
  /** Test hook: called for each forwarded packet; true drops it after it was cached (a lossy network, for NACK tests). */
  dropForwarded?: (packet: Buffer) => boolean;
}

export const DEFAULT_SFU_LIMITS: SfuLimits = {
  maxConnections: 2000,
  maxConnectionsPerAddress: 64,
  connectTimeoutMs: 15_000,
};

export const DEFAULT_SFU_PORT = 40_000;
