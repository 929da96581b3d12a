import { RendezvousError, SFU_SOURCES, type SfuGroup, type SfuSource } from '@rendezvous/protocol';
import { openBundle, readBundle } from './bundle.js';
import { forwardableCodecs, pickPublishCodec } from './codecs.js';
import { Endpoint, type EndpointState } from './endpoint.js';
import { parseOffer, type OfferMedia } from './offer.js';
import type { Publication } from './publication.js';
import { publishLine } from './publish-line.js';
import type { SfuContext } from './sfu-context.js';
import { randomSsrc } from './ssrc.js';
import { Subscription, SubscriptionOutput } from './subscription.js';

/** What a room tells its owner (the signaling room): what a member publishes changed, or a connection failed. */
export interface SfuRoomEvents {
  sourcesChanged(peerId: string, sources: SfuSource[]): void;
  /** The server closed `peerId`'s connection on its own: its publication of `source`, or its subscription to `publisherId`'s `group`. */
  failed(peerId: string, what: { source: SfuSource } | { publisherId: string; group: SfuGroup }): void;
}

interface Held<T> {
  value: T;
  release: () => void;
  createdAt: number;
}

const subscriptionKey = (publisherId: string, group: SfuGroup): string => `${group}:${publisherId}`;

/**
 * The SFU side of one room: each member's publications (one connection per source) and subscriptions (one connection
 * per member and group it receives), and which publication feeds which subscription output. It owns them all and
 * closes them with the room.
 */
export class SfuRoom {
  readonly name: string;
  readonly #ctx: SfuContext;
  readonly #events: SfuRoomEvents;
  readonly #publications = new Map<string, Map<SfuSource, Held<Publication>>>();
  readonly #subscriptions = new Map<string, Map<string, Held<Subscription>>>();
  #closed = false;

  readonly #onClosed: () => void;

  /** `onClosed` runs once, when the room closes. */
  constructor(name: string, ctx: SfuContext, events: SfuRoomEvents, onClosed: () => void = () => {}) {
    this.name = name;
    this.#ctx = ctx;
    this.#events = events;
    this.#onClosed = onClosed;
  }

  /** What `peerId` publishes now. */
  sources(peerId: string): SfuSource[] {
    return [...(this.#publications.get(peerId)?.keys() ?? [])];
  }

  /** Members that publish something. */
  publishers(): string[] {
    return [...this.#publications.keys()];
  }

  get subscriptionCount(): number {
    let count = 0;
    for (const map of this.#subscriptions.values()) {
      count += map.size;
    }
    return count;
  }

  get connectionCount(): number {
    let count = 0;
    for (const map of this.#publications.values()) {
      count += map.size;
    }
    for (const map of this.#subscriptions.values()) {
      count += map.size;
    }
    return count;
  }

  /** Answers `peerId`'s offer to publish `source`, replacing its earlier publication of it. */
  async publish(peerId: string, address: string, source: SfuSource, offer: string): Promise<string> {
    const kind = SFU_SOURCES[source].kind;
    const lines = parseOffer(offer);
    const media = lines[0];
    if (lines.length !== 1 || media?.kind !== kind || (media.direction !== 'sendonly' && media.direction !== 'sendrecv')) {
      throw new RendezvousError('SFU_BAD_OFFER', `Publish ${source} with one sending ${kind} line`);
    }
    const codec = pickPublishCodec(media, this.#ctx.videoCodecs);
    if (codec === null) {
      throw new RendezvousError('SFU_CODEC_UNSUPPORTED', `No ${kind} codec the SFU forwards`);
    }
    this.#checkOpen();
    const release = this.#ctx.slots.take(address);
    const endpoint = new Endpoint(`pub:${peerId}:${source}`, this.#ctx.network, (state) =>
      this.#publicationState(peerId, source, state),
    );
    const publication = publishLine(endpoint, { peerId, source, kind, media, codec }, this.#ctx);
    this.#dropPublication(peerId, source, false);
    const map = this.#publications.get(peerId) ?? new Map<SfuSource, Held<Publication>>();
    this.#publications.set(peerId, map);
    map.set(source, { value: publication, release, createdAt: this.#ctx.now() });
    try {
      const answer = await endpoint.answer(offer, this.#ctx.answerTimeoutMs);
      this.#checkCurrent(map.get(source)?.value === publication);
      this.#bindPublication(publication);
      this.#events.sourcesChanged(peerId, this.sources(peerId));
      return answer;
    } catch (error) {
      if (map.get(source)?.value === publication) {
        this.#dropPublication(peerId, source, false);
      }
      throw error;
    }
  }

  /**
   * Answers an offer that publishes `peerId`'s camera, audio and video lines, over one connection (a WHIP client's):
   * one publication per line, as if each were published alone, replacing earlier ones of the same sources.
   */
  async publishBundle(peerId: string, address: string, offer: string): Promise<string> {
    const lines = readBundle(offer, this.#ctx.videoCodecs);
    this.#checkOpen();
    const release = this.#ctx.slots.take(address); // one connection, one slot, shared by its publications
    const publications = openBundle(peerId, lines, this.#ctx, (state) => {
      for (const { source } of lines) {
        this.#publicationState(peerId, source, state);
      }
    });
    for (const { source } of lines) {
      this.#dropPublication(peerId, source, false);
    }
    const map = this.#publications.get(peerId) ?? new Map<SfuSource, Held<Publication>>();
    this.#publications.set(peerId, map);
    for (const publication of publications) {
      map.set(publication.source, { value: publication, release, createdAt: this.#ctx.now() });
    }
    const current = (publication: Publication): boolean => map.get(publication.source)?.value === publication;
    try {
      const answer = await publications[0]!.endpoint.answer(offer, this.#ctx.answerTimeoutMs);
      this.#checkCurrent(publications.every(current));
      publications.forEach((publication) => this.#bindPublication(publication));
      this.#events.sourcesChanged(peerId, this.sources(peerId));
      return answer;
    } catch (error) {
      publications.filter(current).forEach((publication) => this.#dropPublication(peerId, publication.source, false));
      throw error;
    }
  }

  /** Ends `peerId`'s publication of `source`; false when there was none. */
  unpublish(peerId: string, source: SfuSource): boolean {
    return this.#dropPublication(peerId, source, true);
  }

  /** Answers `subscriberId`'s offer to receive `publisherId`'s `group`, replacing an earlier subscription to it. */
  async subscribe(subscriberId: string, address: string, publisherId: string, group: SfuGroup, offer: string): Promise<string> {
    const lines = parseOffer(offer);
    const wanted = lines.filter((line) => line.kind === 'audio' || line.kind === 'video');
    if (wanted.length !== lines.length || wanted.length === 0 || wanted.length > 2 || wanted[0]?.kind === wanted[1]?.kind) {
      throw new RendezvousError('SFU_BAD_OFFER', 'Subscribe with at most one audio and one video line');
    }
    if (wanted.some((line) => line.direction !== 'recvonly' && line.direction !== 'sendrecv')) {
      throw new RendezvousError('SFU_BAD_OFFER', 'Subscription lines must receive');
    }
    this.#checkOpen();
    const release = this.#ctx.slots.take(address);
    const key = subscriptionKey(publisherId, group);
    const endpoint = new Endpoint(`sub:${subscriberId}:${key}`, this.#ctx.network, (state) =>
      this.#subscriptionState(subscriberId, publisherId, group, state),
    );
    let outputs: SubscriptionOutput[];
    try {
      outputs = wanted.map((line) => this.#output(endpoint, line, `${publisherId}-${group}`));
    } catch (error) {
      endpoint.close();
      release();
      throw error;
    }
    const subscription = new Subscription({ subscriberId, publisherId, group }, endpoint, outputs);
    this.#dropSubscription(subscriberId, key);
    const map = this.#subscriptions.get(subscriberId) ?? new Map<string, Held<Subscription>>();
    this.#subscriptions.set(subscriberId, map);
    map.set(key, { value: subscription, release, createdAt: this.#ctx.now() });
    try {
      const answer = await endpoint.answer(offer, this.#ctx.answerTimeoutMs);
      this.#checkCurrent(map.get(key)?.value === subscription);
      this.#bindSubscription(subscription);
      return answer;
    } catch (error) {
      if (map.get(key)?.value === subscription) {
        this.#dropSubscription(subscriberId, key);
      }
      throw error;
    }
  }

  /** Ends `subscriberId`'s subscription to `publisherId`'s `group`; false when there was none. */
  unsubscribe(subscriberId: string, publisherId: string, group: SfuGroup): boolean {
    return this.#dropSubscription(subscriberId, subscriptionKey(publisherId, group));
  }

  /** A client's ICE candidate for one of its connections; ignored when there is no such connection. */
  addCandidate(
    peerId: string,
    target: { source: SfuSource } | { publisherId: string; group: SfuGroup },
    candidate: string,
    mid: string,
  ): void {
    const endpoint =
      'source' in target
        ? this.#publications.get(peerId)?.get(target.source)?.value.endpoint
        : this.#subscriptions.get(peerId)?.get(subscriptionKey(target.publisherId, target.group))?.value.endpoint;
    endpoint?.addCandidate(candidate, mid);
  }

  /** `peerId` left: its publications, its subscriptions and the subscriptions to it end. */
  removePeer(peerId: string): void {
    for (const source of this.sources(peerId)) {
      this.#dropPublication(peerId, source, false);
    }
    for (const key of [...(this.#subscriptions.get(peerId)?.keys() ?? [])]) {
      this.#dropSubscription(peerId, key);
    }
    for (const [subscriberId, map] of this.#subscriptions) {
      for (const key of [...map.keys()]) {
        if (map.get(key)?.value.publisherId === peerId) {
          this.#dropSubscription(subscriberId, key);
        }
      }
    }
  }

  /** Once a second: reports, and connections that never connected. */
  tick(nowMs: number): void {
    const deadline = nowMs - this.#ctx.connectTimeoutMs;
    for (const [peerId, map] of this.#publications) {
      for (const [source, held] of map) {
        if (!held.value.endpoint.connected && held.createdAt < deadline) {
          this.#publicationState(peerId, source, 'failed');
        } else {
          held.value.tick(nowMs);
        }
      }
    }
    for (const [subscriberId, map] of this.#subscriptions) {
      for (const [key, held] of map) {
        const subscription = held.value;
        if (!subscription.endpoint.connected && held.createdAt < deadline) {
          this.#subscriptionState(subscriberId, subscription.publisherId, subscription.group, 'failed');
          void key;
        } else {
          subscription.tick(nowMs);
        }
      }
    }
  }

  /** Closes every connection. Idempotent. */
  close(): void {
    if (this.#closed) {
      return;
    }
    for (const peerId of new Set([...this.#publications.keys(), ...this.#subscriptions.keys()])) {
      this.removePeer(peerId);
    }
    this.#closed = true;
    this.#onClosed();
  }

  #checkOpen(): void {
    if (this.#closed) {
      throw new RendezvousError('SFU_UNAVAILABLE', 'The room closed');
    }
  }

  /** After an answer: the connection must still be the current one (not replaced or dropped meanwhile). */
  #checkCurrent(current: boolean): void {
    if (!current || this.#closed) {
      throw new RendezvousError('SFU_UNAVAILABLE', 'The connection was closed while it was answered');
    }
  }

  #output(endpoint: Endpoint, line: OfferMedia, streamId: string): SubscriptionOutput {
    const codecs = forwardableCodecs(line);
    if (codecs.length === 0) {
      throw new RendezvousError('SFU_CODEC_UNSUPPORTED', `The ${line.kind} line has no codec the SFU forwards`);
    }
    const kind = line.kind === 'audio' ? 'audio' : 'video';
    const ssrc = randomSsrc();
    const track = endpoint.addMedia({
      offer: line,
      direction: 'SendOnly',
      codecs,
      ssrc: { ssrc, cname: streamId, streamId, trackId: `${streamId}-${kind}` },
    });
    return new SubscriptionOutput({
      kind,
      offer: line,
      ssrc,
      track,
      counters: this.#ctx.counters,
      drop: this.#ctx.dropForwarded,
    });
  }

  /** Feeds a new publication to the subscriptions of its member's group. */
  #bindPublication(publication: Publication): void {
    const { group } = SFU_SOURCES[publication.source];
    const key = subscriptionKey(publication.peerId, group);
    for (const map of this.#subscriptions.values()) {
      map.get(key)?.value.output(publication.kind)?.bind(publication);
    }
  }

  /** Feeds a new subscription from its member's current publications of the group. */
  #bindSubscription(subscription: Subscription): void {
    for (const [source, held] of this.#publications.get(subscription.publisherId) ?? []) {
      if (SFU_SOURCES[source].group === subscription.group) {
        subscription.output(held.value.kind)?.bind(held.value);
      }
    }
  }

  #dropPublication(peerId: string, source: SfuSource, announce: boolean): boolean {
    const map = this.#publications.get(peerId);
    const held = map?.get(source);
    if (map === undefined || held === undefined) {
      return false;
    }
    map.delete(source);
    if (map.size === 0) {
      this.#publications.delete(peerId);
    }
    const publication = held.value;
    for (const subscriptions of this.#subscriptions.values()) {
      for (const { value } of subscriptions.values()) {
        for (const output of value.outputs) {
          if (output.source === publication) {
            output.bind(null);
          }
        }
      }
    }
    publication.close();
    held.release();
    if (announce) {
      this.#events.sourcesChanged(peerId, this.sources(peerId));
    }
    return true;
  }

  #dropSubscription(subscriberId: string, key: string): boolean {
    const map = this.#subscriptions.get(subscriberId);
    const held = map?.get(key);
    if (map === undefined || held === undefined) {
      return false;
    }
    map.delete(key);
    if (map.size === 0) {
      this.#subscriptions.delete(subscriberId);
    }
    held.value.close();
    held.release();
    return true;
  }

  #publicationState(peerId: string, source: SfuSource, state: EndpointState): void {
    if (state !== 'connected' && this.#dropPublication(peerId, source, true)) {
      this.#events.failed(peerId, { source });
    }
  }

  #subscriptionState(subscriberId: string, publisherId: string, group: SfuGroup, state: EndpointState): void {
    if (state !== 'connected' && this.#dropSubscription(subscriberId, subscriptionKey(publisherId, group))) {
      this.#events.failed(subscriberId, { publisherId, group });
    }
  }
}
