import { randomUUID } from 'node:crypto';
import { realClock, silentLogger, type Clock, type Logger } from '@rendezvous/common';
import type { DeliveredDirectoryMessage, DirectoryMessage } from '@rendezvous/protocol';
import { decodeClientMessage, peerId, type ServerMessage } from './messages.js';
import { SplicedMessage } from './raw-message.js';
import type { Registry } from 'prom-client';
import { createPeerjsMetrics, type PeerjsMetrics, type RefusalReason } from './metrics.js';
import { PEERJS_DEFAULTS, type PeerjsLimits } from './options.js';
import { Realm, type Peer } from './realm.js';

/** The little a socket must do for the endpoint: send text and close. */
export interface PeerSocket {
  send(text: string): void;
  close(): void;
}

/** What the endpoint wants told about one accepted socket. */
export interface PeerSession {
  onMessage(text: string): void;
  onClose(): void;
}

/** An SDK session's hold on a directory id: what it sends goes through the realm; release() lets the id go. */
export interface DirectoryMember {
  readonly id: string;
  readonly token: string;
  send(message: DirectoryMessage): void;
  release(): void;
}

/** The query of `<path>/peerjs?key=&id=&token=&version=`. */
export interface ConnectQuery {
  key: string | null;
  id: string | null;
  token: string | null;
}

function sendTo(socket: PeerSocket, message: ServerMessage | SplicedMessage): void {
  socket.send(message instanceof SplicedMessage ? message.text : JSON.stringify(message));
}

/**
 * A peerjs client's socket in the realm: the peer messages are sent to, and the session its frames arrive on.
 * One object per socket, with no closures of its own.
 */
class SocketPeer implements Peer, PeerSession {
  private ended = false;

  constructor(
    readonly id: string,
    readonly token: string,
    private readonly socket: PeerSocket,
    public lastSeen: number,
    private readonly endpoint: PeerjsEndpoint,
  ) {}

  /** The realm closes a silent peerjs client. */
  get watched(): boolean {
    return true;
  }

  /** A peerjs client makes a new token on every load: its id is free at once. */
  get reserves(): boolean {
    return false;
  }

  send(message: ServerMessage | SplicedMessage): void {
    sendTo(this.socket, message);
  }

  close(): void {
    this.socket.close();
  }

  onMessage(text: string): void {
    this.endpoint.received(this, text);
  }

  onClose(): void {
    if (!this.ended) {
      this.ended = true;
      this.endpoint.closed(this);
    }
  }
}

/** PeerServer's behaviour without the transport: accepting sockets, relaying, queueing, timeouts. */
export class PeerjsEndpoint {
  readonly limits: PeerjsLimits;
  readonly realm: Realm;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly timers: unknown[];

  readonly metrics: PeerjsMetrics;
  /** Open peerjs sockets. */
  private sockets = 0;

  constructor(options: { clock?: Clock; logger?: Logger; limits?: Partial<PeerjsLimits>; registry?: Registry } = {}) {
    this.limits = { ...PEERJS_DEFAULTS, ...options.limits };
    this.clock = options.clock ?? realClock;
    this.log = options.logger ?? silentLogger;
    this.realm = new Realm(this.clock, this.limits, this.log);
    this.metrics = createPeerjsMetrics(options.registry, () => ({
      peers: this.realm.size,
      queuedBytes: this.realm.heldBytes,
      sockets: this.sockets,
    }));
    const expireEvery = Math.max(100, Math.min(1_000, this.limits.expire_timeout, this.limits.leave_timeout));
    const aliveEvery = Math.max(100, Math.min(1_000, this.limits.alive_timeout));
    this.timers = [
      this.clock.setInterval(() => {
        this.realm.expire();
        this.realm.leaveDue();
      }, expireEvery),
      this.clock.setInterval(() => this.realm.closeSilent(), aliveEvery),
    ];
  }

  /** Accepts or refuses one socket; a refused one gets its message and is closed, and undefined comes back. */
  connect(query: ConnectQuery, socket: PeerSocket): PeerSession | undefined {
    const refuse = (message: ServerMessage, reason: RefusalReason): undefined => {
      this.metrics.refused.inc({ reason });
      this.log.debug({ id: query.id, reason }, 'peerjs socket refused');
      sendTo(socket, message);
      socket.close();
      return undefined;
    };
    if (query.key !== this.limits.key) {
      return refuse({ type: 'INVALID-KEY', payload: { msg: `Invalid key provided` } }, 'invalid_key');
    }
    if (query.id === null || query.token === null || !peerId.safeParse(query.id).success || query.token === '') {
      return refuse({ type: 'ERROR', payload: { msg: 'No id, token, or key supplied to websocket server' } }, 'bad_query');
    }
    const existing = this.realm.get(query.id);
    const reserved = this.realm.reservedFor(query.id);
    const holder = existing?.token ?? reserved;
    if (holder !== undefined && holder !== query.token) {
      return refuse({ type: 'ID-TAKEN', payload: { msg: 'ID is taken' } }, 'id_taken');
    }
    if (existing === undefined && this.realm.size >= this.limits.concurrent_limit) {
      return refuse({ type: 'ERROR', payload: { msg: 'Server has reached its concurrent user limit' } }, 'concurrent_limit');
    }
    if (existing !== undefined) {
      // The same id and token: a reconnect, which replaces the old socket as in PeerServer.
      this.realm.remove(existing);
      existing.close();
    }
    return this.open(query.id, query.token, socket);
  }

  private open(id: string, token: string, socket: PeerSocket): PeerSession {
    const peer = new SocketPeer(id, token, socket, this.clock.now(), this);
    peer.send({ type: 'OPEN' });
    this.realm.add(peer);
    this.sockets += 1;
    return peer;
  }

  /** A message from a peerjs client's socket (SocketPeer.onMessage). */
  received(peer: SocketPeer, text: string): void {
    peer.lastSeen = this.clock.now();
    const message = decodeClientMessage(text);
    if (message === undefined) {
      this.metrics.refused.inc({ reason: 'invalid_message' });
      this.log.debug({ id: peer.id }, 'peerjs message refused: invalid');
      peer.send({ type: 'ERROR', payload: { msg: 'Invalid message' } });
      return;
    }
    this.metrics.countMessage(message.type);
    if (message.type !== 'HEARTBEAT' && this.realm.get(peer.id) === peer) {
      this.realm.relay(peer, message);
    }
  }

  /** A peerjs client's socket closed (SocketPeer.onClose, once). */
  closed(peer: SocketPeer): void {
    this.sockets -= 1;
    this.realm.remove(peer);
  }

  /**
   * Gives an SDK session (over /ws) directory id `id` (or a fresh one) in the same namespace as peerjs clients.
   * `token` proves ownership: the same id and token take over from a session that still holds it, or come back
   * to it within leave_timeout. Messages for the id reach `deliver`.
   */
  openMember(
    request: { id?: string | undefined; token?: string | undefined },
    deliver: (message: DeliveredDirectoryMessage) => void,
  ): DirectoryMember | 'PEER_ID_TAKEN' | 'PEER_ID_LIMIT' {
    const token = request.token ?? randomUUID();
    let id = request.id;
    while (id === undefined || (request.id === undefined && this.realm.get(id) !== undefined)) {
      id = randomUUID();
    }
    const existing = this.realm.get(id);
    const holder = existing?.token ?? this.realm.reservedFor(id);
    if (holder !== undefined && holder !== token) {
      return 'PEER_ID_TAKEN';
    }
    if (existing === undefined && this.realm.size >= this.limits.concurrent_limit) {
      return 'PEER_ID_LIMIT';
    }
    if (existing !== undefined) {
      this.realm.remove(existing);
      existing.close();
    }
    return this.#member(id, token, deliver);
  }

  #member(id: string, token: string, deliver: (message: DeliveredDirectoryMessage) => void): DirectoryMember {
    let released = false;
    const peer: Peer = {
      id,
      token,
      lastSeen: this.clock.now(),
      watched: false,
      reserves: true,
      // The realm sends a member only relayed directory messages, LEAVE and EXPIRE, all validated on the way in.
      send: (message) => deliver((message instanceof SplicedMessage ? message.message() : message) as DeliveredDirectoryMessage),
      // Taken over by a newer session with the same token: this one stops hearing anything.
      close: () => {
        released = true;
      },
    };
    this.realm.add(peer);
    return {
      id,
      token,
      send: (message) => {
        if (!released && this.realm.get(id) === peer) {
          this.realm.relay(peer, message);
        }
      },
      release: () => {
        released = true;
        this.realm.remove(peer);
      },
    };
  }

  /** Stops the timers and closes every socket. */
  close(): void {
    this.clock.clearInterval(this.timers[0]);
    this.clock.clearInterval(this.timers[1]);
    this.realm.clear();
  }
}
