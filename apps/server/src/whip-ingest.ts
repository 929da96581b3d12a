import { randomBytes } from 'node:crypto';
import { RendezvousError } from '@rendezvous/protocol';
import type { ExternalMember, SignalingServer } from '@rendezvous/signaling';
import { ConnectionSlots, readBundle, VIDEO_CODECS } from '@rendezvous/sfu';
import type { Logger } from './logger.js';

/** How many WHIP publishers the server holds. */
export interface WhipLimits {
  /** In all. */
  maxPublishers: number;
  /** From one client address (its limit key: an IPv6 /64 is one address). */
  maxPublishersPerAddress: number;
}

export const WHIP_DEFAULTS: Readonly<WhipLimits> = Object.freeze({ maxPublishers: 16, maxPublishersPerAddress: 4 });

/** One WHIP session (RFC 9725's "WHIP session"): a member of its room that publishes what the client sends. */
export interface WhipResource {
  readonly id: string;
  readonly room: string;
  /** The entity tag of the resource (fixed: no ICE restart changes it). */
  readonly etag: string;
  readonly member: ExternalMember;
}

const newToken = (): string => randomBytes(16).toString('base64url');

/**
 * The WHIP publishers: each is a server-side member of room `<name>` (mode `sfu`) whose camera, audio and video, comes
 * from one WHIP client connection. It ends on DELETE, when the SFU drops its connection (ICE failed, never connected,
 * closed by the client), or with the server. Every end is the same: the member leaves, its media closes.
 */
export class WhipIngest {
  readonly #signaling: Pick<SignalingServer, 'joinExternal'>;
  readonly #log: Logger;
  readonly #entries = new Map<string, { resource: WhipResource; release: () => void }>();
  /** Publishers in all and per address, answered or being answered. */
  readonly #slots: ConnectionSlots;
  #closed = false;

  constructor(signaling: Pick<SignalingServer, 'joinExternal'>, limits: WhipLimits, log: Logger) {
    this.#signaling = signaling;
    this.#slots = new ConnectionSlots({
      total: limits.maxPublishers,
      perAddress: limits.maxPublishersPerAddress,
      what: 'WHIP publishers',
    });
    this.#log = log;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(id: string): WhipResource | undefined {
    return this.#entries.get(id)?.resource;
  }

  /**
   * Adds a publisher to `room` from `offer` and resolves with it and the SFU's answer (complete: every candidate
   * gathered). Throws a RendezvousError: SFU_LIMIT, SFU_BAD_OFFER, SFU_CODEC_UNSUPPORTED, SFU_UNAVAILABLE (no SFU, or
   * a mesh room of that name), ROOM_FULL, ROOM_LIMIT.
   */
  async publish(room: string, offer: string, address: string): Promise<{ resource: WhipResource; answer: string }> {
    readBundle(offer, VIDEO_CODECS); // an offer the SFU cannot take is refused before anyone sees a member join
    const release = this.#take(address);
    const id = newToken();
    let member: ExternalMember;
    try {
      member = this.#signaling.joinExternal({
        room,
        displayName: room,
        address,
        // The SFU closed the media connection on its own: ICE failed or timed out, or the client went away.
        onMessage: (message) => {
          if (message.type === 'sfu-closed') {
            this.#end(id, 'media connection closed');
          }
        },
      });
    } catch (error) {
      release();
      throw error;
    }
    const resource: WhipResource = { id, room, etag: `"${newToken()}"`, member };
    this.#entries.set(id, { resource, release });
    try {
      const answer = await member.sfu.publishBundle(member.peerId, address, offer);
      if (this.get(id) !== resource) {
        throw new RendezvousError('SFU_UNAVAILABLE', 'The publisher ended while it was answered');
      }
      this.#log.info({ room, id, peerId: member.peerId }, 'WHIP publisher started');
      return { resource, answer };
    } catch (error) {
      this.#end(id, 'refused');
      throw error;
    }
  }

  /** Ends publisher `id` (DELETE); false when there is none. */
  remove(id: string): boolean {
    return this.#end(id, 'deleted');
  }

  /** Ends every publisher; new ones are refused. Idempotent. */
  close(): void {
    this.#closed = true;
    for (const id of [...this.#entries.keys()]) {
      this.#end(id, 'server closing');
    }
  }

  #end(id: string, why: string): boolean {
    const entry = this.#entries.get(id);
    if (entry === undefined) {
      return false;
    }
    this.#entries.delete(id);
    entry.release();
    entry.resource.member.leave();
    this.#log.info({ room: entry.resource.room, id, why }, 'WHIP publisher ended');
    return true;
  }

  /** Takes a publisher slot for `address`, or throws SFU_LIMIT; the returned function gives it back (once). */
  #take(address: string): () => void {
    if (this.#closed) {
      throw new RendezvousError('SFU_UNAVAILABLE', 'The server is closing');
    }
    return this.#slots.take(address);
  }
}
