/**
 * Two FeaturePorts linked like two members of a room, for the file-transfer tests: each over a real RoomData, the
 * pair joined by a fake connection (fake-channel.test-util.ts). `drop()` cuts the connection (streams fail with
 * DATA_CHANNEL_CLOSED), `reconnect()` attaches a new one (both sides report the other reachable).
 */
import { RoomData } from '../data/index.js';
import { fakeConnection } from '../data/fake-channel.test-util.js';
import type { FeaturePort } from '../feature-port.js';

export interface TestPort extends FeaturePort {
  readonly data: RoomData;
  /** Listeners added through the port and not yet removed. */
  readonly listeners: number;
  leave(peerId: string): void;
  close(): void;
}

function makePort(peerId: string, other: string, data: RoomData): TestPort {
  const members = new Set([other]);
  const left = new Set<(peerId: string) => void>();
  const closed = new Set<() => void>();
  let listeners = 0;
  const track = (off: () => void): (() => void) => {
    listeners++;
    let done = false;
    return () => {
      if (!done) {
        done = true;
        listeners--;
        off();
      }
    };
  };
  return {
    peerId,
    data,
    get listeners() {
      return listeners;
    },
    peerIds: () => [...members],
    displayName: (id) => (members.has(id) ? id.toUpperCase() : undefined),
    sendInternal: (topic, message, to) => data.sendInternal(topic, message, to === undefined ? {} : { to }),
    onInternal: (topic, listener) =>
      track(data.on('internal', (from, got, message) => (got === topic ? listener(from, message) : undefined))),
    openInternalStream: (topic, to, meta) => data.openStream(to, meta, { topic }),
    onInternalStream: (topic, listener) =>
      track(data.on('internal-stream', (got, stream) => (got === topic ? listener(stream) : undefined))),
    onPeerJoined: () => track(() => undefined),
    onPeerLeft: (listener) => {
      left.add(listener);
      return track(() => left.delete(listener));
    },
    onPeerReachable: (listener) => track(data.on('reachable', listener)),
    onClose: (listener) => {
      closed.add(listener);
      return track(() => closed.delete(listener));
    },
    leave(id) {
      members.delete(id);
      data.removePeer(id);
      for (const listener of [...left]) {
        listener(id);
      }
    },
    close() {
      for (const listener of [...closed]) {
        listener();
      }
      data.close();
    },
  };
}

export function linkedPorts(): { alice: TestPort; bob: TestPort; drop(): void; reconnect(): void } {
  const alice = makePort('alice', 'bob', new RoomData());
  const bob = makePort('bob', 'alice', new RoomData());
  const connect = (): void => {
    const conn = fakeConnection();
    alice.data.attach('bob', conn.a);
    bob.data.attach('alice', conn.b);
  };
  connect();
  return {
    alice,
    bob,
    drop: () => {
      alice.data.detach('bob');
      bob.data.detach('alice');
    },
    reconnect: connect,
  };
}
