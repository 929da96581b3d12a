import { realClock, silentLogger, type Clock, type Logger } from '@rendezvous/common';
import { parseClientMessage, peerId, type ServerMessage } from './messages.js';
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

/** The query of `<path>/peerjs?key=&id=&token=&version=`. */
export interface ConnectQuery {
  key: string | null;
  id: string | null;
  token: string | null;
}

function sendTo(socket: PeerSocket, message: ServerMessage): void {
  socket.send(JSON.stringify(message));
}

/** PeerServer's behaviour without the transport: accepting sockets, relaying, queueing, timeouts. */
export class PeerjsEndpoint {
  readonly limits: PeerjsLimits;
  readonly realm: Realm;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly timers: unknown[];

  constructor(options: { clock?: Clock; logger?: Logger; limits?: Partial<PeerjsLimits> } = {}) {
    this.limits = { ...PEERJS_DEFAULTS, ...options.limits };
    this.clock = options.clock ?? realClock;
    this.log = options.logger ?? silentLogger;
    this.realm = new Realm(this.clock, this.limits, this.log);
    const expireEvery = Math.max(100, Math.min(1_000, this.limits.expire_timeout));
    const aliveEvery = Math.max(100, Math.min(1_000, this.limits.alive_timeout));
    this.timers = [
      this.clock.setInterval(() => this.realm.expire(), expireEvery),
      this.clock.setInterval(() => this.realm.closeSilent(), aliveEvery),
    ];
  }

  /** Accepts or refuses one socket; a refused one gets its message and is closed, and undefined comes back. */
  connect(query: ConnectQuery, socket: PeerSocket): PeerSession | undefined {
    const refuse = (message: ServerMessage): undefined => {
      sendTo(socket, message);
      socket.close();
      return undefined;
    };
    if (query.key !== this.limits.key) {
      return refuse({ type: 'INVALID-KEY', payload: { msg: `Invalid key provided` } });
    }
    if (query.id === null || query.token === null || !peerId.safeParse(query.id).success || query.token === '') {
      return refuse({ type: 'ERROR', payload: { msg: 'No id, token, or key supplied to websocket server' } });
    }
    const existing = this.realm.get(query.id);
    if (existing !== undefined && existing.token !== query.token) {
      return refuse({ type: 'ID-TAKEN', payload: { msg: 'ID is taken' } });
    }
    if (existing === undefined && this.realm.size >= this.limits.concurrent_limit) {
      return refuse({ type: 'ERROR', payload: { msg: 'Server has reached its concurrent user limit' } });
    }
    if (existing !== undefined) {
      // The same id and token: a reconnect, which replaces the old socket as in PeerServer.
      this.realm.remove(existing);
      existing.close();
    }
    return this.open(query.id, query.token, socket);
  }

  private open(id: string, token: string, socket: PeerSocket): PeerSession {
    const peer: Peer = {
      id,
      token,
      lastSeen: this.clock.now(),
      send: (message) => sendTo(socket, message),
      close: () => socket.close(),
    };
    sendTo(socket, { type: 'OPEN' });
    this.realm.add(peer);
    return {
      onMessage: (text) => {
        peer.lastSeen = this.clock.now();
        const message = parseClientMessage(text);
        if (message === undefined) {
          this.log.debug({ id }, 'peerjs message refused: invalid');
          peer.send({ type: 'ERROR', payload: { msg: 'Invalid message' } });
          return;
        }
        if (message.type !== 'HEARTBEAT' && this.realm.get(id) === peer) {
          this.realm.relay(peer, message);
        }
      },
      onClose: () => this.realm.remove(peer),
    };
  }

  /** Stops the timers and closes every socket. */
  close(): void {
    this.clock.clearInterval(this.timers[0]);
    this.clock.clearInterval(this.timers[1]);
    this.realm.clear();
  }
}
