import type ndc from 'node-datachannel';
import type { SfuSource } from '@rendezvous/protocol';
import type { SfuCounters } from './counters.js';
import type { Endpoint } from './endpoint.js';
import type { OfferCodec } from './offer.js';
import { randomSsrc } from './ssrc.js';
import { sendPacket } from './send.js';
import {
  buildNack,
  buildPli,
  buildReceiverReport,
  buildRemb,
  isRtcp,
  keepExtension,
  NackTracker,
  ntpMiddle32,
  PacketCache,
  parseRtcp,
  readAudioLevel,
  ReceiveStats,
  rtpPayloadType,
  rtpSequence,
  rtpSsrc,
  rtpTimestamp,
  type LastSenderReport,
} from './rtp/index.js';

/** Video packets a publication keeps for retransmission: about 3 s of 720p, 1 s of a 1080p screen. */
export const RETRANSMIT_CACHE_PACKETS = 1024;

/** Where a publication's packets go: one output of one subscription. */
export interface PublicationSink {
  forward(packet: Buffer, from: Publication, nowMs: number): void;
}

/** The publisher's last sender report: its NTP time for one of its RTP timestamps, and when it arrived here. */
export interface SourceClock {
  ntpSec: number;
  ntpFrac: number;
  rtpTimestamp: number;
  atMs: number;
}

export interface PublicationOptions {
  peerId: string;
  source: SfuSource;
  kind: 'audio' | 'video';
  codec: OfferCodec;
  /** The SSRC the offer declares for the line (0: none; learned from the packets). */
  ssrc: number;
  /** Id of the audio-level header extension in the publisher's packets (0: none). */
  audioLevelId: number;
  endpoint: Endpoint;
  track: ndc.Track;
  counters: SfuCounters;
  now(): number;
  /** Least time between two PLIs sent to the publisher. */
  keyframeIntervalMs: number;
  /** The most the publisher is asked to send (REMB), in bit/s. */
  maxBitrate: number;
}

/**
 * One published source: the server side of the publisher's connection, the stream it carries, and the sinks that
 * receive each of its packets. It answers for the stream upstream: receiver reports, NACKs for packets lost on the
 * way in, throttled keyframe requests, and REMB from the subscribers' estimates.
 */
export class Publication {
  readonly peerId: string;
  readonly source: SfuSource;
  readonly kind: 'audio' | 'video';
  readonly codec: OfferCodec;
  readonly endpoint: Endpoint;
  /** The SSRC the publisher sends with: declared in its offer, else learned from its packets (0 before the first). */
  ssrc: number;
  /** The latest audio level, in -dBov (0 loudest, 127 silence); 127 for video or without the extension. */
  audioLevel = 127;
  /** The publisher's last sender report (null before the first). */
  clock: SourceClock | null = null;
  readonly #options: PublicationOptions;
  readonly #track: ndc.Track;
  readonly #sinks = new Set<PublicationSink>();
  readonly #stats = new ReceiveStats();
  readonly #nacks: NackTracker;
  /**
   * The last packets received (video), by sequence number: every subscription answers its NACKs from here, rewriting
   * the packet again, so a stream keeps one cache however many watch it.
   */
  readonly #recent: PacketCache | null;
  readonly #senderSsrc = randomSsrc();
  /** Bit rates subscribers' receivers estimate (REMB), by sink. */
  readonly #estimates = new Map<PublicationSink, number>();
  #lastSr: LastSenderReport | undefined;
  #lastPliAt = Number.NEGATIVE_INFINITY;
  #keyframePending = false;
  #lastNackCheck = 0;
  #closed = false;
  /** The packet being forwarded, and its outgoing forms by kept extension id (see `outgoing`). */
  #forwarding: Buffer | null = null;
  readonly #outgoing = new Map<number, Buffer>();

  constructor(options: PublicationOptions) {
    this.#options = options;
    this.peerId = options.peerId;
    this.source = options.source;
    this.kind = options.kind;
    this.codec = options.codec;
    this.ssrc = options.ssrc;
    this.endpoint = options.endpoint;
    this.#track = options.track;
    this.#nacks = new NackTracker({ retryIntervalMs: 50, maxAgeMs: 1000 });
    this.#recent = options.kind === 'video' ? new PacketCache(RETRANSMIT_CACHE_PACKETS) : null;
    this.#track.onMessage((packet) => this.#onPacket(packet));
  }

  get clockRate(): number {
    return this.codec.clockRate;
  }

  /** Id of the audio-level header extension in the publisher's packets (0: none). */
  get audioLevelId(): number {
    return this.#options.audioLevelId;
  }

  get sinkCount(): number {
    return this.#sinks.size;
  }

  addSink(sink: PublicationSink): void {
    this.#sinks.add(sink);
    this.requestKeyframe();
  }

  removeSink(sink: PublicationSink): void {
    this.#sinks.delete(sink);
    this.#estimates.delete(sink);
  }

  /** A subscriber's receiver estimates it can take `bitrate` bit/s of this stream. */
  setEstimate(sink: PublicationSink, bitrate: number): void {
    this.#estimates.set(sink, bitrate);
  }

  /** Asks the publisher for a keyframe: at once, or once the throttle allows (never more than one per interval). */
  requestKeyframe(): void {
    if (this.kind !== 'video' || this.#closed) {
      return;
    }
    const now = this.#options.now();
    if (this.ssrc === 0 || now - this.#lastPliAt < this.#options.keyframeIntervalMs) {
      this.#keyframePending = true;
      return;
    }
    this.#keyframePending = false;
    this.#lastPliAt = now;
    this.#options.counters.plisSent++;
    sendPacket(this.#track, buildPli(this.#senderSsrc, this.ssrc), this.#options.counters);
  }

  /** Once a second: a receiver report (and REMB for video) to the publisher. */
  tick(nowMs: number): void {
    if (this.#closed || this.ssrc === 0) {
      return;
    }
    const block = this.#stats.reportBlock(this.ssrc, nowMs, this.#lastSr);
    const packets = [buildReceiverReport(this.#senderSsrc, block === null ? [] : [block])];
    if (this.kind === 'video') {
      packets.push(buildRemb(this.#senderSsrc, this.#bitrate(), [this.ssrc]));
    }
    sendPacket(this.#track, Buffer.concat(packets), this.#options.counters);
  }

  /**
   * `packet` (the one being forwarded) as subscribers receive it before their own header: its extensions reduced to
   * the audio level renumbered `keptId` (0: none), see keepExtension. Made once per packet and id, whatever the
   * number of subscribers; the source's sequence number, timestamp and SSRC are still in it. Never modified.
   */
  outgoing(packet: Buffer, keptId: number): Buffer {
    if (packet !== this.#forwarding) {
      this.#forwarding = packet;
      this.#outgoing.clear();
    }
    let out = this.#outgoing.get(keptId);
    if (out === undefined) {
      out = keepExtension(packet, this.#options.audioLevelId, keptId);
      this.#outgoing.set(keptId, out);
    }
    return out;
  }

  /** The packet received under `seq` (video, among the last RETRANSMIT_CACHE_PACKETS), for a retransmission. */
  recent(seq: number): Buffer | undefined {
    return this.#recent?.get(seq);
  }

  /** Idempotent; the owner unbinds the sinks. */
  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    this.#sinks.clear();
    this.#estimates.clear();
    this.#recent?.clear();
    this.#outgoing.clear();
    this.#forwarding = null;
    this.endpoint.close();
  }

  #bitrate(): number {
    let bitrate = this.#options.maxBitrate;
    for (const estimate of this.#estimates.values()) {
      bitrate = Math.min(bitrate, estimate);
    }
    return Math.max(bitrate, 30_000);
  }

  #onPacket(packet: Buffer): void {
    if (this.#closed || packet.length < 12) {
      return;
    }
    if (isRtcp(packet)) {
      this.#onRtcp(packet);
      return;
    }
    if (rtpPayloadType(packet) !== this.codec.pt) {
      return; // a payload type the answer did not accept
    }
    const now = this.#options.now();
    const counters = this.#options.counters;
    counters.receivedPackets++;
    counters.receivedBytes += packet.length;
    this.ssrc = rtpSsrc(packet);
    const seq = rtpSequence(packet);
    this.#stats.onPacket(seq, rtpTimestamp(packet), now, this.codec.clockRate);
    if (this.kind === 'video') {
      this.#recent?.put(seq, packet); // node-datachannel hands each message over in a buffer of its own
      this.#nacks.onPacket(seq, now);
      this.#upstreamRepair(now);
    } else if (this.#options.audioLevelId !== 0) {
      this.audioLevel = readAudioLevel(packet, this.#options.audioLevelId)?.level ?? this.audioLevel;
    }
    for (const sink of this.#sinks) {
      sink.forward(packet, this, now);
    }
  }

  /** NACKs what went missing on the way in, and sends a keyframe request the throttle held back. */
  #upstreamRepair(now: number): void {
    if (this.#keyframePending && now - this.#lastPliAt >= this.#options.keyframeIntervalMs) {
      this.requestKeyframe();
    }
    if (this.#nacks.size === 0 || now - this.#lastNackCheck < 20) {
      return;
    }
    this.#lastNackCheck = now;
    const due = this.#nacks.due(now);
    if (due.length > 0) {
      this.#options.counters.nacksSent++;
      sendPacket(this.#track, buildNack(this.#senderSsrc, this.ssrc, due), this.#options.counters);
    }
  }

  #onRtcp(packet: Buffer): void {
    for (const item of parseRtcp(packet)) {
      if (item.type === 'sr' && (this.ssrc === 0 || item.ssrc === this.ssrc)) {
        const atMs = this.#options.now();
        this.clock = { ntpSec: item.ntpSec, ntpFrac: item.ntpFrac, rtpTimestamp: item.rtpTimestamp, atMs };
        this.#lastSr = { ntpMiddle32: ntpMiddle32(item.ntpSec, item.ntpFrac), atMs };
      }
    }
  }
}
