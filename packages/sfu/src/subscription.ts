import type ndc from 'node-datachannel';
import type { SfuGroup } from '@rendezvous/protocol';
import { audioLevelId, pickSubscribeCodec } from './codecs.js';
import type { SfuCounters } from './counters.js';
import type { Endpoint } from './endpoint.js';
import type { OfferMedia } from './offer.js';
import type { Publication, PublicationSink } from './publication.js';
import { sendPacket } from './send.js';
import { senderReportFor } from './sender-report.js';
import { buildSenderReport, keepExtension, parseRtcp, StreamRewriter } from './rtp/index.js';

export interface OutputOptions {
  kind: 'audio' | 'video';
  /** The subscriber's media line (every codec it offers that the SFU forwards is in the answer). */
  offer: OfferMedia;
  ssrc: number;
  track: ndc.Track;
  counters: SfuCounters;
  /** Test hook: drop this forwarded packet on the way out (counted as forwarded, as if the network lost it). */
  drop?: ((packet: Buffer) => boolean) | undefined;
}

/**
 * One media line of a subscription: what the subscriber receives of one kind, from whichever publication is bound
 * to it now. It rewrites each packet into one continuous stream (audio keeps its level extension, RFC 6464, under the
 * subscriber's id, so the subscriber's receiver reports the publisher's level), answers NACKs by rewriting the
 * publication's cached packets again, turns the subscriber's keyframe requests and estimates into requests to the
 * publication, and sends sender reports.
 */
export class SubscriptionOutput implements PublicationSink {
  readonly kind: 'audio' | 'video';
  readonly ssrc: number;
  readonly #options: OutputOptions;
  readonly #rewriter: StreamRewriter;
  readonly #keptExtensionId: number;
  #source: Publication | null = null;
  /** Subscriber-side payload type for the bound publication's codec (-1: none bound, or it cannot take it). */
  #pt = -1;
  /** What the subscriber's last receiver report said of this stream. */
  lost = 0;
  jitter = 0;

  constructor(options: OutputOptions) {
    this.#options = options;
    this.kind = options.kind;
    this.ssrc = options.ssrc;
    // The answer accepts the audio line's level extension under the offer's id (see Endpoint.addMedia).
    this.#keptExtensionId = options.kind === 'audio' ? audioLevelId(options.offer) : 0;
    // Extensions are reduced once per packet by the publication (`outgoing`), and the copy is written into the
    // rewriters' shared buffer, sent at once.
    this.#rewriter = new StreamRewriter({ ssrc: options.ssrc, payloadType: 0, reuseOutput: true });
    options.track.onMessage((packet) => this.#onRtcp(packet));
  }

  get source(): Publication | null {
    return this.#source;
  }

  /** Forwards `publication` from now on (null: nothing). False when the subscriber cannot decode its codec. */
  bind(publication: Publication | null): boolean {
    if (this.#source === publication) {
      return true;
    }
    this.#source?.removeSink(this);
    this.#source = null;
    this.#pt = -1;
    if (publication === null) {
      return true;
    }
    const codec = pickSubscribeCodec(this.#options.offer, publication.codec);
    if (codec === null) {
      return false;
    }
    this.#pt = codec.pt;
    this.#rewriter.payloadType = codec.pt;
    this.#source = publication;
    publication.addSink(this);
    return true;
  }

  forward(packet: Buffer, from: Publication, nowMs: number): void {
    if (from !== this.#source || this.#pt < 0) {
      return;
    }
    const out = this.#rewriter.rewrite(from.outgoing(packet, this.#keptExtensionId), nowMs, from.clockRate);
    if (out === null) {
      return;
    }
    const counters = this.#options.counters;
    counters.forwardedPackets++;
    counters.forwardedBytes += out.length;
    if (this.#options.drop?.(out) === true) {
      return;
    }
    sendPacket(this.#options.track, out, counters);
  }

  /** A sender report for what went out, on the publisher's clock when it sent one (so audio and video stay in sync). */
  tick(nowMs: number): void {
    const source = this.#source;
    if (source === null || this.#rewriter.lastOutput === null) {
      return;
    }
    const report = senderReportFor(this.#rewriter, source, nowMs);
    if (report !== null) {
      sendPacket(this.#options.track, buildSenderReport(report), this.#options.counters);
    }
  }

  close(): void {
    this.bind(null);
  }

  #onRtcp(packet: Buffer): void {
    const counters = this.#options.counters;
    for (const item of parseRtcp(packet)) {
      switch (item.type) {
        case 'pli':
        case 'fir':
          if (item.type === 'fir' ? item.entries.some((entry) => entry.ssrc === this.ssrc) : item.mediaSsrc === this.ssrc) {
            counters.keyframeRequests++;
            this.#source?.requestKeyframe();
          }
          break;
        case 'nack':
          if (item.mediaSsrc === this.ssrc) {
            this.#resend(item.seqs);
          }
          break;
        case 'remb':
          if (item.ssrcs.includes(this.ssrc)) {
            this.#source?.setEstimate(this, item.bitrate);
          }
          break;
        case 'rr':
        case 'sr':
          for (const report of item.reports) {
            if (report.ssrc === this.ssrc) {
              this.lost = report.cumulativeLost;
              this.jitter = report.jitter;
            }
          }
          break;
      }
    }
  }

  #resend(seqs: readonly number[]): void {
    const counters = this.#options.counters;
    const source = this.#source;
    for (const seq of seqs) {
      counters.nackedPackets++;
      const from = source === null ? null : this.#rewriter.sourceSequence(seq);
      const original = from === null ? undefined : source?.recent(from);
      const packet =
        original === undefined
          ? null
          : this.#rewriter.again(keepExtension(original, source?.audioLevelId ?? 0, this.#keptExtensionId));
      if (packet !== null && sendPacket(this.#options.track, packet, counters)) {
        counters.retransmittedPackets++;
      }
    }
  }
}

/** A subscriber's connection for one member's group: an audio and a video output. */
export class Subscription {
  readonly subscriberId: string;
  readonly publisherId: string;
  readonly group: SfuGroup;
  readonly endpoint: Endpoint;
  readonly outputs: readonly SubscriptionOutput[];

  constructor(
    ids: { subscriberId: string; publisherId: string; group: SfuGroup },
    endpoint: Endpoint,
    outputs: SubscriptionOutput[],
  ) {
    this.subscriberId = ids.subscriberId;
    this.publisherId = ids.publisherId;
    this.group = ids.group;
    this.endpoint = endpoint;
    this.outputs = outputs;
  }

  output(kind: 'audio' | 'video'): SubscriptionOutput | undefined {
    return this.outputs.find((output) => output.kind === kind);
  }

  tick(nowMs: number): void {
    for (const output of this.outputs) {
      output.tick(nowMs);
    }
  }

  /** Idempotent. */
  close(): void {
    for (const output of this.outputs) {
      output.close();
    }
    this.endpoint.close();
  }
}
