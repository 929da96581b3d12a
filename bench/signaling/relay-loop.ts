/**
 * One server's clients in pairs, in a closed loop that `slice()` switches on for a while: every relayed
 * frame a client receives sends its next frame back to its partner, and each client starts `window`
 * frames. Each direction keeps the send times of its frames in flight, so every relayed frame yields its
 * one-way latency (sender and receiver share this process's clock).
 */
import { framesFor, HEARTBEAT, openClient, pair, type BenchClient, type Target } from './clients.js';
import type { ServerStats } from './server.js';

interface Seat {
  client: BenchClient;
  frames: string[];
  next: number;
  /** Send times of this client's frames not yet received by its partner. */
  inFlight: number[];
  head: number;
}

export interface SliceResult {
  relayed: number;
  seconds: number;
  cpuMicros: number;
  /** The load process's own CPU time over the slice: near `seconds` means the load, not the server, set the pace. */
  loadCpuMicros: number;
}

export async function readStats(target: Target, gc = false): Promise<ServerStats> {
  const response = await fetch(`${target.stats}${gc ? '?gc=1' : ''}`);
  return (await response.json()) as ServerStats;
}

const ownCpu = () => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `task(i)` for i in 0..count-1, at most `concurrency` at a time. */
export async function inBatches(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < count) {
      await task(nextIndex++);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** Opens `clients` clients (an even number) in pairs; `offset` keeps their ids and rooms apart from other runs. */
export async function openPairs(target: Target, clients: number, concurrency: number, offset = 0): Promise<BenchClient[]> {
  const opened: BenchClient[] = new Array<BenchClient>(clients);
  await inBatches(clients / 2, concurrency, async (p) => {
    const [a, b] = await Promise.all([openClient(target, offset + 2 * p), openClient(target, offset + 2 * p + 1)]);
    await pair(target, a, b, `bench-${offset + 2 * p}`);
    opened[2 * p] = a;
    opened[2 * p + 1] = b;
  });
  return opened;
}

export class RelayLoop {
  running = false;
  received = 0;
  errors = 0;
  firstError: string | undefined;
  readonly latencies: number[] = [];
  private readonly seats: Seat[];
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    readonly target: Target,
    clients: BenchClient[],
    private readonly window: number,
  ) {
    this.seats = clients.map((client, i) => ({
      client,
      frames: framesFor(target.protocol, client, clients[i ^ 1]!, i % 2 === 0),
      next: 0,
      inFlight: [],
      head: 0,
    }));
    this.seats.forEach((seat, i) => this.wire(seat, this.seats[i ^ 1]!));
    if (target.protocol === 'peerjs') {
      // The peerjs client's default pingInterval.
      this.heartbeat = setInterval(() => this.seats.forEach((seat) => seat.client.ws.send(HEARTBEAT)), 5_000);
    }
  }

  private wire(seat: Seat, partner: Seat): void {
    seat.client.onFrame = (kind, data) => {
      if (kind === 'relay') {
        const sentAt = partner.inFlight[partner.head++];
        if (!this.running) {
          return;
        }
        if (sentAt !== undefined) {
          this.latencies.push(performance.now() - sentAt);
        }
        this.received++;
        this.send(seat);
      } else if (kind === 'ping') {
        seat.client.ws.send('3');
      } else if (kind === 'error') {
        this.errors++;
        this.firstError ??= data.toString('utf8').slice(0, 300);
      }
    };
  }

  private send(seat: Seat): void {
    const frame = seat.frames[seat.next]!;
    seat.next = (seat.next + 1) % seat.frames.length;
    seat.inFlight.push(performance.now());
    seat.client.ws.send(frame);
  }

  /** Runs the loop for `ms`; returns what that slice relayed and what it cost the server. */
  async slice(ms: number, drainMs: number): Promise<SliceResult> {
    for (const seat of this.seats) {
      seat.inFlight = [];
      seat.head = 0;
    }
    const before = {
      received: this.received,
      cpu: (await readStats(this.target)).cpuMicros,
      at: performance.now(),
      own: ownCpu(),
    };
    this.running = true;
    for (let n = 0; n < this.window; n++) {
      this.seats.forEach((seat) => this.send(seat));
    }
    await sleep(ms);
    this.running = false;
    const after = {
      received: this.received,
      cpu: (await readStats(this.target)).cpuMicros,
      at: performance.now(),
      own: ownCpu(),
    };
    await sleep(drainMs); // the frames in flight land before another server's slice starts
    return {
      relayed: after.received - before.received,
      seconds: (after.at - before.at) / 1000,
      cpuMicros: after.cpu - before.cpu,
      loadCpuMicros: after.own - before.own,
    };
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const seat of this.seats) {
      seat.client.ws.terminate();
    }
  }
}
