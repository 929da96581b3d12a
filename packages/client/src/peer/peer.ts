/**
 * `Peer`: the PeerJS model on Rendezvous's own `/ws` protocol. A peer takes an id in the server's directory (the
 * same namespace the `/peerjs` endpoint serves, so peerjs clients and SDK peers reach each other), then calls and
 * connects by id: `peer.call(id, stream)`, `peer.connect(id)`, `peer.on('call' | 'connection')`. Each connection
 * is one RTCPeerConnection negotiated with peerjs's OFFER/ANSWER/CANDIDATE payloads. Beyond peerjs: TURN from the
 * server with no configuration, the id reclaimed after a reload (the resume token), `close` on both sides, ICE
 * restart between SDK peers, `peer-unavailable` for an unreachable id.
 */
import { TypedEmitter } from '@rendezvous/common';
import { DirectoryIdSchema, JsonValueSchema, type DirectoryMessage, type JsonValue } from '@rendezvous/protocol';
import { SignalingClient, type SignalingClientOptions, type WebSocketConstructor } from '../signaling-client.js';
import type { AnyConnection, ConnectionHost } from './base-connection.js';
import type { SignalKind } from './connection-link.js';
import { DataConnection, type ConnectOptions } from './data-connection.js';
import { MediaConnection, type CallOptions } from './media-connection.js';
import { PeerDirectory } from './peer-directory.js';
import { PeerError, toPeerError } from './peer-errors.js';
import {
  DEFAULT_STORAGE_KEY,
  checkSession,
  clearSession,
  readSession,
  writeSession,
  type PeerSession,
  type StorageLike,
} from './peer-session.js';
import { newConnectionId } from './wire.js';

export interface PeerOptions {
  /** The server: an http(s) or ws(s) URL. Default: this page's origin. */
  url?: string;
  /** The session's display name on the server (default 'peer'). */
  displayName?: string;
  /** Opaque credential for the server's auth hook (for example a JWT). */
  token?: string;
  /** Keep the session here (e.g. `sessionStorage`) so that a reloaded page gets the same id back. */
  storage?: StorageLike;
  /** The key under `storage` (default 'rendezvous-peer'). */
  storageKey?: string;
  /** An earlier `peer.session` (kept by the application): takes that id back. Wins over `storage`. */
  session?: PeerSession;
  /** RTCConfiguration for every connection; without `iceServers` the server's (STUN and TURN) are used. */
  config?: RTCConfiguration;
  /** Signaling reconnection after a drop (see SignalingClientOptions). */
  reconnect?: SignalingClientOptions['reconnect'];
  WebSocketImpl?: WebSocketConstructor;
  /** The RTCPeerConnection constructor (default: the global one). */
  RTCPeerConnection?: typeof RTCPeerConnection;
}

export interface PeerEvents {
  /** The id is ours on the server. */
  open: [id: string];
  call: [call: MediaConnection];
  connection: [connection: DataConnection];
  /** `destroy()` ran: every connection is closed. */
  close: [];
  /** The server connection is gone (`disconnect()`, or it was lost); connections stay up. */
  disconnected: [id: string];
  error: [error: PeerError];
}

export class Peer extends TypedEmitter<PeerEvents> {
  readonly #options: PeerOptions;
  readonly #directory: PeerDirectory;
  #signaling: SignalingClient | null = null;
  #offSignaling: (() => void)[] = [];
  #id: string | null = null;
  #lastId: string | null;
  #open = false;
  /** The id was ours once (peerjs's `_lastServerId`): errors then disconnect rather than destroy. */
  #opened = false;
  #disconnected = false;
  #destroyed = false;
  #waiting: { start: () => void; connection: AnyConnection }[] = [];
  /** The token the server paired with our id. */
  #token: string | null = null;

  constructor(id?: string | PeerOptions, options?: PeerOptions) {
    super();
    const wanted = typeof id === 'string' ? id : undefined;
    this.#options = (typeof id === 'object' ? id : options) ?? {};
    this.#directory = new PeerDirectory(this.#host(), {
      call: (call) => this.emit('call', call),
      connection: (connection) => this.emit('connection', connection),
      error: (error) => this.emit('error', error),
      leave: (dst, payload) => this.#signal('LEAVE', dst, payload),
    });
    this.#lastId = wanted ?? null;
    if (wanted !== undefined && !DirectoryIdSchema.safeParse(wanted).success) {
      queueMicrotask(() => this.#abort(new PeerError('invalid-id', 'PEER_ID_INVALID', `ID "${wanted}" is invalid`)));
      return;
    }
    void this.#connect(wanted, true);
  }

  /** Our id, once `open` (null before, and after `disconnect()`). */
  get id(): string | null {
    return this.#id;
  }
  get open(): boolean {
    return this.#open;
  }
  get disconnected(): boolean {
    return this.#disconnected;
  }
  get destroyed(): boolean {
    return this.#destroyed;
  }
  /**
   * What takes this id back later (pass it as `session` to a new Peer, after a reload say): null until `open`.
   * With `storage`, the Peer keeps it there by itself.
   */
  get session(): PeerSession | null {
    if (this.#id === null || this.#token === null) {
      return null;
    }
    const resumeToken = this.#signaling?.state === 'open' ? this.#signaling.welcome.resumeToken : undefined;
    return { id: this.#id, token: this.#token, ...(resumeToken === undefined ? {} : { resumeToken }) };
  }
  /** The connections by remote peer id (as peerjs's `peer.connections`). */
  get connections(): Record<string, (MediaConnection | DataConnection)[]> {
    return this.#directory.snapshot();
  }

  getConnection(peer: string, connectionId: string): MediaConnection | DataConnection | null {
    return this.#directory.find(peer, connectionId);
  }

  /** Calls `peer` with `stream`; the returned call emits `stream` once answered. Throws when destroyed or disconnected. */
  call(peer: string, stream: MediaStream, options: CallOptions = {}): MediaConnection {
    const metadata = this.#checkOutgoing(peer, options.metadata);
    const call = new MediaConnection(
      { host: this.#host(), peer, connectionId: newConnectionId('media'), metadata, originator: true, offer: null },
      stream,
    );
    this.#startWhenOpen(call, () => call._start());
    return call;
  }

  /** Opens a data connection to `peer`; it emits `open`, then `data` for each message. Throws when destroyed or disconnected. */
  connect(peer: string, options: ConnectOptions = {}): DataConnection {
    const metadata = this.#checkOutgoing(peer, options.metadata);
    const connectionId = newConnectionId('data');
    const connection = new DataConnection({
      host: this.#host(),
      peer,
      connectionId,
      metadata,
      originator: true,
      offer: null,
      label: options.label ?? connectionId,
      serialization: options.serialization ?? 'binary',
      reliable: options.reliable ?? true,
    });
    this.#startWhenOpen(connection, () => connection._start());
    return connection;
  }

  /** Leaves the server (the id is given up; connections stay up). `reconnect()` takes the id again. Idempotent. */
  disconnect(): void {
    if (this.#disconnected || this.#destroyed) {
      return;
    }
    const id = this.#id ?? this.#lastId ?? '';
    this.#disconnected = true;
    this.#open = false;
    this.#id = null;
    this.#closeSignaling();
    this.emit('disconnected', id);
  }

  /** After `disconnect()` (or a lost server connection): connects again and asks for the same id. */
  reconnect(): void {
    if (this.#destroyed) {
      throw new PeerError('disconnected', 'INVALID_STATE', 'This peer was destroyed; make a new one.');
    }
    if (!this.#disconnected) {
      throw new PeerError('disconnected', 'INVALID_STATE', 'This peer is not disconnected.');
    }
    this.#disconnected = false;
    void this.#connect(this.#lastId ?? undefined, false);
  }

  /** Closes every connection (telling the other sides), leaves the server and forgets the stored session. Idempotent. */
  destroy(): void {
    if (this.#destroyed) {
      return;
    }
    this.#directory.closeAll();
    for (const { connection } of this.#waiting.splice(0)) {
      connection.close();
    }
    this.disconnect();
    this.#destroyed = true;
    if (this.#options.storage !== undefined) {
      clearSession(this.#options.storage, this.#options.storageKey ?? DEFAULT_STORAGE_KEY);
    }
    this.emit('close');
    this.removeAllListeners();
  }

  // ---- internals ----

  #host(): ConnectionHost {
    return {
      createPeerConnection: () => this.#createPeerConnection(),
      signal: (kind, dst, payload) => this.#signal(kind, dst, payload),
      closed: (connection, notify) => this.#directory.closed(connection, notify),
    };
  }

  #checkOutgoing(peer: string, metadata: unknown): JsonValue | undefined {
    if (this.#destroyed || this.#disconnected) {
      throw new PeerError('disconnected', 'INVALID_STATE', 'Cannot connect after disconnect() or destroy().');
    }
    if (!DirectoryIdSchema.safeParse(peer).success) {
      throw new TypeError(`Not a peer id: ${JSON.stringify(peer)}`);
    }
    if (metadata !== undefined && !JsonValueSchema.safeParse(metadata).success) {
      throw new TypeError('metadata must be a JSON value.');
    }
    return metadata as JsonValue | undefined;
  }

  #startWhenOpen(connection: AnyConnection, start: () => void): void {
    this.#directory.add(connection);
    if (this.#open) {
      start();
    } else {
      this.#waiting.push({ start, connection });
    }
  }

  #createPeerConnection(): RTCPeerConnection {
    const PC =
      this.#options.RTCPeerConnection ?? (globalThis as { RTCPeerConnection?: typeof RTCPeerConnection }).RTCPeerConnection;
    if (PC === undefined) {
      throw new PeerError('browser-incompatible', 'UNSUPPORTED_BROWSER', 'RTCPeerConnection is missing.');
    }
    const config = this.#options.config ?? {};
    const iceServers = config.iceServers ?? (this.#signaling?.state === 'open' ? this.#signaling.iceServers : []);
    return new PC({ ...config, iceServers });
  }

  #signal(kind: SignalKind | 'LEAVE', dst: string, payload: Record<string, unknown> | undefined): void {
    const signaling = this.#signaling;
    if (signaling === null || signaling.state === 'closed' || !this.#open) {
      return; // without the server, connections go on by themselves; their signals are lost
    }
    try {
      const message = { type: kind, dst, ...(payload === undefined ? {} : { payload }) } as DirectoryMessage;
      signaling.send({ type: 'peer-signal', message });
    } catch (error) {
      this.emit('error', toPeerError(error, 'network'));
    }
  }

  /** Opens the server session (presenting a stored resume token) and takes the id. */
  async #connect(id: string | undefined, first: boolean): Promise<void> {
    const options = this.#options;
    const earlier = this.#earlierSession(id);
    const resumeToken = first ? earlier?.resumeToken : undefined;
    const wanted = id ?? earlier?.id;
    this.#token = earlier?.token ?? this.#token;
    let signaling: SignalingClient;
    try {
      signaling = await SignalingClient.connect(
        options.url === undefined ? SignalingClient.urlFor() : SignalingClient.urlFor(options.url),
        {
          displayName: options.displayName ?? 'peer',
          ...(options.token === undefined ? {} : { token: options.token }),
          ...(options.reconnect === undefined ? {} : { reconnect: options.reconnect }),
          ...this.#socketOptions(resumeToken),
        },
      );
    } catch (error) {
      this.#abort(toPeerError(error, 'network'));
      return;
    }
    if (this.#destroyed || this.#disconnected) {
      signaling.close();
      return;
    }
    this.#signaling = signaling;
    this.#offSignaling = [
      signaling.on('message', (message) => {
        if (message.type === 'peer-signal') {
          this.#directory.deliver(message.message);
        }
      }),
      signaling.on('resumed', () => this.#persist()),
      signaling.on('reset', () => void this.#takeId(this.#id ?? wanted)),
      signaling.on('state', (state) => state === 'closed' && this.#lostServer()),
      signaling.on('error', (error) => this.emit('error', toPeerError(error, 'server-error'))),
    ];
    await this.#takeId(wanted);
  }

  /** The session this Peer may take back: `options.session`, else the stored one (for the same id, if one is asked). */
  #earlierSession(id: string | undefined): PeerSession | null {
    const options = this.#options;
    const given = options.session === undefined ? null : checkSession(options.session);
    const stored =
      given ?? (options.storage === undefined ? null : readSession(options.storage, options.storageKey ?? DEFAULT_STORAGE_KEY));
    return stored !== null && (id === undefined || stored.id === id) ? stored : null;
  }

  /** Keeping the session across a reload needs the socket left to drop on pagehide (a clean close ends it). */
  #socketOptions(
    resumeToken: string | undefined,
  ): Pick<SignalingClientOptions, 'WebSocketImpl' | 'closeOnPageHide' | 'resumeToken'> {
    const Impl = this.#options.WebSocketImpl;
    const keeps = this.#options.storage !== undefined || this.#options.session !== undefined;
    return {
      ...(Impl === undefined ? {} : { WebSocketImpl: Impl }),
      ...(resumeToken === undefined ? {} : { resumeToken }),
      closeOnPageHide: !keeps,
    };
  }

  async #takeId(id: string | undefined): Promise<void> {
    const signaling = this.#signaling;
    if (signaling === null) {
      return;
    }
    try {
      const token = this.#token;
      const opened = await signaling.request(
        { type: 'peer-open', ...(id === undefined ? {} : { id }), ...(id === undefined || token === null ? {} : { token }) },
        'peer-opened',
      );
      if (this.#signaling !== signaling || this.#destroyed) {
        return;
      }
      this.#id = opened.id;
      this.#token = opened.token;
      this.#lastId = opened.id;
      this.#open = true;
      this.#opened = true;
      this.#persist();
      this.emit('open', opened.id);
      for (const { start } of this.#waiting.splice(0)) {
        start();
      }
    } catch (error) {
      if (this.#signaling === signaling) {
        this.#abort(toPeerError(error, 'server-error'));
      }
    }
  }

  #persist(): void {
    const storage = this.#options.storage;
    const session = this.session;
    if (storage !== undefined && session !== null) {
      writeSession(storage, this.#options.storageKey ?? DEFAULT_STORAGE_KEY, session);
    }
  }

  /** As peerjs: an error before the id was ever ours destroys the peer; after, it disconnects. */
  #abort(error: PeerError): void {
    if (this.#destroyed) {
      return;
    }
    this.emit('error', error);
    if (!this.#opened) {
      this.destroy();
    } else {
      this.disconnect();
    }
  }

  #lostServer(): void {
    if (this.#disconnected || this.#destroyed) {
      return;
    }
    this.emit('error', new PeerError('network', 'SIGNALING_CLOSED', 'Lost connection to server.'));
    this.disconnect();
  }

  #closeSignaling(): void {
    for (const off of this.#offSignaling.splice(0)) {
      off();
    }
    const signaling = this.#signaling;
    this.#signaling = null;
    signaling?.close();
  }
}
