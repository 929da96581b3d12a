/** The FeaturePort of a pairing: two members, this side and the other, over the pairing's data layer. */
import { dataFeaturePort } from '../data-feature-port.js';
import type { RoomData } from '../data/index.js';
import type { FeaturePort } from '../feature-port.js';

export interface PairingPortSource {
  /** This side's id (known once the session took a role). */
  peerId(): string;
  readonly data: RoomData;
  /** Listeners of membership and of the end of the pairing. */
  onJoined(listener: (peerId: string) => void): () => void;
  onLeft(listener: (peerId: string) => void): () => void;
  onClose(listener: () => void): () => void;
}

export function pairingFeaturePort(source: PairingPortSource): FeaturePort {
  const { data } = source;
  return {
    get peerId() {
      return source.peerId();
    },
    peerIds: () => data.peerIds,
    displayName: (peerId) => (data.peerIds.includes(peerId) ? peerId : undefined),
    ...dataFeaturePort(data),
    onPeerJoined: (listener) => source.onJoined(listener),
    onPeerLeft: (listener) => source.onLeft(listener),
    onClose: (listener) => source.onClose(listener),
  };
}
