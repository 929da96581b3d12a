import { createSocket } from 'node:dgram';
import ndc from 'node-datachannel';
import { realClock, silentLogger, type ChildLogger, type Clock } from '@rendezvous/common';
import { VIDEO_CODECS } from './codecs.js';
import { ConnectionSlots } from './connection-slots.js';
import { emptyCounters, type SfuCounters } from './counters.js';
import type { Endpoint, EndpointNetwork } from './endpoint.js';
import { registerSfuMetrics } from './metrics.js';
import { DEFAULT_SFU_LIMITS, DEFAULT_SFU_PORT, type SfuLimits, type SfuOptions } from './options.js';
import type { SfuContext } from './sfu-context.js';
import { SfuRoom, type SfuRoomEvents } from './sfu-room.js';

/** How long a connection may take to gather its (local, mux) candidates and answer. */
const ANSWER_TIMEOUT_MS = 5_000;
const TICK_MS = 1_000;
/** How long `close()` waits for libdatachannel to close the connections before it stops its threads. */
const CLOSE_WAIT_MS = 2_000;

export interface SfuStats {
  rooms: number;
  connections: number;
  counters: Readonly<SfuCounters>;
}

/**
 * The selective forwarding unit: one UDP port shared by every media connection (ICE UDP mux), the rooms of mode
 * `sfu`, and one timer for all their reports and deadlines. `Sfu.start()` claims the port; `close()` ends every room
 * and gives it back.
 */
export class Sfu {
  readonly port: number;
  readonly #ctx: SfuContext;
  readonly #listener: ndc.IceUdpMuxListener;
  readonly #rooms = new Set<SfuRoom>();
  readonly #clock: Clock;
  readonly #tick: unknown;
  readonly #log: ChildLogger;
  #closing: Promise<void> | null = null;

  private constructor(network: EndpointNetwork, listener: ndc.IceUdpMuxListener, options: SfuOptions, limits: SfuLimits) {
    this.port = network.port;
    this.#listener = listener;
    this.#clock = options.clock ?? realClock;
    this.#log = options.log ?? silentLogger;
    const counters = emptyCounters();
    const now = (): number => this.#clock.now();
    this.#ctx = {
      network,
      slots: new ConnectionSlots({
        total: limits.maxConnections,
        perAddress: limits.maxConnectionsPerAddress,
        what: 'media connections',
      }),
      counters,
      videoCodecs: options.videoCodecs ?? VIDEO_CODECS,
      connectTimeoutMs: limits.connectTimeoutMs,
      answerTimeoutMs: ANSWER_TIMEOUT_MS,
      now,
      publication: {
        counters,
        now,
        keyframeIntervalMs: options.keyframeIntervalMs ?? 300,
        maxBitrate: options.maxPublishBitrate ?? 2_500_000,
      },
      dropForwarded: options.dropForwarded,
    };
    registerSfuMetrics(
      options.registry,
      () => this.stats(),
      () => this.#subscriptionCounts(),
    );
    this.#tick = this.#clock.setInterval(() => this.#onTick(), TICK_MS);
  }

  /** Claims the UDP port (0: a free one) and starts. Rejects when the port cannot be bound. */
  static async start(options: SfuOptions = {}): Promise<Sfu> {
    const bindAddress = options.bindAddress ?? '0.0.0.0';
    const port = options.port === 0 ? await freeUdpPort(bindAddress) : (options.port ?? DEFAULT_SFU_PORT);
    let listener: ndc.IceUdpMuxListener;
    try {
      listener = new ndc.IceUdpMuxListener(port, bindAddress);
    } catch (error) {
      throw new Error(`The SFU cannot bind UDP ${bindAddress}:${port} (${String(error)})`, { cause: error });
    }
    const network = { port, bindAddress, announcedAddresses: options.announcedAddresses ?? [], live: new Set<Endpoint>() };
    return new Sfu(network, listener, options, { ...DEFAULT_SFU_LIMITS, ...options.limits });
  }

  /** The SFU side of a signaling room in `sfu` mode. */
  openRoom(name: string, events: SfuRoomEvents): SfuRoom {
    if (this.#closing !== null) {
      throw new Error('The SFU is closed');
    }
    const room = new SfuRoom(name, this.#ctx, events, () => this.#rooms.delete(room));
    this.#rooms.add(room);
    return room;
  }

  stats(): SfuStats {
    return { rooms: this.#rooms.size, connections: this.#ctx.slots.total, counters: this.#ctx.counters };
  }

  /**
   * Ends every room, waits (up to 2 s) until libdatachannel has closed their connections (their callbacks then let the
   * process exit), and frees the port. libdatachannel's threads stay: stopping them (`cleanup()`) while callbacks were
   * still queued crashed the process now and then. Idempotent.
   */
  close(): Promise<void> {
    if (this.#closing !== null) {
      return this.#closing;
    }
    this.#clock.clearInterval(this.#tick);
    for (const room of [...this.#rooms]) {
      room.close();
    }
    this.#closing = (async () => {
      await settled(this.#ctx.network.live, CLOSE_WAIT_MS);
      this.#listener.stop();
    })();
    return this.#closing;
  }

  #subscriptionCounts(): number[] {
    return [...this.#rooms].map((room) => room.subscriptionCount);
  }

  #onTick(): void {
    const now = this.#clock.now();
    for (const room of this.#rooms) {
      try {
        room.tick(now);
      } catch (error) {
        this.#log.error({ err: error, room: room.name }, 'SFU room tick failed');
      }
    }
  }
}

/** Resolves once `live` is empty (polled: libdatachannel reports each close on its own thread), or after `timeoutMs`. */
async function settled(live: ReadonlySet<unknown>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (live.size > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A UDP port free on `address` now (bound and released: another process could take it, as with any port 0). */
function freeUdpPort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', reject);
    socket.bind(0, address, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}
