import {
  RendezvousError,
  errorFromWire,
  parseServerMessage,
  type ClientMessageInput,
  type ErrorCode,
  type IceServer,
  type ServerMessage,
  type ServerMessageOf,
  type ServerMessageType,
  type SessionConfig,
} from '@rendezvous/protocol';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { watchPage } from './page-lifecycle.js';
import { PendingRequests } from './pending-requests.js';
import { SendPacer } from './send-pacer.js';
import { detach, handshake, type WebSocketConstructor, type WebSocketLike, type Welcome } from './signaling-socket.js';
import { signalingUrl } from './signaling-url.js';
import { TypedEmitter } from './typed-emitter.js';

export type { WebSocketConstructor, WebSocketLike, Welcome };

export type SignalingState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface SignalingClientOptions {
  displayName: string;
  /** Opaque credential for the server's auth hook (for example a JWT). */
  token?: string;
  /** Defaults to the global `WebSocket`. */
  WebSocketImpl?: WebSocketConstructor;
  /** How long to wait for `welcome` after the socket opens (and for the socket to open). Default 10 s. */
  helloTimeoutMs?: number;
  /** Reconnection after an unexpected drop; `false` disables it. */
  reconnect?: false | (BackoffOptions & { /** Give up after this long. Default 120 s. */ timeoutMs?: number });
  /**
   * Resume this earlier session on the first connect (a reloaded page that kept it): the server hands it back
   * with its peer id, room and peer directory id while its resume grace runs; otherwise a new session starts.
   */
  resumeToken?: string;
  /** Close the session (code 1000) on `pagehide`, so others see the leave at once. Default true. */
  closeOnPageHide?: boolean;
  /**
   * Outgoing frames are paced to stay under the rate limit the server announces (`margin` of it, default
   * 0.9); `false` sends as fast as frames come (the server may then drop some with RATE_LIMITED).
   */
  pacing?: false | { margin?: number };
}

export interface SignalingClientEvents {
  message: [message: ServerMessage];
  state: [state: SignalingState];
  /** The socket was replaced and the server kept the session (same peer id, same room). */
  resumed: [welcome: Welcome];
  /** The session could not be resumed; this is a new session with a new peer id and no room. */
  reset: [welcome: Welcome];
  error: [error: RendezvousError];
  /** Frames left the outbox (see `queuedFrames`): a bulk sender such as the data relay may hand over more. */
  sent: [];
}

const OPEN = 1;
const FATAL_CODES: ReadonlySet<ErrorCode> = new Set(['UNAUTHORIZED', 'PROTOCOL_VERSION']);
/** Close codes after which reconnecting is pointless: 1002 protocol version, 1008 policy (unauthorized). */
const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([1002, 1008]);
const MAX_OUTBOX = 2000;

/** One WebSocket session with the signaling server; reconnects and resumes by itself after a drop. */
export class SignalingClient extends TypedEmitter<SignalingClientEvents> {
  /** The signaling URL for this page (or for an http(s) or ws(s) URL): `ws(s)://<host>/ws`. */
  static readonly urlFor = signalingUrl;
  readonly url: string;
  readonly #options: SignalingClientOptions;
  readonly #WebSocket: WebSocketConstructor;
  #state: SignalingState = 'connecting';
  #socket: WebSocketLike | null = null;
  #welcome: Welcome | null = null;
  readonly #requests = new PendingRequests();
  /** Every outgoing frame goes through it: paced while open, held while reconnecting. */
  readonly #pacer: SendPacer;
  #requestCounter = 0;
  #attempt = 0;
  #reconnectSince = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  #retryHintMs: number | null = null;
  #lastServerError: ErrorCode | null = null;
  #removePageHide: (() => void) | null = null;
  #cancelHandshake: (() => void) | null = null;

  private constructor(url: string, options: SignalingClientOptions) {
    super();
    this.url = url;
    this.#options = options;
    const impl = options.WebSocketImpl ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (impl === undefined) {
      throw new RendezvousError('UNSUPPORTED_BROWSER', 'WebSocket is not available');
    }
    this.#WebSocket = impl;
    const pacing = options.pacing;
    this.#pacer = new SendPacer({
      maxQueued: MAX_OUTBOX,
      margin: pacing === false ? Infinity : pacing?.margin,
      onSent: () => void this.emit('sent'),
    });
  }

  /** Opens the socket, says hello and resolves after `welcome`. */
  static async connect(url: string, options: SignalingClientOptions): Promise<SignalingClient> {
    const client = new SignalingClient(url, options);
    try {
      const welcome = await client.#openSocket(options.resumeToken);
      client.#welcome = welcome;
      client.#setState('open');
      client.#startSending(welcome);
      client.#watchPageHide();
    } catch (error) {
      client.#state = 'closed';
      throw error;
    }
    return client;
  }

  get state(): SignalingState {
    return this.#state;
  }
  get peerId(): string {
    return this.#requireWelcome().peerId;
  }
  get displayName(): string {
    return this.#requireWelcome().displayName;
  }
  get iceServers(): RTCIceServer[] {
    return this.#requireWelcome().iceServers.map((server: IceServer) => ({ ...server }));
  }
  get config(): SessionConfig {
    return this.#requireWelcome().config;
  }
  /** Frames waiting to be sent (paced, or held while reconnecting). */
  get queuedFrames(): number {
    return this.#pacer.queued;
  }
  /** The latest `welcome` (changes after a reconnect). */
  get welcome(): Welcome {
    return this.#requireWelcome();
  }

  /**
   * Sends a message, in order, paced to stay under the server's rate limit. While reconnecting it is
   * queued and sent once the session is resumed. A `signal` gets a requestId so that, should the server
   * still answer RATE_LIMITED, it is sent again.
   */
  send(message: ClientMessageInput): void {
    if (this.#state === 'closed') {
      throw new RendezvousError('SIGNALING_CLOSED');
    }
    if (message.type === 'signal' && message.requestId === undefined) {
      message = { ...message, requestId: this.#nextRequestId('s') };
    }
    this.#pacer.push(JSON.stringify(message), message.requestId);
  }

  /** Sends `message` with a fresh `requestId`; resolves with the reply of an `expect`ed type. */
  request<T extends ServerMessageType>(
    message: ClientMessageInput,
    expect: T | T[],
    timeoutMs = 10_000,
  ): Promise<ServerMessageOf<T>> {
    if (this.#state === 'closed') {
      return Promise.reject(new RendezvousError('SIGNALING_CLOSED'));
    }
    const requestId = this.#nextRequestId('r');
    const reply = this.#requests.wait(requestId, Array.isArray(expect) ? expect : [expect], message.type, timeoutMs);
    try {
      this.send({ ...message, requestId });
    } catch (error) {
      this.#requests.reject(
        requestId,
        error instanceof RendezvousError ? error : new RendezvousError('SIGNALING_CLOSED', undefined, { cause: error }),
      );
    }
    return reply as Promise<ServerMessageOf<T>>;
  }

  /** Ends the session (close code 1000: the server drops it at once, no resume). Idempotent. */
  close(): void {
    this.#shutdown(null);
  }

  // ---- internals ----

  #nextRequestId(prefix: string): string {
    this.#requestCounter += 1;
    return `${prefix}${this.#requestCounter.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  }

  /** The socket is live with a fresh server-side bucket: send (paced) what waits, then what comes. */
  #startSending(welcome: Welcome): void {
    this.#pacer.setLimits(welcome.config.rateLimitPerSecond, welcome.config.rateLimitBurst);
    this.#pacer.attach((text) => {
      const socket = this.#socket;
      if (this.#state !== 'open' || socket === null || socket.readyState !== OPEN) {
        return false;
      }
      socket.send(text);
      return true;
    });
  }

  #requireWelcome(): Welcome {
    if (this.#welcome === null) {
      throw new RendezvousError('INVALID_STATE', 'Not connected yet');
    }
    return this.#welcome;
  }

  #setState(state: SignalingState): void {
    if (this.#state === state) {
      return;
    }
    this.#state = state;
    this.emit('state', state);
  }

  /** Opens one socket and performs the hello/welcome handshake. Installs the live handlers on success. */
  #openSocket(resumeToken: string | undefined): Promise<Welcome> {
    const attempt = handshake({
      WebSocketImpl: this.#WebSocket,
      url: this.url,
      displayName: this.#options.displayName,
      token: this.#options.token,
      resumeToken,
      timeoutMs: this.#options.helloTimeoutMs ?? 10_000,
      onWelcome: (socket) => this.#attachLive(socket),
    });
    this.#socket = attempt.socket;
    this.#cancelHandshake = attempt.cancel;
    return attempt.welcome.then(
      (welcome) => {
        this.#cancelHandshake = null;
        return welcome;
      },
      (error: unknown) => {
        this.#cancelHandshake = null;
        if (this.#socket === attempt.socket) {
          this.#socket = null;
        }
        throw error;
      },
    );
  }

  #attachLive(socket: WebSocketLike): void {
    this.#lastServerError = null;
    socket.onmessage = (event: { data: unknown }) => {
      if (this.#socket !== socket || typeof event.data !== 'string') {
        return;
      }
      this.#handleText(event.data);
    };
    socket.onclose = (event: { code: number; reason: string }) => {
      if (this.#socket !== socket) {
        return;
      }
      detach(socket);
      this.#socket = null;
      this.#pacer.detach();
      this.#onUnexpectedClose(event.code);
    };
    socket.onerror = () => undefined;
  }

  #handleText(text: string): void {
    const parsed = parseServerMessage(text);
    if (!parsed.ok) {
      this.emit('error', new RendezvousError(parsed.code, `Unreadable frame from the server: ${parsed.detail}`));
      return;
    }
    const message = parsed.message;
    const requestId = 'requestId' in message ? message.requestId : undefined;
    // Our pacing keeps under the limit; should the server disagree (clock skew), the frame goes again.
    if (message.type === 'error' && message.code === 'RATE_LIMITED' && requestId !== undefined && this.#pacer.resend(requestId)) {
      return;
    }
    if (message.type === 'error') {
      this.#handleServerError(message, requestId);
    } else {
      this.#requests.answer(requestId, message);
    }
    if (message.type === 'shutdown') {
      this.#retryHintMs = message.reconnectAfterMs ?? null;
    }
    this.emit('message', message);
  }

  /** Rejects the request an `error` answers, with the wire's code and detail; an unanswered one is emitted. */
  #handleServerError(message: ServerMessageOf<'error'>, requestId: string | undefined): void {
    const error = errorFromWire(message);
    const waiting = this.#requests.size;
    if (requestId !== undefined) {
      this.#requests.reject(requestId, error);
    }
    if (this.#requests.size < waiting) {
      return;
    }
    this.#lastServerError = message.code;
    this.emit('error', error);
  }

  #onUnexpectedClose(code: number): void {
    if (this.#state === 'closed') {
      return;
    }
    const reconnect = this.#options.reconnect;
    const fatal = FATAL_CLOSE_CODES.has(code) || (this.#lastServerError !== null && FATAL_CODES.has(this.#lastServerError));
    if (reconnect === false || fatal) {
      const code2 = this.#lastServerError ?? 'SIGNALING_CLOSED';
      this.#shutdown(new RendezvousError(code2, `The signaling connection closed (${code})`));
      return;
    }
    this.#attempt = 0;
    this.#reconnectSince = Date.now();
    this.#setState('reconnecting');
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#state !== 'reconnecting') {
      return;
    }
    const options = this.#options.reconnect === false ? {} : (this.#options.reconnect ?? {});
    const hint = this.#retryHintMs;
    this.#retryHintMs = null;
    const delay = hint ?? backoffDelay(this.#attempt, options);
    this.#attempt += 1;
    if (this.#reconnectTimer !== null) {
      clearTimeout(this.#reconnectTimer);
    }
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      void this.#tryReconnect();
    }, delay);
  }

  /** Skips the wait of the current backoff step (for example when the browser comes back online). */
  #reconnectNow(): void {
    if (this.#state !== 'reconnecting' || this.#reconnectTimer === null) {
      return;
    }
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    void this.#tryReconnect();
  }

  async #tryReconnect(): Promise<void> {
    if (this.#state !== 'reconnecting') {
      return;
    }
    const token = this.#welcome?.resumeToken;
    let welcome: Welcome;
    try {
      welcome = await this.#openSocket(token);
    } catch (error) {
      if (this.#state !== 'reconnecting') {
        return;
      }
      const err =
        error instanceof RendezvousError ? error : new RendezvousError('SIGNALING_UNREACHABLE', undefined, { cause: error });
      const options = this.#options.reconnect === false ? {} : (this.#options.reconnect ?? {});
      const timeoutMs = options.timeoutMs ?? 120_000;
      if (FATAL_CODES.has(err.code) || Date.now() - this.#reconnectSince > timeoutMs) {
        this.#shutdown(err.code === 'TIMEOUT' ? new RendezvousError('SIGNALING_UNREACHABLE', err.message) : err);
        return;
      }
      this.#scheduleReconnect();
      return;
    }
    if (this.#state !== 'reconnecting') {
      // closed while the handshake was running
      this.#socket?.close(1000);
      this.#socket = null;
      return;
    }
    this.#welcome = welcome;
    if (welcome.resumed) {
      this.#setState('open');
      this.#startSending(welcome);
      this.emit('resumed', welcome);
    } else {
      this.#pacer.clear();
      this.#requests.rejectAll(new RendezvousError('RESUME_FAILED'));
      this.#setState('open');
      this.#startSending(welcome);
      this.emit('reset', welcome);
    }
  }

  #shutdown(error: RendezvousError | null): void {
    if (this.#state === 'closed') {
      return;
    }
    this.#state = 'closed';
    if (this.#reconnectTimer !== null) {
      clearTimeout(this.#reconnectTimer);
    }
    this.#reconnectTimer = null;
    this.#removePageHide?.();
    this.#removePageHide = null;
    this.#cancelHandshake?.();
    const socket = this.#socket;
    this.#socket = null;
    if (socket !== null) {
      detach(socket);
      try {
        socket.close(1000, 'bye');
      } catch {
        // ignore
      }
    }
    this.#pacer.close();
    this.#requests.rejectAll(new RendezvousError('SIGNALING_CLOSED'));
    if (error !== null) {
      this.emit('error', error);
    }
    this.emit('state', 'closed');
  }

  #watchPageHide(): void {
    this.#removePageHide = watchPage({
      onPageHide: this.#options.closeOnPageHide === false ? null : () => this.close(),
      onOnline: () => this.#reconnectNow(),
    });
  }
}
