import type { RoomMode, SfuGroup, SfuSource } from '@rendezvous/protocol';

/**
 * The media server behind rooms of mode `sfu` (apps/server passes packages/sfu). Signaling owns membership; the SFU
 * owns the media connections. Each signaling room in `sfu` mode opens one SfuRoomPort and closes it when it empties.
 */
export interface SfuPort {
  openRoom(name: string, events: SfuRoomEvents): SfuRoomPort;
}

/** What an SFU room tells signaling. */
export interface SfuRoomEvents {
  /** What `peerId` publishes changed: the others get `sfu-sources`. */
  sourcesChanged(peerId: string, sources: SfuSource[]): void;
  /** The SFU closed one of `peerId`'s connections on its own: it gets `sfu-closed`. */
  failed(peerId: string, what: { source: SfuSource } | { publisherId: string; group: SfuGroup }): void;
}

/** One room's media: answers offers, and forgets a member when it leaves. Errors are RendezvousErrors (`SFU_*`). */
export interface SfuRoomPort {
  publish(peerId: string, address: string, source: SfuSource, offer: string): Promise<string>;
  /** An offer publishing `peerId`'s camera, audio and video lines, over one connection (a WHIP client's). */
  publishBundle(peerId: string, address: string, offer: string): Promise<string>;
  unpublish(peerId: string, source: SfuSource): boolean;
  subscribe(subscriberId: string, address: string, publisherId: string, group: SfuGroup, offer: string): Promise<string>;
  unsubscribe(subscriberId: string, publisherId: string, group: SfuGroup): boolean;
  /** A client's ICE candidate for one of its connections (ignored when there is no such connection). */
  addCandidate(
    peerId: string,
    target: { source: SfuSource } | { publisherId: string; group: SfuGroup },
    candidate: string,
    mid: string,
  ): void;
  removePeer(peerId: string): void;
  sources(peerId: string): SfuSource[];
  publishers(): string[];
  close(): void;
}

/** How rooms are made: the mode a join asks for when it creates a room, within what the server offers. */
function roomModeFor(requested: RoomMode | undefined, fallback: RoomMode, sfu: SfuPort | undefined): RoomMode {
  const mode = requested ?? fallback;
  return mode === 'sfu' && sfu === undefined ? 'mesh' : mode;
}

/**
 * The mode and capacity of a room a join creates: the mode asked for, or `sfu` when the capacity asked for is more
 * than a mesh holds, or the server's default; the capacity asked for, capped at the mode's (the mode's when none).
 */
export function roomShapeFor(
  join: { mode?: RoomMode | undefined; capacity?: number | undefined },
  server: { defaultMode: RoomMode; sfu: SfuPort | undefined; meshCapacity: number; sfuCapacity: number },
): { mode: RoomMode; capacity: number } {
  const large = join.capacity !== undefined && join.capacity > server.meshCapacity;
  const mode = roomModeFor(join.mode ?? (large ? 'sfu' : undefined), server.defaultMode, server.sfu);
  const limit = mode === 'sfu' ? server.sfuCapacity : server.meshCapacity;
  return { mode, capacity: Math.min(join.capacity ?? limit, limit) };
}
