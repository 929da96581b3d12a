import type { IncomingMessage } from 'node:http';
import { ERROR_CATALOG, type ErrorCode, type ErrorDetail, type ServerMessage } from '@rendezvous/protocol';
import { WebSocket, type RawData } from 'ws';
import type { MemoryBudget } from './memory-budget.js';
import type { SignalingMetrics } from './metrics.js';
import type { Clock, Logger } from './options.js';
import type { RateGate, TokenCount } from '@rendezvous/common';
import type { Session } from './session.js';
import { Timer } from '@rendezvous/common';
import { LazyChildLogger } from './lazy-logger.js';
import { SerializedMessage } from './serialized-message.js';

/** What every connection of a server shares (one object per server, not per socket). */
export interface ConnectionDeps {
  log: Logger;
  metrics: SignalingMetrics;
  maxBufferedBytes: number;
  budget: MemoryBudget;
  /** Runs the hello deadline. */
  clock: Clock;
}

/** One WebSocket message as ws delivered it, before decoding. */
export interface IncomingFrame {
  data: RawData;
  isBinary: boolean;
}

let nextConnectionId = 1;

/** Runs a queued task (enqueue through enqueueCall). */
const runTask = (task: () => void | Promise<void>, _b: undefined, _c: undefined): void | Promise<void> => task();

/** The Connection a WebSocket carries (set once, when it is accepted: see Connection.carry). */
const CONNECTION = Symbol('connection');
type CarryingSocket = WebSocket & { [CONNECTION]: Connection };

/** The Connection `ws` carries: how listeners shared by every socket find theirs (`this`). */
export const connectionOf = (ws: WebSocket): Connection => (ws as CarryingSocket)[CONNECTION];

/** Listens only while a ping is unanswered: an idle socket keeps one listener fewer. */
function onPong(this: WebSocket): void {
  this.off('pong', onPong);
  connectionOf(this).markAlive();
}

/**
 * One WebSocket. Frames from it are handled one at a time, in order, even when a handler awaits a hook,
 * so replies come back in request order. It owns its hello deadline, its rate gate and its place in the
 * memory budget; dispose() (the socket closed) lets go of all three and is idempotent. Its link to its
 * session is set and cleared by the session (Session.attach, Session.detachConnection).
 *
 * An idle socket costs little: its logger, its activity waiters, its rate gate (only its token count is
 * there from the start) and its hello deadline (dropped once a session binds) are made when first needed.
 */
export class Connection implements TokenCount {
  readonly id = nextConnectionId++;
  /** Answered the last ping (or no ping sent yet). */
  alive = true;
  private logger: Logger | undefined;
  /** The last task still running asynchronously, with the tasks queued behind it; null when none is. */
  private tail: Promise<void> | null = null;
  /** A task is running synchronously; tasks offered meanwhile wait in `backlog`. */
  private running = false;
  private backlog: Array<() => void | Promise<void>> | undefined;
  private unsentBytes = 0;
  private released = false;
  private activityWaiters: Set<(answered: boolean) => void> | undefined;
  private currentSession: Session | null = null;
  private helloDeadline: Timer | null = null;
  private disposed = false;

  /** The upgrade request, for the hello hooks; let go of once a session is bound (it holds all the headers). */
  private upgradeRequest: IncomingMessage | undefined;

  constructor(
    readonly ws: WebSocket,
    request: IncomingMessage,
    private readonly deps: ConnectionDeps,
    /** The client address (the key of the per-address limits). */
    readonly address: string,
    /** Its frames' token bucket, full at first (kept here, not in an object of its own; see takeToken). */
    public tokens: number,
    public tokensAt: number,
  ) {
    this.upgradeRequest = request;
    (ws as CarryingSocket)[CONNECTION] = this;
  }

  /** This socket's logger (`conn` bound), made on first use. */
  get log(): Logger {
    return (this.logger ??= new LazyChildLogger(this.deps.log, { conn: this.id }));
  }

  /** The HTTP upgrade request of this socket. Only hello reads it: it is released when a session binds. */
  get request(): IncomingMessage {
    if (this.upgradeRequest === undefined) {
      throw new Error('the upgrade request is released once a session is bound');
    }
    return this.upgradeRequest;
  }

  /** Set once hello succeeded; cleared when the session moves to another socket or ends. */
  get session(): Session | null {
    return this.currentSession;
  }

  /** The socket closed (or is being shut down): no more frames are handled. */
  get closed(): boolean {
    return this.disposed;
  }

  /** The hello deadline is running. */
  get awaitingHello(): boolean {
    return this.helloDeadline?.active ?? false;
  }

  /** Runs `onTimeout` unless a session is bound within `ms`. */
  startHelloDeadline(ms: number, onTimeout: () => void): void {
    if (!this.disposed) {
      (this.helloDeadline ??= new Timer(this.deps.clock)).start(ms, onTimeout);
    }
  }

  /** Stops the hello deadline and lets go of it. */
  private dropHelloDeadline(): void {
    this.helloDeadline?.stop();
    this.helloDeadline = null;
  }

  /** Called by Session.attach only: the session now lives on this socket, so the hello deadline stops. */
  bindSession(session: Session): void {
    this.dropHelloDeadline();
    this.currentSession = session;
    this.upgradeRequest = undefined;
  }

  /** Called by Session.detachConnection only. */
  unbindSession(session: Session): void {
    if (this.currentSession === session) {
      this.currentSession = null;
    }
  }

  /**
   * The socket closed (or the server cut it while shutting down): stops the hello deadline and the rate gate, and gives
   * the socket's unsent bytes back to the budget. The session link stays for the caller to act on.
   * Idempotent.
   */
  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.dropHelloDeadline();
    this.release();
  }

  /** Bytes ws held unsent when last measured (what this socket holds against the memory budget). */
  get unsent(): number {
    return this.unsentBytes;
  }

  /** Measures the bytes ws holds unsent now (framing included) and reports a change to the budget. */
  measure(): number {
    if (this.released) {
      return 0;
    }
    const now = this.ws.bufferedAmount;
    if (now !== this.unsentBytes) {
      const before = this.unsentBytes;
      this.unsentBytes = now;
      this.deps.budget.changed(this, before, now);
    }
    return now;
  }

  /** Pings the client; its pong (like any frame) marks it alive. */
  ping(): void {
    if (this.ws.listenerCount('pong') === 0) {
      this.ws.on('pong', onPong);
    }
    this.ws.ping();
  }

  /** The client sent something (a frame or a pong): it is alive. */
  markAlive(): void {
    this.alive = true;
    const waiters = this.activityWaiters;
    if (waiters === undefined) {
      return;
    } // every frame passes here: no iterator when nobody waits
    this.activityWaiters = undefined;
    for (const waiter of waiters) {
      waiter(true);
    }
  }

  /** Calls `fn(true)` on the next frame or pong, or `fn(false)` if the socket closes first. Returns a cancel. */
  onNextActivity(fn: (answered: boolean) => void): () => void {
    if (this.closed) {
      fn(false);
      return () => {};
    }
    const waiters = (this.activityWaiters ??= new Set());
    waiters.add(fn);
    return () => waiters.delete(fn);
  }

  /** The socket closed: its unsent bytes leave the budget, and whoever waits for activity hears no. */
  release(): void {
    if (this.released) {
      return;
    }
    this.released = true;
    this.gate?.close();
    this.deps.budget.changed(this, this.unsentBytes, 0);
    this.unsentBytes = 0;
    const waiters = this.activityWaiters;
    this.activityWaiters = undefined;
    for (const waiter of waiters ?? []) {
      waiter(false);
    }
  }

  /** Open and not being closed: worth handling frames for and sending to. */
  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === WebSocket.OPEN;
  }

  /** Holds this socket's frames while its token bucket is empty; made by the first frame that finds it empty. */
  gate: RateGate<IncomingFrame> | null = null;

  /**
   * Sends one message; false when it was not sent. A socket already holding more than maxBufferedBytes
   * unsent is cut as a slow consumer instead (its session detaches, so the caller may queue the message).
   * Accounting costs one read of ws.bufferedAmount per send while the socket keeps up. A SerializedMessage is sent
   * as the text it already is.
   */
  send(message: ServerMessage | SerializedMessage): boolean {
    if (this.ws.readyState !== WebSocket.OPEN || this.released) {
      return false;
    }
    if (this.unsentBytes > 0 && this.measure() > this.deps.maxBufferedBytes) {
      this.deps.budget.cut(this, 'maxBufferedBytes');
      return false;
    }
    const text = message instanceof SerializedMessage ? message.text : JSON.stringify(message);
    if (!this.deps.budget.admitSend(this, text) || this.released) {
      return false;
    }
    this.ws.send(text);
    this.measure();
    return true;
  }

  /** Sends an error without budget checks (the last words to a socket about to be cut). Best effort. */
  sendFinalError(code: ErrorCode): void {
    this.deps.metrics.rejected.inc({ code });
    if (this.ws.readyState !== WebSocket.OPEN) {
      return;
    }
    this.ws.send(JSON.stringify({ type: 'error', code, message: ERROR_CATALOG[code].message }), () => {});
  }

  /** Answers a rejected frame and counts it. `message` defaults to the catalog text. */
  sendError(code: ErrorCode, requestId?: string, message: string = ERROR_CATALOG[code].message, detail?: ErrorDetail): void {
    this.deps.metrics.rejected.inc({ code });
    this.send({
      type: 'error',
      code,
      message,
      ...(detail === undefined ? {} : { detail }),
      ...(requestId === undefined ? {} : { requestId }),
    });
  }

  /**
   * Runs `task` after every earlier task of this socket. Tasks of a closing or closed socket are skipped.
   * When no earlier task is still running, it runs at once (most frames: no promise, no microtask); a task
   * that returns a promise holds back the ones after it until it settles.
   */
  enqueue(task: () => void | Promise<void>): void {
    this.enqueueCall(runTask, task, undefined, undefined);
  }

  /**
   * enqueue(() => fn(a, b, c)), without making that closure when the call runs at once (every frame of a
   * socket that keeps up): the hot path of each relayed frame.
   */
  enqueueCall<A, B, C>(fn: (a: A, b: B, c: C) => void | Promise<void>, a: A, b: B, c: C): void {
    if (this.running) {
      (this.backlog ??= []).push(() => fn(a, b, c));
      return;
    }
    if (this.tail !== null) {
      const after = this.tail;
      this.track(after.then(() => (this.isOpen ? fn(a, b, c) : undefined)));
      return;
    }
    let result: void | Promise<void> = undefined;
    this.running = true;
    try {
      result = this.isOpen ? fn(a, b, c) : undefined;
    } catch (error) {
      this.log.error({ err: error }, 'frame task failed');
    } finally {
      this.running = false;
    }
    if (result instanceof Promise) {
      this.track(result);
    }
    const backlog = this.backlog;
    if (backlog !== undefined) {
      this.backlog = undefined;
      for (const next of backlog) {
        this.enqueue(next);
      }
    }
  }

  private track(work: Promise<void>): void {
    const tail: Promise<void> = work
      .catch((error: unknown) => this.log.error({ err: error }, 'frame task failed'))
      .then(() => {
        if (this.tail === tail) {
          this.tail = null;
        }
      });
    this.tail = tail;
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(code, reason);
    }
  }

  terminate(): void {
    this.ws.terminate();
  }
}
