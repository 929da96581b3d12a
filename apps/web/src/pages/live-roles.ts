/**
 * Who presents and who watches on a live page: a presenter is a member whose media state says it sends its
 * microphone, its camera or its screen; everyone else watches.
 */
import type { MediaState, Room } from '@rendezvous/client';

export interface LiveMember {
  peerId: string;
  name: string;
  self: boolean;
  presenting: boolean;
}

export function isPresenting(media: MediaState): boolean {
  return !media.audioMuted || !media.videoMuted || media.screenSharing;
}

/** This client first, then the others in the room's order. */
export function liveMembers(room: Room): LiveMember[] {
  const self = room.self;
  const members: LiveMember[] = [
    { peerId: room.peerId, name: self.displayName, self: true, presenting: isPresenting(self.media) },
  ];
  for (const peer of room.peers.values()) {
    members.push({ peerId: peer.peerId, name: peer.displayName, self: false, presenting: isPresenting(peer.media) });
  }
  return members;
}

/** How many members watch (this client included when it does not present). */
export function viewerCount(members: readonly LiveMember[]): number {
  return members.filter((member) => !member.presenting).length;
}
