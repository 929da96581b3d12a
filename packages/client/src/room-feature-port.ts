import { dataFeaturePort } from './data-feature-port.js';
import type { RoomData } from './data/index.js';
import type { FeaturePort } from './feature-port.js';
import type { RemotePeer } from './remote-peer.js';
import type { RoomEvents } from './room-options.js';
import type { TypedEmitter } from './typed-emitter.js';

/** What a Room lends to build the port its features (chat, files, …) use. */
export interface FeaturePortSource {
  readonly peerId: string;
  readonly peers: ReadonlyMap<string, RemotePeer>;
  readonly data: RoomData;
  readonly events: TypedEmitter<RoomEvents>;
}

/** The Room's side of FeaturePort: internal topics on its data layer (data-feature-port.ts), membership from its events. */
export function roomFeaturePort(source: FeaturePortSource): FeaturePort {
  const { data, events } = source;
  return {
    get peerId() {
      return source.peerId;
    },
    peerIds: () => [...source.peers.keys()],
    displayName: (peerId) => source.peers.get(peerId)?.displayName,
    ...dataFeaturePort(data),
    onPeerJoined: (listener) => events.on('peer-joined', (peer) => listener(peer.peerId)),
    onPeerLeft: (listener) => events.on('peer-left', (peer) => listener(peer.peerId)),
    onClose: (listener) =>
      events.on('state', (state) => {
        if (state === 'closed') {
          listener();
        }
      }),
  };
}
