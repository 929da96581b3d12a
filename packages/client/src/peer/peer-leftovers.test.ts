import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { settle, trackTimers } from '../fake-timers.test-util.js';
import { FakeWebSocket } from '../fake-websocket.test-util.js';
import { FakeRTC } from './fake-rtc.test-util.js';
import { MAX_ICE_RESTARTS } from './limits.js';
import type { DataConnection } from './data-connection.js';
import { openPeer, relay } from './peer-harness.test-util.js';

/** What the test needs of a media or a data connection. */
interface Closable {
  connectionId: string;
  on(event: 'close', listener: () => void): unknown;
}

const fakeStream = { id: 'local', getTracks: () => [{ kind: 'video' }] } as unknown as MediaStream;
const sdk = { rendezvous: { v: 1 } };
const offer = (type: 'data' | 'media', connectionId: string): Record<string, unknown> => ({
  type: 'OFFER',
  src: 'bob',
  payload: { sdp: { type: 'offer', sdp: 'v=0' }, type, connectionId, serialization: 'json', reliable: true, ...sdk },
});

beforeEach(() => {
  FakeWebSocket.reset();
  FakeRTC.made = [];
});
afterEach(() => FakeWebSocket.reset());

test('destroy() leaves no listener on any RTCPeerConnection or channel, no timer, and no listener on the Peer', async (t) => {
  const timers = trackTimers(t);
  const { peer, socket } = await openPeer('alice');
  const connections: Closable[] = [peer.connect('bob'), peer.call('bob', fakeStream)];
  peer.on('connection', (connection) => connections.push(connection));
  peer.on('call', (call) => {
    connections.push(call);
    call.answer(fakeStream);
  });
  relay(socket, 'alice', offer('data', 'dc_in'));
  relay(socket, 'alice', offer('media', 'mc_in'));
  await settle();
  assert.equal(FakeRTC.made.length, 4);
  FakeRTC.made[2]?.remoteChannel('dc_in').open(); // the incoming data connection's channel opens
  for (const pc of FakeRTC.made.slice(2)) {
    pc.setState('connected');
    pc.setState('failed'); // towards an SDK peer, ICE restarts start their timers
  }
  await settle();
  assert.ok(timers.live() > 0, 'restart timers run');
  const closes: string[] = [];
  for (const connection of connections) {
    connection.on('close', () => closes.push(connection.connectionId));
  }

  peer.destroy();
  await settle();
  assert.equal(closes.length, 4, 'each connection closed once');
  for (const pc of FakeRTC.made) {
    assert.equal(pc.listeners, 0, 'no listener left on an RTCPeerConnection');
    assert.ok(pc.log.includes('close'));
    for (const channel of [...pc.channels, ...pc.received]) {
      assert.equal(channel.listenerCount(), 0, `no listener left on channel ${channel.label}`);
    }
  }
  assert.equal(timers.live(), 0, 'no timer left');
  assert.equal(peer.listenerCount('open') + peer.listenerCount('call') + peer.listenerCount('error'), 0);
  assert.equal(socket.closedWith, 1000);
});

test('close() is idempotent: one close event, one LEAVE, nothing after; close after destroy does nothing', async (t) => {
  const timers = trackTimers(t);
  const { peer, socket } = await openPeer('alice');
  relay(socket, 'alice', offer('data', 'dc_1'));
  await settle();
  const conn = peer.getConnection('bob', 'dc_1') as DataConnection;
  FakeRTC.last().remoteChannel('dc_1').open();
  for (let n = 0; n <= MAX_ICE_RESTARTS; n++) {
    FakeRTC.last().setState('failed');
  }
  let closes = 0;
  conn.on('close', () => (closes += 1));
  const sentBefore = socket.sent.length;
  conn.close();
  conn.close();
  conn.close({ flush: true });
  await settle();
  assert.equal(closes, 1);
  const leaves = socket.sent.slice(sentBefore).filter((m) => (m['message'] as { type?: string } | undefined)?.type === 'LEAVE');
  assert.equal(leaves.length, 1);
  assert.equal(conn.listenerCount('close'), 0, 'a closed connection holds no listeners');
  peer.destroy();
  conn.close();
  peer.destroy();
  assert.equal(timers.live(), 0);
});
