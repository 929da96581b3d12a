/**
 * The data-layer half of a FeaturePort, shared by the Room's port (room-feature-port.ts) and a pairing's
 * (pairing/pairing-port.ts): internal topics and streams on a RoomData, and when a member becomes reachable.
 */
import type { JsonValue, RoomData } from './data/index.js';
import type { FeaturePort } from './feature-port.js';

export type DataFeaturePort = Pick<
  FeaturePort,
  'sendInternal' | 'onInternal' | 'openInternalStream' | 'onInternalStream' | 'onPeerReachable'
>;

export function dataFeaturePort(data: RoomData): DataFeaturePort {
  return {
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
    onPeerReachable: (listener) => data.on('reachable', (peerId) => listener(peerId)),
  };
}
