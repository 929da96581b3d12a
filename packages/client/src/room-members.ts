import type { JoinedRoom, MediaState, MemberPresence, PeerLeftReason, RoomPeer } from '@rendezvous/protocol';
import type { RoomData } from './data/index.js';
import { RemotePeer } from './remote-peer.js';
import type { RoomEvents } from './room.js';
import type { RoomTransport } from './room-transport.js';

type Emit = <K extends keyof RoomEvents>(event: K, ...args: RoomEvents[K]) => void;

/**
 * Who else is in the room, as the server says: one RemotePeer each. Adds and removes the transport's
 * connections and the data layer's queues with them, and re-emits each peer's events as the Room's.
 */
export class RoomMembers {
  readonly #transport: RoomTransport;
  readonly #data: RoomData;
  readonly #emit: Emit;
  readonly #peers = new Map<string, RemotePeer>();
  readonly #unsubscribe = new Map<RemotePeer, () => void>();

  constructor(transport: RoomTransport, data: RoomData, emit: Emit) {
    this.#transport = transport;
    this.#data = data;
    this.#emit = emit;
  }

  get map(): ReadonlyMap<string, RemotePeer> {
    return this.#peers;
  }

  get(id: string): RemotePeer | undefined {
    return this.#peers.get(id);
  }

  /** A member arrived (`announce`: emit `peer-joined`). A known id is replaced (it rejoined). */
  add(info: RoomPeer, announce: boolean): RemotePeer {
    this.remove(info.peerId, 'disconnected');
    const peer = new RemotePeer(info);
    this.#peers.set(peer.peerId, peer);
    const offs = [
      peer.on('state', (state) => this.#emit('peer-state', peer, state)),
      peer.on('path', (path) => this.#emit('peer-path', peer, path)),
      peer.on('track', (track) => this.#emit('track', peer, track)),
      peer.on('screen', (stream) => this.#emit('screen', peer, stream)),
      peer.on('updated', () => this.#emit('peer-updated', peer)),
    ];
    this.#unsubscribe.set(peer, () => offs.forEach((off) => off()));
    this.#data.addPeer(peer.peerId);
    if (announce) {
      this.#emit('peer-joined', peer);
    }
    this.#transport.addPeer(peer, info.polite);
    return peer;
  }

  /** A member left (`reason` null: the room closed, no `peer-left`). */
  remove(id: string, reason: PeerLeftReason | null): void {
    const peer = this.#peers.get(id);
    if (peer === undefined) {
      return;
    }
    this.#peers.delete(id);
    this.#unsubscribe.get(peer)?.();
    this.#unsubscribe.delete(peer);
    this.#transport.removePeer(id);
    this.#data.removePeer(id);
    peer._dispose();
    if (reason !== null) {
      this.#emit('peer-left', peer, reason);
    }
  }

  update(id: string, media: MediaState, presence: MemberPresence): void {
    const peer = this.#peers.get(id);
    if (peer !== undefined) {
      peer._setInfo(peer.displayName, media, presence);
    }
  }

  /** Brings the member list in line with a fresh snapshot; `restartAll` replaces every connection. */
  reconcile(snapshot: JoinedRoom, restartAll: boolean): void {
    const ids = new Set(snapshot.peers.map((p) => p.peerId));
    for (const id of [...this.#peers.keys()]) {
      if (!ids.has(id)) {
        this.remove(id, 'disconnected');
      }
    }
    for (const info of snapshot.peers) {
      const peer = this.#peers.get(info.peerId);
      if (peer === undefined) {
        this.add(info, true);
        continue;
      }
      peer._setInfo(info.displayName, info.media, info);
      this.#transport.resync(peer.peerId, info.polite, restartAll);
    }
  }

  /** Forgets every member, without `peer-left`. */
  clear(): void {
    for (const id of [...this.#peers.keys()]) {
      this.remove(id, null);
    }
  }
}
