/**
 * Watches one RTCPeerConnection's connection state and keeps it alive: `restartIce()` when ICE fails (or
 * stays disconnected), and gives up (asking for a rebuild) when a restart has not reconnected in time or a
 * fresh connection never connects. Maps the browser's states onto PeerConnectionState.
 */
export type PeerConnectionState = 'new' | 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

export interface IceSupervisorOptions {
  /** After `restartIce()`, how long to wait for a connection before giving up. Default 10 s. */
  iceRestartTimeoutMs?: number;
  /** How long `disconnected` may last before ICE is restarted. Default 4 s. */
  disconnectedTimeoutMs?: number;
  /** A fresh connection that has not connected within this long gives up. Default 30 s; 0 disables. */
  connectTimeoutMs?: number;
}

/** The part of an RTCPeerConnection the supervisor uses (an RTCPeerConnection is one; tests pass a fake). */
export interface SupervisedConnection {
  /** Missing in old browsers; `iceConnectionState` is read instead. */
  readonly connectionState?: string;
  readonly iceConnectionState: string;
  restartIce(): void;
  addEventListener(type: 'connectionstatechange' | 'iceconnectionstatechange', listener: () => void): void;
  removeEventListener(type: 'connectionstatechange' | 'iceconnectionstatechange', listener: () => void): void;
}

/** Where the supervisor's timers come from (the global timers by default; tests pass a fake clock). */
export interface SupervisorClock {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export type TimerHandle = number | object;

const globalClock: SupervisorClock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
};

export interface IceSupervisorHooks {
  onState(state: PeerConnectionState): void;
  /** Called once; the owner should tell the peer and rebuild the connection. */
  onGiveUp(reason: string): void;
}

/** How long a `connecting` after `connected` may last before it is reported as `reconnecting`. */
const FLAP_MS = 2_000;

type Timer = TimerHandle;

export class IceSupervisor {
  readonly #pc: SupervisedConnection;
  readonly #clock: SupervisorClock;
  readonly #hooks: IceSupervisorHooks;
  readonly #restartTimeoutMs: number;
  readonly #disconnectedTimeoutMs: number;
  #state: PeerConnectionState = 'new';
  #everConnected = false;
  #gaveUp = false;
  #closed = false;
  #restartTimer: Timer | null = null;
  #disconnectedTimer: Timer | null = null;
  #connectTimer: Timer | null = null;
  #flapTimer: Timer | null = null;

  constructor(pc: SupervisedConnection, options: IceSupervisorOptions, hooks: IceSupervisorHooks, clock = globalClock) {
    this.#pc = pc;
    this.#clock = clock;
    this.#hooks = hooks;
    this.#restartTimeoutMs = options.iceRestartTimeoutMs ?? 10_000;
    this.#disconnectedTimeoutMs = options.disconnectedTimeoutMs ?? 4_000;
    pc.addEventListener('connectionstatechange', this.#onChange);
    pc.addEventListener('iceconnectionstatechange', this.#onChange);
    const connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
    if (connectTimeoutMs > 0) {
      this.#connectTimer = this.#clock.setTimeout(() => {
        this.#connectTimer = null;
        if (!this.#everConnected) {
          this.giveUp('no connection within the connect timeout');
        }
      }, connectTimeoutMs);
    }
  }

  get state(): PeerConnectionState {
    return this.#state;
  }

  /** Gives up on this connection (idempotent): state `failed`, then `onGiveUp`. */
  giveUp(reason: string): void {
    if (this.#closed || this.#gaveUp) {
      return;
    }
    this.#gaveUp = true;
    this.#clearTimers();
    this.#setState('failed');
    this.#hooks.onGiveUp(reason);
  }

  /** Stops watching (timers cleared); the state becomes `closed`. */
  close(): void {
    if (this.#closed) {
      return;
    }
    this.#clearTimers();
    this.#pc.removeEventListener('connectionstatechange', this.#onChange);
    this.#pc.removeEventListener('iceconnectionstatechange', this.#onChange);
    this.#setState('closed');
    this.#closed = true;
  }

  /** Stops the timers without closing (the peer asked for a rebuild). */
  pause(): void {
    this.#clearTimers();
  }

  readonly #onChange = (): void => {
    if (this.#closed) {
      return;
    }
    const raw = rawState(this.#pc);
    if (raw === 'connected') {
      this.#everConnected = true;
      this.#clearTimers();
    } else if (raw === 'failed') {
      this.#restartIce();
    } else if (raw === 'disconnected' && this.#disconnectedTimer === null && this.#restartTimer === null) {
      this.#disconnectedTimer = this.#clock.setTimeout(() => {
        this.#disconnectedTimer = null;
        const now = rawState(this.#pc);
        if (now === 'disconnected' || now === 'failed') {
          this.#restartIce();
        }
      }, this.#disconnectedTimeoutMs);
    }
    const mapped = this.#map(raw);
    if (this.#state === 'connected' && mapped === 'reconnecting' && (raw === 'connecting' || raw === 'new')) {
      // Firefox reports `connecting` while a renegotiation adds an m-line (a transport not yet bundled);
      // only a lasting one is a real reconnect.
      if (this.#flapTimer === null) {
        this.#flapTimer = this.#clock.setTimeout(() => {
          this.#flapTimer = null;
          const now = rawState(this.#pc);
          if (!this.#closed && now !== 'connected') {
            this.#setState(this.#map(now));
          }
        }, FLAP_MS);
      }
      return;
    }
    if (this.#flapTimer !== null) {
      this.#clock.clearTimeout(this.#flapTimer);
    }
    this.#flapTimer = null;
    this.#setState(mapped);
  };

  #map(raw: string): PeerConnectionState {
    if (this.#gaveUp) {
      return 'failed';
    }
    if (raw === 'connected') {
      return 'connected';
    }
    if (raw === 'closed') {
      return 'closed';
    }
    if (raw === 'new') {
      return this.#everConnected ? 'reconnecting' : 'new';
    }
    // connecting, disconnected, failed (while an ICE restart is under way)
    return this.#everConnected ? 'reconnecting' : 'connecting';
  }

  #restartIce(): void {
    if (this.#closed || this.#gaveUp || this.#restartTimer !== null) {
      return;
    }
    if (this.#disconnectedTimer !== null) {
      this.#clock.clearTimeout(this.#disconnectedTimer);
    }
    this.#disconnectedTimer = null;
    try {
      this.#pc.restartIce();
    } catch {
      // older browsers: giving up below still recovers through a rebuild
    }
    this.#restartTimer = this.#clock.setTimeout(() => {
      this.#restartTimer = null;
      if (rawState(this.#pc) !== 'connected') {
        this.giveUp('ICE restart did not reconnect');
      }
    }, this.#restartTimeoutMs);
  }

  #clearTimers(): void {
    for (const timer of [this.#restartTimer, this.#disconnectedTimer, this.#connectTimer, this.#flapTimer]) {
      if (timer !== null) {
        this.#clock.clearTimeout(timer);
      }
    }
    this.#restartTimer = null;
    this.#disconnectedTimer = null;
    this.#connectTimer = null;
    this.#flapTimer = null;
  }

  #setState(state: PeerConnectionState): void {
    if (this.#closed || this.#state === state) {
      return;
    }
    this.#state = state;
    this.#hooks.onState(state);
  }
}

function rawState(pc: SupervisedConnection): string {
  if (typeof pc.connectionState === 'string') {
    return pc.connectionState;
  }
  const ice = pc.iceConnectionState;
  if (ice === 'checking') {
    return 'connecting';
  }
  if (ice === 'completed') {
    return 'connected';
  }
  return ice;
}
