/** The FeaturePort of a pairing: two members, this side and the other, over the pairing's data layer. */
import type { JsonValue, RoomData } from '../data/index.js';
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
    sendInternal: (topic, message, to) => data.sendInternal(topic, message, to === undefined ? {} : { to }),
    onInternal: (topic, listener) =>
      data.on('internal', (from: string, got: string, message: JsonValue) => {
        if (got === topic) {
          listener(from, message);
        }
      }),
    openInternalStream: (topic, to, meta) => data.openStream(to, meta, { topic }),
    onInternalStream: (topic, listener) =>
      data.on('internal-stream', (got, stream) => {
        if (got === topic) {
          listener(stream);
        }
      }),
    onPeerJoined: (listener) => source.onJoined(listener),
    onPeerLeft: (listener) => source.onLeft(listener),
    onPeerReachable: (listener) => data.on('reachable', (peerId) => listener(peerId)),
    onClose: (listener) => source.onClose(listener),
  };
}
