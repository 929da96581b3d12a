import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DEFAULT_MEDIA_STATE,
  type RendezvousError,
  type ClientMessageInput,
  type JoinedRoom,
  type RoomPeer,
  type ServerMessage,
  type SignalData,
} from '@rendezvous/protocol';
import type { RemotePeer } from './remote-peer.js';
import { Room, type RoomEvents } from './room.js';
import type { RoomTransport, RoomTransportHost } from './room-transport.js';
import type { SignalingClient, SignalingClientEvents } from './signaling-client.js';
import { TypedEmitter } from './typed-emitter.js';

// Room over a fake transport and a fake session: what the Room itself decides, whatever the topology.

class FakeMediaStream {
  getTracks(): unknown[] {
    return [];
  }
}

/** Records every call the Room makes on its transport. */
class FakeTransport implements RoomTransport {
  readonly calls: string[] = [];
  readonly peers = new Map<string, RemotePeer>();
  constructor(readonly host: RoomTransportHost) {}
  addPeer(peer: RemotePeer, polite: boolean): void {
    this.peers.set(peer.peerId, peer);
    this.calls.push(`add ${peer.peerId} ${polite ? 'polite' : 'impolite'}`);
  }
  removePeer(peerId: string): void {
    this.peers.delete(peerId);
    this.calls.push(`remove ${peerId}`);
  }
  resync(peerId: string, polite: boolean, restart: boolean): void {
    this.calls.push(`resync ${peerId} ${polite ? 'polite' : 'impolite'}${restart ? ' restart' : ''}`);
  }
  handleSignal(from: string, data: SignalData): void {
    this.calls.push(`signal ${from} ${data.kind}`);
  }
  handleMessage(message: ServerMessage): void {
    this.calls.push(`message ${message.type}`);
  }
  uploadReports(): Promise<RTCStatsReport[]> {
    return Promise.resolve([]);
  }
  rejoined(): void {
    this.calls.push('rejoined');
  }
  setSendTrack(): void {
    this.calls.push('send-track');
  }
  refreshIceServers(): void {
    this.calls.push('refresh-ice');
  }
  setVideoCodec(codec: string | null): void {
    this.calls.push(`codec ${codec ?? 'default'}`);
  }
  close(): void {
    this.calls.push('close');
  }
}

/** The part of SignalingClient a Room uses. */
class FakeSignaling extends TypedEmitter<SignalingClientEvents> {
  state = 'open';
  iceServers: RTCIceServer[] = [{ urls: 'stun:example.test' }];
  config = { maxRoomEventBytes: 64 };
  readonly sent: ClientMessageInput[] = [];
  nextJoin: JoinedRoom | null = null;
  send(message: ClientMessageInput): void {
    this.sent.push(message);
  }
  request(message: ClientMessageInput): Promise<unknown> {
    this.sent.push(message);
    return message.type === 'join' && this.nextJoin !== null ? Promise.resolve(this.nextJoin) : Promise.resolve({ type: 'left' });
  }
  deliver(message: unknown): void {
    this.emit('message', message as ServerMessage);
  }
}

const peerInfo = (id: string, polite: boolean): RoomPeer => ({
  peerId: id,
  displayName: id.toUpperCase(),
  media: DEFAULT_MEDIA_STATE,
  polite,
});
const snapshot = (peers: RoomPeer[]): JoinedRoom =>
  ({
    type: 'joined',
    room: 'r',
    self: { peerId: 'me', displayName: 'Me', media: DEFAULT_MEDIA_STATE },
    capacity: 8,
    peers,
  }) as unknown as JoinedRoom;

/** An event argument as text: strings as they are, streams and tracks by their id. */
function argText(value: unknown): string {
  if (typeof value === 'object' && value !== null && 'id' in value) {
    return String(value.id);
  }
  return String(value);
}

function makeRoom() {
  const signaling = new FakeSignaling();
  let transport: FakeTransport | null = null;
  const room = new Room({
    signaling: signaling as unknown as SignalingClient,
    joined: snapshot([peerInfo('a', false)]),
    ownsSignaling: false,
    rejoinOnReset: true,
    options: {},
    transport: (host) => (transport = new FakeTransport(host)),
  });
  const events: string[] = [];
  const names: (keyof RoomEvents)[] = [
    'peer-joined',
    'peer-left',
    'peer-updated',
    'peer-state',
    'peer-path',
    'screen',
    'track',
    'state',
  ];
  for (const name of names) {
    room.on(name, (...args: unknown[]) => {
      const [first, second] = args as [RemotePeer | string, unknown];
      events.push(
        [name, typeof first === 'string' ? first : first.peerId, ...(second === undefined ? [] : [argText(second)])].join(' '),
      );
    });
  }
  return { room, signaling, transport: transport as unknown as FakeTransport, events };
}

describe('Room over a fake transport', () => {
  const saved = globalThis.MediaStream;
  before(() => Object.assign(globalThis, { MediaStream: FakeMediaStream }));
  after(() => Object.assign(globalThis, { MediaStream: saved }));

  test('members come and go through the transport, and their facts become room events', async () => {
    const { room, signaling, transport, events } = makeRoom();
    assert.deepEqual(transport.calls, ['add a impolite']);
    signaling.deliver({ type: 'peer-joined', room: 'r', peer: peerInfo('b', true) });
    assert.deepEqual(transport.calls.slice(1), ['add b polite']);
    signaling.deliver({ type: 'signal', from: 'b', data: { kind: 'reset' } });
    assert.equal(transport.calls.at(-1), 'signal b reset');

    const b = transport.peers.get('b')!;
    b._setState('connected');
    b._setPath('relay');
    b._setScreen({ id: 'screen' } as unknown as MediaStream);
    signaling.deliver({ type: 'peer-updated', room: 'r', peerId: 'b', media: { ...DEFAULT_MEDIA_STATE, audioMuted: true } });
    signaling.deliver({ type: 'peer-updated', room: 'r', peerId: 'b', media: { ...DEFAULT_MEDIA_STATE, audioMuted: true } });
    signaling.deliver({ type: 'peer-left', room: 'r', peerId: 'b', reason: 'left' });
    assert.deepEqual(events, [
      'peer-joined b',
      'peer-state b connected',
      'peer-path b relay',
      'screen b screen',
      'peer-updated b',
      'peer-left b left',
    ]);
    assert.equal(transport.calls.at(-1), 'remove b');
    assert.equal(b.connectionState, 'closed', 'the view of a peer that left is closed');
    assert.equal(b.listenerCount('state'), 0, 'and holds no listeners');
    await room.leave();
  });

  test('the transport relays signals through the session; nothing once the room is left', async () => {
    const { room, signaling, transport } = makeRoom();
    transport.host.sendSignal('a', { kind: 'reset' });
    assert.deepEqual(signaling.sent, [{ type: 'signal', to: 'a', data: { kind: 'reset' } }]);
    assert.deepEqual(transport.host.rtcConfig().iceServers, [{ urls: 'stun:example.test' }]);
    await room.leave();
    transport.host.sendSignal('a', { kind: 'reset' });
    assert.equal(signaling.sent.filter((m) => m.type === 'signal').length, 1);
  });

  test('the preferred video codec goes to the transport and to every connection it builds later', async () => {
    const { room, transport } = makeRoom();
    assert.equal(transport.host.videoCodec(), null);
    room.setVideoCodec('VP9');
    assert.equal(room.videoCodec, 'VP9');
    assert.equal(transport.calls.at(-1), 'codec VP9');
    assert.equal(transport.host.videoCodec(), 'VP9');
    await room.leave();
  });

  test('a resume refreshes ICE servers and resyncs roles; a reset rejoins and restarts every connection', async () => {
    const { room, signaling, transport, events } = makeRoom();
    signaling.emit('state', 'reconnecting');
    signaling.emit('resumed', { room: snapshot([peerInfo('a', true)]) } as never);
    assert.deepEqual(transport.calls.slice(1), ['refresh-ice', 'resync a polite']);
    signaling.nextJoin = snapshot([peerInfo('a', true), peerInfo('c', false)]);
    signaling.emit('reset', {} as never);
    await new Promise((resolve) => room.once('state', resolve)); // rejoined
    assert.deepEqual(transport.calls.slice(3), ['resync a polite restart', 'add c impolite', 'rejoined']);
    assert.deepEqual(
      events.filter((e) => e.startsWith('state')),
      ['state reconnecting', 'state joined', 'state reconnecting', 'state joined'],
    );
    await room.leave();
  });

  test('leave() closes the transport once, forgets members and unsubscribes from the session', async () => {
    const { room, signaling, transport, events } = makeRoom();
    await Promise.all([room.leave(), room.leave()]);
    assert.deepEqual(transport.calls.slice(1), ['remove a', 'close']);
    assert.equal(room.peers.size, 0);
    assert.equal(room.state, 'closed');
    assert.deepEqual(events, ['state closed']);
    for (const event of ['message', 'state', 'resumed', 'reset', 'error'] as const) {
      assert.equal(signaling.listenerCount(event), 0, event);
    }
    assert.deepEqual(signaling.sent, [{ type: 'leave' }]);
  });

  test('room events go out through the session within the announced limit, and come in as `room-event`', async () => {
    const { room, signaling } = makeRoom();
    const got: unknown[] = [];
    room.on('room-event', (from, event, data) => got.push([from, event, data]));
    room.sendEvent('hand', { up: true });
    assert.deepEqual(signaling.sent, [{ type: 'room-event', event: 'hand', data: { up: true } }]);
    assert.throws(
      () => room.sendEvent('reaction', 'x'.repeat(80)),
      (error: RendezvousError) =>
        error.code === 'DATA_TOO_LARGE' && error.detail?.['size'] === 82 && error.detail['limit'] === 64,
    );
    signaling.deliver({ type: 'room-event', room: 'r', from: 'a', event: 'reaction:clap' });
    signaling.deliver({ type: 'room-event', room: 'other', from: 'a', event: 'hand' });
    assert.deepEqual(got, [['a', 'reaction:clap', undefined]]);
    await room.leave();
    assert.throws(() => room.sendEvent('hand'), { code: 'INVALID_STATE' });
  });
});
