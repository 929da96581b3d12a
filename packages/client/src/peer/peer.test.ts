import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { settle } from '../fake-timers.test-util.js';
import { FakeWebSocket, welcome } from '../fake-websocket.test-util.js';
import { TOKEN, peerOptions as options, welcomed } from './peer-harness.test-util.js';
import { FakeRTC } from './fake-rtc.test-util.js';
import { Peer } from './peer.js';
import type { StorageLike } from './peer-session.js';

class MemoryStorage implements StorageLike {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

beforeEach(() => {
  FakeWebSocket.reset();
  FakeRTC.made = [];
});
afterEach(() => FakeWebSocket.reset());

test('a Peer takes its id with peer-open, emits open, and sends a call as a peer-signal OFFER once open', async () => {
  const peer = new Peer('alice', options());
  const opened: string[] = [];
  peer.on('open', (id) => opened.push(id));
  const conn = peer.connect('bob', { serialization: 'json', metadata: { m: 1 } });
  const { socket, open } = await welcomed();
  assert.equal(open['type'], 'peer-open');
  assert.equal(open['id'], 'alice');
  assert.equal(FakeRTC.made.length, 0, 'nothing starts before the id is ours');
  socket.receive({ type: 'peer-opened', id: 'alice', token: TOKEN, requestId: open['requestId'] });
  await settle();
  assert.deepEqual(opened, ['alice']);
  assert.deepEqual(FakeRTC.last().config.iceServers, [{ urls: 'stun:127.0.0.1:3478' }], 'ICE servers from welcome');
  const signal = socket.lastSent() as { type: string; message: { type: string; dst: string; payload: Record<string, unknown> } };
  assert.equal(signal.type, 'peer-signal');
  assert.equal(signal.message.type, 'OFFER');
  assert.equal(signal.message.dst, 'bob');
  assert.deepEqual(
    [signal.message.payload['connectionId'], signal.message.payload['serialization'], signal.message.payload['metadata']],
    [conn.connectionId, 'json', { m: 1 }],
  );
  peer.destroy();
  peer.destroy();
  assert.equal(conn.closed, true);
  assert.equal(socket.closedWith, 1000);
});

test('PEER_ID_TAKEN before the id was ever ours: error unavailable-id, then the peer is destroyed', async () => {
  const peer = new Peer('taken', options());
  const events: string[] = [];
  peer.on('error', (error) => events.push(`error ${error.type} ${error.code}`));
  peer.on('close', () => events.push('close'));
  const { socket, open } = await welcomed();
  socket.receive({ type: 'error', code: 'PEER_ID_TAKEN', message: 'taken', requestId: open['requestId'] });
  await settle();
  assert.deepEqual(events, ['error unavailable-id PEER_ID_TAKEN', 'close']);
  assert.equal(peer.destroyed, true);
});

test('with storage, the session is kept; a new Peer presents its resume token and asks for the id with its token', async () => {
  const storage = new MemoryStorage();
  const first = new Peer(options({ storage }));
  const one = await welcomed({ resumeToken: 'resume-1' });
  assert.equal(one.open['id'], undefined);
  one.socket.receive({ type: 'peer-opened', id: 'srv-id', token: TOKEN, requestId: one.open['requestId'] });
  await settle();
  assert.deepEqual(first.session, { id: 'srv-id', token: TOKEN, resumeToken: 'resume-1' });
  assert.deepEqual(JSON.parse(storage.getItem('rendezvous-peer') ?? 'null'), first.session);
  one.socket.drop(1001); // a reload: no clean close, the server keeps the session for a while

  const second = new Peer(options({ storage }));
  await settle();
  const socket = FakeWebSocket.last();
  assert.equal(socket.sent[0]?.['type'], 'hello');
  assert.equal(socket.sent[0]?.['resumeToken'], 'resume-1');
  socket.receive(welcome({ resumed: true, resumeToken: 'resume-1' }));
  await settle();
  const open = socket.lastSent();
  assert.deepEqual([open['type'], open['id'], open['token']], ['peer-open', 'srv-id', TOKEN]);
  socket.receive({ type: 'peer-opened', id: 'srv-id', token: TOKEN, requestId: open['requestId'] });
  await settle();
  assert.equal(second.id, 'srv-id');
  second.destroy();
  assert.equal(storage.getItem('rendezvous-peer'), null, 'destroy forgets the session');
});

test('hostile relayed payloads never throw: a bad ANSWER, an unknown connection, a malformed LEAVE', async () => {
  const peer = new Peer('alice', options());
  const errors: string[] = [];
  peer.on('error', (error) => errors.push(error.type));
  const { socket, open } = await welcomed();
  socket.receive({ type: 'peer-opened', id: 'alice', token: TOKEN, requestId: open['requestId'] });
  await settle();
  const relay = (message: Record<string, unknown>): void =>
    socket.receive({ type: 'peer-signal', message: { dst: 'alice', ...message } });
  relay({ type: 'ANSWER', src: 'x', payload: { sdp: { type: 'answer', sdp: 'v=0' }, type: 'data', connectionId: 'nope' } });
  relay({ type: 'LEAVE', src: 'x', payload: { rendezvous: { v: 'one', close: 7 } } });
  relay({ type: 'OFFER', src: 'x', payload: { sdp: 'not an object', type: 'data', connectionId: 'dc' } });
  await settle();
  assert.equal(peer.open, true);
  assert.ok(
    errors.every((type) => type === 'bad-message'),
    errors.join(),
  );
  peer.destroy();
});
