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
export function roomModeFor(requested: RoomMode | undefined, fallback: RoomMode, sfu: SfuPort | undefined): RoomMode {
  const mode = requested ?? fallback;
  return mode === 'sfu' && sfu === undefined ? 'mesh' : mode;
}
