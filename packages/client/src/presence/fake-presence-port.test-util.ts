import { RendezvousError, type JoinedRoom, type RoomPeer, type ServerMessage, type ServerMessageOf } from '@rendezvous/protocol';
import type { JsonValue } from '../data/index.js';
import type { PresencePort, PresenceRequest } from './presence-port.js';

export const SELF = 'self-peer-0001';
const MEDIA = { audioMuted: false, videoMuted: false, screenSharing: false };

/** A member as a snapshot lists it. */
export function member(peerId: string, hand: number | null = null, recording = false): RoomPeer {
  return { peerId, displayName: peerId, media: MEDIA, hand, recording, polite: false };
}

export function snapshotOf(
  peers: RoomPeer[],
  self: { peerId?: string; hand?: number | null; recording?: boolean } = {},
): JoinedRoom {
  const { polite: _polite, ...me } = member(self.peerId ?? SELF, self.hand ?? null, self.recording ?? false);
  return { room: 'r', self: me, peers, capacity: 6 };
}

export function updated(peerId: string, hand: number | null, recording = false): ServerMessageOf<'peer-updated'> {
  return { type: 'peer-updated', room: 'r', peerId, media: MEDIA, hand, recording };
}

interface Pending {
  message: PresenceRequest;
  resolve: (reply: ServerMessageOf<'peer-updated'>) => void;
  reject: (error: RendezvousError) => void;
}

/** A PresencePort driven by the test: it delivers the server's messages and answers the requests. */
export class FakePresencePort implements PresencePort {
  #snapshot: JoinedRoom;
  readonly requests: Pending[] = [];
  readonly events: Array<{ event: string; data: JsonValue }> = [];
  readonly #message = new Set<(message: ServerMessage) => void>();
  readonly #snapshots = new Set<(snapshot: JoinedRoom) => void>();
  readonly #close = new Set<() => void>();

  constructor(snapshot: JoinedRoom = snapshotOf([])) {
    this.#snapshot = snapshot;
  }

  /** Listeners still subscribed (0 after every feature closed). */
  get listeners(): number {
    return this.#message.size + this.#snapshots.size + this.#close.size;
  }

  selfId(): string {
    return this.#snapshot.self.peerId;
  }
  snapshot(): JoinedRoom {
    return this.#snapshot;
  }
  onSnapshot(listener: (snapshot: JoinedRoom) => void): () => void {
    this.#snapshots.add(listener);
    return () => this.#snapshots.delete(listener);
  }
  onMessage(listener: (message: ServerMessage) => void): () => void {
    this.#message.add(listener);
    return () => this.#message.delete(listener);
  }
  onClose(listener: () => void): () => void {
    this.#close.add(listener);
    return () => this.#close.delete(listener);
  }
  request(message: PresenceRequest): Promise<ServerMessageOf<'peer-updated'>> {
    return new Promise((resolve, reject) => this.requests.push({ message, resolve, reject }));
  }
  sendEvent(event: string, data: JsonValue): void {
    this.events.push({ event, data });
  }

  /** A server message for the room. */
  deliver(message: ServerMessage): void {
    for (const listener of [...this.#message]) {
      listener(message);
    }
  }

  /** Answers the oldest request as the server does: the reply first reaches the room, then settles the request. */
  async answer(reply: ServerMessageOf<'peer-updated'>): Promise<void> {
    const pending = this.requests.shift();
    if (pending === undefined) {
      throw new Error('no request waits');
    }
    this.deliver(reply);
    pending.resolve(reply);
    await Promise.resolve();
  }

  /** Fails the oldest request with the server's `code`. */
  fail(code: 'NOT_IN_ROOM' | 'RATE_LIMITED'): void {
    this.requests.shift()?.reject(new RendezvousError(code));
  }

  /** A resume or rejoin brought `snapshot`. */
  resync(snapshot: JoinedRoom): void {
    this.#snapshot = snapshot;
    for (const listener of [...this.#snapshots]) {
      listener(snapshot);
    }
  }

  close(): void {
    for (const listener of [...this.#close]) {
      listener();
    }
  }
}
