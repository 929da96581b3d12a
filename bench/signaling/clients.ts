/**
 * The load's clients, one kind per protocol, all on `ws` with a zero mask (RFC 6455 allows any mask; ws
 * then skips the XOR), so that the load process spends little per message and the servers set the pace.
 * A client opens, identifies itself (hello, socket.io connect, PeerJS OPEN), joins its pair, and then
 * knows the frames it sends to its partner. Incoming frames are classified by their first bytes.
 */
import { randomBytes } from 'node:crypto';
import { PROTOCOL_VERSION } from '@rendezvous/protocol';
import { WebSocket } from 'ws';
import { ANSWER_SDP, CANDIDATE, OFFER_SDP } from './payloads.js';

export type Protocol = 'native' | 'socketio' | 'peerjs';

export interface Target {
  /** How the report names it. */
  name: string;
  protocol: Protocol;
  /** ws://127.0.0.1:port (the protocol adds its path). */
  base: string;
  /** http://127.0.0.1:statsPort/stats */
  stats: string;
}

/** What a frame from the server is to the load. */
export type Incoming = 'relay' | 'other' | 'ping' | 'error';

export interface BenchClient {
  ws: WebSocket;
  /** The id the partner addresses (peer id, PeerJS id; unused by socket.io). */
  id: string;
  /** Called for every frame once set up. */
  onFrame: (kind: Incoming, text: Buffer) => void;
}

const SOURCE_ADDRESSES = 250;
/** Clients spread over 127.0.0.2–127.0.0.251, so that no per-address limit or port range is what a run measures. */
const sourceAddress = (index: number) => `127.0.0.${2 + (index % SOURCE_ADDRESSES)}`;

function startsWith(data: Buffer, prefix: Buffer): boolean {
  if (data.length < prefix.length) {
    return false;
  }
  for (let i = 0; i < prefix.length; i++) {
    if (data[i] !== prefix[i]) {
      return false;
    }
  }
  return true;
}

const NATIVE_SIGNAL = Buffer.from('{"type":"signal"');
const NATIVE_ERROR = Buffer.from('{"type":"error"');
const SOCKETIO_SIGNAL = Buffer.from('42["signal"');
const PEERJS_RELAYED = ['OFFER', 'ANSWER', 'CANDIDATE'].map((type) => Buffer.from(`{"type":"${type}"`));

export function classify(protocol: Protocol, data: Buffer): Incoming {
  if (protocol === 'native') {
    return startsWith(data, NATIVE_SIGNAL) ? 'relay' : startsWith(data, NATIVE_ERROR) ? 'error' : 'other';
  }
  if (protocol === 'socketio') {
    return startsWith(data, SOCKETIO_SIGNAL) ? 'relay' : data.length === 1 && data[0] === 0x32 ? 'ping' : 'other';
  }
  if (PEERJS_RELAYED.some((prefix) => startsWith(data, prefix))) {
    return 'relay';
  }
  const type = (JSON.parse(data.toString('utf8')) as { type?: string }).type;
  return type === 'OFFER' || type === 'ANSWER' || type === 'CANDIDATE' ? 'relay' : type === 'HEARTBEAT' ? 'other' : 'error';
}

function urlOf(target: Target, id: string): string {
  switch (target.protocol) {
    case 'native':
      return `${target.base}/ws`;
    case 'socketio':
      return `${target.base}/socket.io/?EIO=4&transport=websocket`;
    case 'peerjs':
      return `${target.base}/peerjs/peerjs?key=peerjs&id=${id}&token=${randomBytes(6).toString('hex')}&version=1.5.5`;
  }
}

/** Resolves with the first frame that `match` accepts; rejects on close, an error frame or after 30 s. */
function waitFor(client: BenchClient, protocol: Protocol, match: (text: string) => boolean, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 30_000);
    client.onFrame = (_kind, data) => {
      const text = data.toString('utf8');
      if (protocol === 'socketio' && text === '2') {
        client.ws.send('3');
      } else if (match(text)) {
        clearTimeout(timer);
        resolve(text);
      } else if (/"type":"(error|ERROR|ID-TAKEN|INVALID-KEY)"/.test(text)) {
        clearTimeout(timer);
        reject(new Error(`${what}: ${text.slice(0, 300)}`));
      }
    };
  });
}

/** Opens one client and identifies it; `index` picks its source address. */
export async function openClient(target: Target, index: number): Promise<BenchClient> {
  const id = `bench-${index}-${randomBytes(4).toString('hex')}`;
  const ws = new WebSocket(urlOf(target, id), {
    localAddress: sourceAddress(index),
    origin: target.base.replace(/^ws/, 'http'),
    perMessageDeflate: false,
    generateMask: () => undefined,
    skipUTF8Validation: true,
  });
  const client: BenchClient = { ws, id, onFrame: () => undefined };
  ws.on('message', (data: Buffer) => client.onFrame(classify(target.protocol, data), data));
  ws.on('error', () => undefined);
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
    ws.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
  });
  if (target.protocol === 'native') {
    await opened;
    const welcome = waitFor(client, 'native', (t) => t.startsWith('{"type":"welcome"'), 'welcome');
    ws.send(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION, displayName: `Bench ${index}` }));
    client.id = (JSON.parse(await welcome) as { peerId: string }).peerId;
  } else if (target.protocol === 'socketio') {
    const open = waitFor(client, 'socketio', (t) => t.startsWith('0{'), 'engine.io open');
    await opened;
    await open;
    const connected = waitFor(client, 'socketio', (t) => t.startsWith('40'), 'socket.io connect');
    ws.send('40');
    await connected;
  } else {
    const open = waitFor(client, 'peerjs', (t) => t.startsWith('{"type":"OPEN"'), 'OPEN');
    await opened;
    await open;
  }
  return client;
}

/** Puts a pair of clients in a room of their own (PeerJS needs none: ids address each other). */
export async function pair(target: Target, a: BenchClient, b: BenchClient, room: string): Promise<void> {
  for (const client of [a, b]) {
    if (target.protocol === 'native') {
      const joined = waitFor(client, 'native', (t) => t.startsWith('{"type":"joined"'), `join ${room}`);
      client.ws.send(JSON.stringify({ type: 'join', room, requestId: 'join' }));
      await joined;
    } else if (target.protocol === 'socketio') {
      const joined = waitFor(client, 'socketio', (t) => t.startsWith('42["joined"'), `join ${room}`);
      client.ws.send(`42${JSON.stringify(['join', room])}`);
      await joined;
    }
  }
}

const description = (type: 'offer' | 'answer') => ({ type, sdp: type === 'offer' ? OFFER_SDP : ANSWER_SDP });

/**
 * The frames `from` sends `to`, in a cycle. Native and socket.io: SDP-sized `signal`s only (the offerer's
 * offers, the answerer's answers). PeerJS: as a negotiation runs, one description then three candidates.
 */
export function framesFor(protocol: Protocol, from: BenchClient, to: BenchClient, offerer: boolean): string[] {
  const sdp = description(offerer ? 'offer' : 'answer');
  if (protocol === 'native') {
    return [JSON.stringify({ type: 'signal', to: to.id, data: { kind: 'description', description: sdp } })];
  }
  if (protocol === 'socketio') {
    return [`42${JSON.stringify(['signal', { kind: 'description', description: sdp }])}`];
  }
  const connectionId = 'mc_bench0123456789';
  const first = offerer
    ? { type: 'OFFER', dst: to.id, payload: { sdp, type: 'media', connectionId, browser: 'chrome' } }
    : { type: 'ANSWER', dst: to.id, payload: { sdp, type: 'media', connectionId, browser: 'chrome' } };
  const candidate = JSON.stringify({
    type: 'CANDIDATE',
    dst: to.id,
    payload: { candidate: CANDIDATE, type: 'media', connectionId },
  });
  return [JSON.stringify(first), candidate, candidate, candidate];
}

export const HEARTBEAT = '{"type":"HEARTBEAT"}';
