/**
 * Child process: the signaling load against several servers at once (before and after), measured in short
 * slices that alternate between them, so a change in the machine's load weighs on every server alike.
 * On each server, `rooms` rooms of two `ws` peers, each peer on its own loopback address (127.0.0.2, .3, …),
 * relay candidate-sized `signal` messages to each other in a closed loop: each side starts `window`
 * messages, and every message received sends one back. In a slice only one server's loop runs; the slice
 * counts the messages received (each relayed by that server) and that server's CPU time from /proc.
 * Prints one JSON line: LoadResult[] (one per target, slices summed).
 * argv[2] is a JSON LoadOptions. Run with `node --conditions=source --import tsx`.
 */
import { PROTOCOL_VERSION } from '@rendezvous/protocol';
import { WebSocket } from 'ws';
import { processCpuSeconds } from '../turn/servers.js';

export interface LoadTarget {
  url: string;
  serverPid: number;
}

export interface LoadOptions {
  targets: LoadTarget[];
  rooms: number;
  window: number;
  /** One unmeasured slice per target first, this long. */
  warmupMs: number;
  /** Measured slices per target, each `sliceMs` long. */
  slices: number;
  sliceMs: number;
}

export interface LoadResult {
  relayed: number;
  seconds: number;
  serverCpuSeconds: number;
  /** Error frames the server sent during the load (for example RATE_LIMITED); should be 0. */
  errors: number;
  firstError?: string;
}

/** An ICE candidate as browsers trickle it (about 250 bytes on the wire). */
const CANDIDATE = {
  kind: 'candidate',
  candidate: {
    candidate:
      'candidate:842163049 1 udp 1677729535 203.0.113.7 51234 typ srflx raddr 10.0.0.5 rport 51234 generation 0 ufrag Zq3v network-cost 999',
    sdpMid: '0',
    sdpMLineIndex: 0,
    usernameFragment: 'Zq3v',
  },
};

interface Frame {
  type: string;
  peerId?: string;
  requestId?: string;
  code?: string;
}

interface Peer {
  ws: WebSocket;
  peerId: string;
  /** Handles every frame once the load runs; during set-up, `waiter` does. */
  waiter?: (frame: Frame) => void;
}

function next(peer: Peer, match: (frame: Frame) => boolean, what: string): Promise<Frame> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 10_000);
    peer.waiter = (frame) => {
      if (frame.type === 'error') {
        clearTimeout(timer);
        reject(new Error(`${what}: ${JSON.stringify(frame)}`));
      } else if (match(frame)) {
        clearTimeout(timer);
        peer.waiter = undefined;
        resolve(frame);
      }
    };
  });
}

async function connect(url: string, index: number, room: string): Promise<Peer> {
  const { host } = new URL(url);
  const ws = new WebSocket(url, { localAddress: `127.0.0.${2 + index}`, origin: `http://${host}` });
  const peer: Peer = { ws, peerId: '' };
  ws.on('message', (data) => peer.waiter?.(JSON.parse((data as Buffer).toString('utf8')) as Frame));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
    ws.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
  });
  const welcome = next(peer, (f) => f.type === 'welcome', 'welcome');
  ws.send(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION, displayName: `Bench ${index}` }));
  peer.peerId = (await welcome).peerId ?? '';
  const joined = next(peer, (f) => f.requestId === 'join', `join ${room}`);
  ws.send(JSON.stringify({ type: 'join', room, requestId: 'join' }));
  await joined;
  return peer;
}

/** One server's rooms, with its closed loop switched on and off by `running`. */
class Loop {
  running = false;
  received = 0;
  errors = 0;
  firstError: string | undefined;

  private constructor(
    readonly target: LoadTarget,
    private readonly peers: Peer[],
    private readonly window: number,
  ) {
    for (let i = 0; i < peers.length; i++) {
      const self = peers[i]!;
      const frame = this.frameFor(i);
      self.waiter = (incoming) => {
        if (incoming.type === 'signal') {
          if (!this.running) {
            return;
          }
          this.received++;
          self.ws.send(frame);
        } else if (incoming.type === 'error') {
          this.errors++;
          this.firstError ??= JSON.stringify(incoming);
        }
      };
    }
  }

  static async open(target: LoadTarget, rooms: number, window: number): Promise<Loop> {
    const peers: Peer[] = [];
    for (let room = 0; room < rooms; room++) {
      peers.push(await connect(target.url, 2 * room, `bench-${room}`), await connect(target.url, 2 * room + 1, `bench-${room}`));
    }
    return new Loop(target, peers, window);
  }

  private frameFor(index: number): string {
    return JSON.stringify({ type: 'signal', to: this.peers[index ^ 1]!.peerId, data: CANDIDATE });
  }

  /** Starts the loop, runs it for `ms`, stops it; returns what that slice relayed and cost the server. */
  async slice(ms: number): Promise<{ relayed: number; seconds: number; cpu: number }> {
    const before = { received: this.received, cpu: processCpuSeconds(this.target.serverPid), at: performance.now() };
    this.running = true;
    for (let i = 0; i < this.peers.length; i++) {
      const frame = this.frameFor(i);
      for (let n = 0; n < this.window; n++) {
        this.peers[i]!.ws.send(frame);
      }
    }
    await sleep(ms);
    this.running = false;
    const after = { received: this.received, cpu: processCpuSeconds(this.target.serverPid), at: performance.now() };
    // Let the messages in flight drain, so the next slice (another server's) starts from a quiet machine.
    await sleep(DRAIN_MS);
    return { relayed: after.received - before.received, seconds: (after.at - before.at) / 1000, cpu: after.cpu - before.cpu };
  }

  close(): void {
    for (const peer of this.peers) {
      peer.ws.terminate();
    }
  }
}

const DRAIN_MS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runLoad(options: LoadOptions): Promise<LoadResult[]> {
  const loops: Loop[] = [];
  try {
    for (const target of options.targets) {
      loops.push(await Loop.open(target, options.rooms, options.window));
    }
    for (const loop of loops) {
      await loop.slice(options.warmupMs);
    }
    const totals = loops.map(() => ({ relayed: 0, seconds: 0, serverCpuSeconds: 0 }));
    for (let n = 0; n < options.slices; n++) {
      // Alternate which server goes first, so neither always follows the other.
      const order = n % 2 === 0 ? loops.map((_, i) => i) : loops.map((_, i) => loops.length - 1 - i);
      for (const i of order) {
        const slice = await loops[i]!.slice(options.sliceMs);
        totals[i]!.relayed += slice.relayed;
        totals[i]!.seconds += slice.seconds;
        totals[i]!.serverCpuSeconds += slice.cpu;
      }
    }
    return loops.map((loop, i) => ({
      ...totals[i]!,
      errors: loop.errors,
      ...(loop.firstError === undefined ? {} : { firstError: loop.firstError }),
    }));
  } finally {
    for (const loop of loops) {
      loop.close();
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1])) {
  const result = await runLoad(JSON.parse(process.argv[2] ?? '{}') as LoadOptions);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
