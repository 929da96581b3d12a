import type { IncomingMessage } from 'node:http';
import { ERROR_CATALOG, type ErrorCode, type ServerMessage } from '@rendezvous/protocol';
import { WebSocket } from 'ws';
import type { SignalingMetrics } from './metrics.js';
import type { Logger } from './options.js';
import type { TokenBucket } from './rate-limit.js';
import type { Session } from './session.js';

export interface ConnectionDeps {
  log: Logger;
  metrics: SignalingMetrics;
  maxBufferedBytes: number;
  bucket: TokenBucket;
}

let nextConnectionId = 1;

/**
 * One WebSocket. Frames from it are handled one at a time, in order, even when a handler awaits a hook,
 * so replies come back in request order.
 */
export class Connection {
  readonly id = nextConnectionId++;
  /** Set once hello succeeded; cleared when the session moves to another socket. */
  session: Session | null = null;
  /** A hello is being handled (hooks may be pending). */
  helloPending = false;
  /** Answered the last ping (or no ping sent yet). */
  alive = true;
  closed = false;
  helloTimer: unknown = null;
  readonly log: Logger;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    readonly ws: WebSocket,
    readonly request: IncomingMessage,
    private readonly deps: ConnectionDeps,
  ) {
    this.log = deps.log.child({ conn: this.id });
  }

  /** Open and not being closed: worth handling frames for and sending to. */
  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === WebSocket.OPEN;
  }

  /** Takes a rate-limit token for one incoming frame. */
  allowFrame(): boolean {
    return this.deps.bucket.take();
  }

  /** Sends one message. Dropped (and logged) when the socket is not open or its send buffer is too full. */
  send(message: ServerMessage): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    if (this.ws.bufferedAmount > this.deps.maxBufferedBytes) {
      this.log.warn({ type: message.type, bufferedAmount: this.ws.bufferedAmount }, 'slow consumer; message dropped');
      return false;
    }
    this.ws.send(JSON.stringify(message));
    return true;
  }

  /** Answers a rejected frame and counts it. `message` defaults to the catalog text. */
  sendError(code: ErrorCode, requestId?: string, message: string = ERROR_CATALOG[code].message): void {
    this.deps.metrics.rejected.inc({ code });
    this.send({ type: 'error', code, message, ...(requestId === undefined ? {} : { requestId }) });
  }

  /** Runs `task` after every earlier task of this socket. Tasks of a closing or closed socket are skipped. */
  enqueue(task: () => void | Promise<void>): void {
    this.tail = this.tail
      .then(() => (this.isOpen ? task() : undefined))
      .catch((error: unknown) => this.log.error({ err: error }, 'frame task failed'));
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
  }

  terminate(): void {
    this.ws.terminate();
  }
}
