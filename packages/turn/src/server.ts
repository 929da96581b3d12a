/**
 * `createTurnServer`: the engine (engine.ts) plus its listeners (listen.ts). Options are validated up front;
 * `listen()` opens UDP+TCP (and TLS) sockets, `close()` frees every socket and timer and is idempotent.
 */
import type { TurnEventMap } from './events.js';
import { TurnEngine } from './engine.js';
import { TurnError } from './errors.js';
import { openListeners, type Listeners } from './listen.js';
import type { TurnAddresses, TurnLimits, TurnServerOptions, TurnStats } from './options.js';

export interface TurnServer {
  /** Opens the listeners; resolves with the bound addresses. Throws TurnError('LISTEN_FAILED'). */
  listen(): Promise<TurnAddresses>;
  /** Deletes every allocation, closes every socket and stops every timer. Idempotent. */
  close(): Promise<void>;
  stats(): TurnStats;
  /** The limits in force (the defaults merged with the options). */
  readonly limits: Readonly<TurnLimits>;
  /** The bound addresses once listening. */
  readonly addresses: TurnAddresses | undefined;
  on<K extends keyof TurnEventMap>(event: K, listener: (...args: TurnEventMap[K]) => void): TurnServer;
  off<K extends keyof TurnEventMap>(event: K, listener: (...args: TurnEventMap[K]) => void): TurnServer;
}

function checkPort(value: number | undefined, name: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > 65535)) {
    throw new TurnError('INVALID_OPTIONS', `${name} must be an integer 0-65535, got ${String(value)}`);
  }
}

function validate(options: TurnServerOptions): void {
  checkPort(options.port, 'port');
  checkPort(options.tlsPort, 'tlsPort');
  if (options.realm !== undefined && (options.realm === '' || options.realm.length > 127)) {
    throw new TurnError('INVALID_OPTIONS', 'realm must be 1-127 characters');
  }
  if (options.tls !== undefined && (!options.tls.cert || !options.tls.key)) {
    throw new TurnError('INVALID_OPTIONS', 'tls needs both cert and key');
  }
  if (options.host !== undefined && options.host === '') {
    throw new TurnError('INVALID_OPTIONS', 'host is empty');
  }
}

/** The engine for valid options; a bad limit (a RangeError from the engine) becomes INVALID_OPTIONS. */
function createEngine(options: TurnServerOptions): TurnEngine {
  validate(options);
  let engine: TurnEngine;
  try {
    engine = new TurnEngine(options);
  } catch (error) {
    if (error instanceof RangeError) {
      throw new TurnError('INVALID_OPTIONS', error.message, { cause: error });
    }
    throw error;
  }
  if (options.secret === undefined && options.users === undefined && options.authenticate === undefined) {
    engine.log.warn('TURN: no secret, users or authenticate hook: TURN requests will be refused (STUN Binding works)');
  }
  return engine;
}

/** What the opened listeners are bound to (copies: callers cannot change the listeners' own). */
function addressesOf(opened: Listeners): TurnAddresses {
  return {
    udp: opened.udp.map((l) => ({ ...l.local })),
    tcp: opened.tcp.map((l) => ({ ...l.local })),
    tls: opened.tls.map((l) => ({ ...l.local })),
    port: opened.port,
    tlsPort: opened.tlsPort,
  };
}

export function createTurnServer(options: TurnServerOptions = {}): TurnServer {
  const engine = createEngine(options);
  let listeners: Listeners | undefined;
  let addresses: TurnAddresses | undefined;
  let listening: Promise<TurnAddresses> | undefined;
  let closing: Promise<void> | undefined;

  const server: TurnServer = {
    listen() {
      if (closing !== undefined) {
        return Promise.reject(new TurnError('CLOSED'));
      }
      if (listening !== undefined) {
        return Promise.reject(new TurnError('ALREADY_LISTENING'));
      }
      listening = openListeners(engine, {
        host: options.host ?? '0.0.0.0',
        port: options.port ?? 3478,
        tlsPort: options.tlsPort ?? 5349,
        tls: options.tls,
      }).then(async (opened) => {
        listeners = opened;
        if (closing !== undefined) {
          await closeListeners(opened);
          throw new TurnError('CLOSED');
        }
        engine.setListenAddresses(opened.udp.map((l) => l.local.address));
        addresses = addressesOf(opened);
        return addresses;
      });
      return listening;
    },
    close() {
      closing ??= (async () => {
        engine.close();
        await listening?.catch(() => undefined);
        if (listeners !== undefined) {
          await closeListeners(listeners);
        }
      })();
      return closing;
    },
    stats() {
      const stats = engine.stats();
      if (listeners !== undefined) {
        for (const listener of [...listeners.tcp, ...listeners.tls]) {
          stats.connections += listener.connections;
        }
      }
      return stats;
    },
    get addresses() {
      return addresses;
    },
    get limits() {
      return engine.limits;
    },
    on(event, listener) {
      engine.events.on(event, listener);
      return server;
    },
    off(event, listener) {
      engine.events.off(event, listener);
      return server;
    },
  };
  return server;
}

async function closeListeners(listeners: Listeners): Promise<void> {
  await Promise.all([...listeners.udp, ...listeners.tcp, ...listeners.tls].map((listener) => listener.close()));
}
