import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import type { DeliveredDirectoryMessage } from '@rendezvous/protocol';
import { advance, fakeTimers, settle } from '../fake-timers.test-util.js';
import type { ConnectionHost } from './base-connection.js';
import { DataConnection } from './data-connection.js';
import { FakeRTC } from './fake-rtc.test-util.js';
import type { MediaConnection } from './media-connection.js';
import { PeerDirectory } from './peer-directory.js';
import type { PeerError } from './peer-errors.js';
import { ICE_RESTART_TIMEOUT_MS } from './limits.js';

interface Harness {
  directory: PeerDirectory;
  host: ConnectionHost;
  signals: { kind: string; dst: string; payload: Record<string, unknown> | undefined }[];
  errors: PeerError[];
  connections: DataConnection[];
  calls: MediaConnection[];
}

function harness(): Harness {
  const h = { signals: [], errors: [], connections: [], calls: [] } as unknown as Harness;
  h.host = {
    createPeerConnection: () => new FakeRTC() as unknown as RTCPeerConnection,
    signal: (kind, dst, payload) => h.signals.push({ kind, dst, payload }),
    closed: (connection, notify) => h.directory.closed(connection, notify),
  };
  h.directory = new PeerDirectory(h.host, {
    call: (call) => h.calls.push(call),
    connection: (connection) => h.connections.push(connection),
    error: (error) => h.errors.push(error),
    leave: (dst, payload) => h.signals.push({ kind: 'LEAVE', dst, payload }),
  });
  return h;
}

const sdp = (type: 'offer' | 'answer', text = 'v=0'): { type: 'offer' | 'answer'; sdp: string } => ({ type, sdp: text });
const offer = (src: string, connectionId: string, extra: Record<string, unknown> = {}): DeliveredDirectoryMessage => ({
  type: 'OFFER',
  src,
  dst: 'me',
  payload: { sdp: sdp('offer'), type: 'data', connectionId, serialization: 'json', reliable: true, ...extra },
});

beforeEach(() => {
  FakeRTC.made = [];
});

test('an incoming data OFFER makes a connection that answers, opens and reads json; hostile frames are errors', async () => {
  const h = harness();
  h.directory.deliver(offer('pj', 'dc_1', { label: 'chat', metadata: { a: 1 } }));
  await settle();
  const [conn] = h.connections;
  assert.ok(conn);
  assert.equal(conn.label, 'chat');
  assert.deepEqual(conn.metadata, { a: 1 });
  const answer = h.signals.find((s) => s.kind === 'ANSWER');
  assert.deepEqual(answer?.payload?.['sdp'], { type: 'answer', sdp: 'v=0 answer 1' });
  assert.equal(answer?.payload?.['connectionId'], 'dc_1');
  assert.deepEqual(answer?.payload?.['rendezvous'], { v: 1 });

  const opened: string[] = [];
  const data: unknown[] = [];
  const errors: string[] = [];
  conn.on('open', () => opened.push('open'));
  conn.on('data', (value) => data.push(value));
  conn.on('error', (error) => errors.push(error.code));
  const remote = FakeRTC.last().remoteChannel('chat');
  remote.open();
  remote.remote?.send(new TextEncoder().encode('{"hi":[1,2]}'));
  remote.remote?.send(new Uint8Array([0xff, 0xfe]));
  await settle();
  assert.deepEqual(opened, ['open']);
  assert.deepEqual(data, [{ hi: [1, 2] }]);
  assert.deepEqual(errors, ['BAD_MESSAGE']);
});

test('an OFFER with a serialization this SDK does not speak is refused with an error, making nothing', () => {
  const h = harness();
  h.directory.deliver(offer('pj', 'dc_1', { serialization: 'msgpack-custom' }));
  h.directory.deliver({
    type: 'OFFER',
    src: 'pj',
    dst: 'me',
    payload: { sdp: sdp('answer'), type: 'media', connectionId: 'mc_1' },
  });
  assert.equal(h.connections.length + h.calls.length, 0);
  assert.deepEqual(
    h.errors.map((e) => e.type),
    ['bad-message', 'bad-message'],
  );
  assert.equal(FakeRTC.made.length, 0);
});

test('LEAVE naming a connection closes only it; a plain LEAVE closes every connection of that peer', async () => {
  const h = harness();
  for (const id of ['dc_1', 'dc_2', 'dc_3']) {
    h.directory.deliver(offer('sdk', id, { rendezvous: { v: 1 } }));
  }
  await settle();
  const closed: string[] = [];
  for (const conn of h.connections) {
    conn.on('close', () => closed.push(conn.connectionId));
  }
  h.directory.deliver({ type: 'LEAVE', src: 'sdk', dst: 'me', payload: { rendezvous: { v: 1, close: 'dc_2' } } });
  assert.deepEqual(closed, ['dc_2']);
  h.directory.deliver({ type: 'LEAVE', src: 'sdk', dst: 'me' });
  assert.deepEqual(closed, ['dc_2', 'dc_1', 'dc_3']);
  assert.equal(h.directory.size, 0);
  assert.equal(h.signals.filter((s) => s.kind === 'LEAVE').length, 0, 'closing on their word sends nothing back');
  assert.ok(FakeRTC.made.every((pc) => pc.listeners === 0 && pc.connectionState === 'closed'));
});

test('closing locally tells the other side: an SDK peer per connection, a peerjs client when its last one ends', async () => {
  const h = harness();
  h.directory.deliver(offer('sdk', 'dc_s', { rendezvous: { v: 1 } }));
  h.directory.deliver(offer('pj', 'dc_a'));
  h.directory.deliver(offer('pj', 'dc_b'));
  await settle();
  const [sdkConn, a, b] = h.connections;
  sdkConn?.close();
  sdkConn?.close();
  a?.close();
  const leaves = (): unknown[] => h.signals.filter((s) => s.kind === 'LEAVE').map((s) => [s.dst, s.payload]);
  assert.deepEqual(leaves(), [['sdk', { rendezvous: { v: 1, close: 'dc_s' } }]]);
  b?.close();
  assert.deepEqual(leaves().slice(1), [['pj', undefined]]);
});

test('EXPIRE reports peer-unavailable and closes the connections to that peer that never opened', async () => {
  const h = harness();
  const conn = new DataConnection({
    host: h.host,
    peer: 'ghost',
    connectionId: 'dc_9',
    metadata: undefined,
    originator: true,
    offer: null,
    label: 'dc_9',
    serialization: 'binary',
    reliable: true,
  });
  h.directory.add(conn);
  conn._start();
  await settle();
  let closed = false;
  conn.on('close', () => (closed = true));
  h.directory.deliver({ type: 'EXPIRE', src: 'ghost', dst: 'me' });
  assert.deepEqual(
    h.errors.map((e) => [e.type, e.code]),
    [['peer-unavailable', 'PEER_NOT_FOUND']],
  );
  assert.equal(closed, true);
});

test('ICE failure between SDK peers: the originator restarts ICE with a marked OFFER; a peerjs remote is closed with an error', async (t) => {
  fakeTimers(t);
  const h = harness();
  const make = (peer: string): DataConnection => {
    const conn = new DataConnection({
      host: h.host,
      peer,
      connectionId: `dc_${peer}`,
      metadata: undefined,
      originator: true,
      offer: null,
      label: 'x',
      serialization: 'json',
      reliable: true,
    });
    h.directory.add(conn);
    conn._start();
    return conn;
  };
  const sdkConn = make('sdk');
  await settle();
  const sdkPc = FakeRTC.last();
  h.directory.deliver({
    type: 'ANSWER',
    src: 'sdk',
    dst: 'me',
    payload: { sdp: sdp('answer'), type: 'data', connectionId: 'dc_sdk', rendezvous: { v: 1 } },
  });
  await settle();
  sdkPc.setState('failed');
  await settle();
  assert.ok(sdkPc.log.includes('offer restart'));
  const restart = h.signals.filter((s) => s.kind === 'OFFER').at(-1);
  assert.deepEqual(restart?.payload?.['rendezvous'], { v: 1, restart: true });
  assert.equal(restart?.payload?.['connectionId'], 'dc_sdk');
  sdkPc.setState('connected');
  await advance(t, ICE_RESTART_TIMEOUT_MS + 1, 1000);
  assert.equal(sdkConn.closed, false, 'a restart that reconnected keeps the connection');

  const pjConn = make('pj');
  await settle();
  const pjPc = FakeRTC.last();
  h.directory.deliver({
    type: 'ANSWER',
    src: 'pj',
    dst: 'me',
    payload: { sdp: sdp('answer'), type: 'data', connectionId: 'dc_pj' },
  });
  await settle();
  const errors: string[] = [];
  pjConn.on('error', (error) => errors.push(error.type));
  pjPc.setState('failed');
  assert.deepEqual(errors, ['negotiation-failed']);
  assert.equal(pjConn.closed, true);
  assert.ok(!pjPc.log.includes('offer restart'));
  sdkConn.close();
});

test('a refused remote description closes the connection with a webrtc error, never a throw', async () => {
  const h = harness();
  h.directory.deliver({
    type: 'OFFER',
    src: 'pj',
    dst: 'me',
    payload: { sdp: sdp('offer', 'refuse'), type: 'data', connectionId: 'dc_x', serialization: 'binary' },
  });
  const [conn] = h.connections;
  const errors: string[] = [];
  conn?.on('error', (error) => errors.push(error.type));
  await settle();
  assert.deepEqual(errors, ['webrtc']);
  assert.equal(conn?.closed, true);
  assert.equal(h.directory.size, 0);
});
