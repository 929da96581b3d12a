/**
 * The names of the room's members, remembered after they leave (a message or a file from someone who left still
 * shows who it was), and a change signal for pickers that list the members present.
 */
import type { Room } from '@rendezvous/client';
import type { Disposer } from '../ui/dom.js';

export interface MemberNames {
  /** The display name of `peerId` (present, or seen earlier in this call), or null when never seen. */
  name(peerId: string): string | null;
  /** The members present now, other than this client, in the room's order. */
  present(): Array<{ peerId: string; name: string }>;
  /** Calls `listener` after someone joined, left or was renamed; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

export function followMemberNames(room: Room, disposer: Disposer): MemberNames {
  const seen = new Map<string, string>();
  const listeners = new Set<() => void>();
  const remember = (): void => {
    for (const peer of room.peers.values()) {
      seen.set(peer.peerId, peer.displayName);
    }
  };
  const changed = (): void => {
    remember();
    for (const listener of [...listeners]) {
      listener();
    }
  };
  remember();
  disposer.add(room.on('peer-joined', changed));
  disposer.add(room.on('peer-left', changed));
  disposer.add(room.on('peer-updated', changed));
  return {
    name: (peerId) => room.peers.get(peerId)?.displayName ?? seen.get(peerId) ?? null,
    present: () => [...room.peers.values()].map((peer) => ({ peerId: peer.peerId, name: peer.displayName })),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
