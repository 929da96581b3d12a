/**
 * A Peer's connections by remote peer, and what the directory delivers to them: an OFFER makes a call or a data
 * connection (or restarts ICE on one), ANSWER and CANDIDATE go to their connection, LEAVE closes one connection
 * (an SDK peer's) or all of a peer's (a peerjs client's, or the server's after a drop), EXPIRE reports
 * `peer-unavailable`. When a connection closes here, the other side is told: an SDK peer with a LEAVE naming the
 * connection, a peerjs client (whose LEAVE ends all connections) with a LEAVE when the last connection to it ends.
 */
import type { DeliveredDirectoryMessage } from '@rendezvous/protocol';
import type { AnyConnection, ConnectionHost } from './base-connection.js';
import { DataConnection } from './data-connection.js';
import { MediaConnection } from './media-connection.js';
import { MAX_CONNECTIONS, MAX_CONNECTIONS_PER_PEER } from './limits.js';
import { PeerError, badPeerMessage } from './peer-errors.js';
import { extension, readExtension, serializationOf, type OfferMessage } from './wire.js';

export interface DirectoryHooks {
  call(call: MediaConnection): void;
  connection(connection: DataConnection): void;
  error(error: PeerError): void;
  leave(dst: string, payload: Record<string, unknown> | undefined): void;
}

type Connection = MediaConnection | DataConnection;

export class PeerDirectory {
  readonly #host: ConnectionHost;
  readonly #hooks: DirectoryHooks;
  readonly #byPeer = new Map<string, Connection[]>();
  #size = 0;

  constructor(host: ConnectionHost, hooks: DirectoryHooks) {
    this.#host = host;
    this.#hooks = hooks;
  }

  get size(): number {
    return this.#size;
  }

  snapshot(): Record<string, Connection[]> {
    const copy: Record<string, Connection[]> = Object.create(null) as Record<string, Connection[]>;
    for (const [peer, connections] of this.#byPeer) {
      copy[peer] = [...connections];
    }
    return copy;
  }

  find(peer: string, connectionId: string): Connection | null {
    return this.#byPeer.get(peer)?.find((connection) => connection.connectionId === connectionId) ?? null;
  }

  add(connection: AnyConnection): void {
    const list = this.#byPeer.get(connection.peer) ?? [];
    list.push(connection);
    this.#byPeer.set(connection.peer, list);
    this.#size += 1;
  }

  /** A connection closed (ConnectionHost.closed): forget it, and tell the other side when `notify`. */
  closed(connection: AnyConnection, notify: boolean): void {
    const list = this.#byPeer.get(connection.peer);
    const index = list?.indexOf(connection) ?? -1;
    if (list === undefined || index < 0) {
      return;
    }
    list.splice(index, 1);
    this.#size -= 1;
    if (list.length === 0) {
      this.#byPeer.delete(connection.peer);
    }
    if (!notify) {
      return;
    }
    if (connection.remoteIsSdk) {
      this.#hooks.leave(connection.peer, extension({ close: connection.connectionId }));
    } else if (list.length === 0) {
      this.#hooks.leave(connection.peer, undefined);
    }
  }

  closeAll(): void {
    for (const list of [...this.#byPeer.values()]) {
      for (const connection of [...list]) {
        connection.close();
      }
    }
  }

  /** One message from the directory (already checked against the protocol's schema). Never throws. */
  deliver(message: DeliveredDirectoryMessage): void {
    switch (message.type) {
      case 'OFFER':
        return this.#offer(message);
      case 'ANSWER':
      case 'CANDIDATE':
        this.find(message.src, message.payload.connectionId)?._handle(message);
        return;
      case 'LEAVE':
        return this.#leave(message.src, message.payload);
      case 'EXPIRE':
        return this.#expire(message.src);
    }
  }

  #offer(message: OfferMessage): void {
    const { src, payload } = message;
    const existing = this.find(src, payload.connectionId);
    if (existing !== null && readExtension(payload)?.restart === true) {
      existing._handle(message);
      return;
    }
    existing?._closeFromRemote(null); // peerjs: an OFFER for a known connection id replaces that connection
    if (payload.sdp.type !== 'offer') {
      return this.#hooks.error(badPeerMessage(src, 'an OFFER without an offer description'));
    }
    if (this.#size >= MAX_CONNECTIONS || (this.#byPeer.get(src)?.length ?? 0) >= MAX_CONNECTIONS_PER_PEER) {
      return this.#hooks.error(badPeerMessage(src, 'an OFFER past the limit of connections'));
    }
    const init = {
      host: this.#host,
      peer: src,
      connectionId: payload.connectionId,
      metadata: payload.metadata,
      originator: false,
      offer: payload,
    };
    if (payload.type === 'media') {
      const call = new MediaConnection(init, null);
      this.add(call);
      this.#hooks.call(call);
      return;
    }
    const serialization = serializationOf(payload.serialization);
    if (serialization === null) {
      return this.#hooks.error(badPeerMessage(src, `an unknown serialization ${JSON.stringify(payload.serialization)}`));
    }
    const label = payload.label ?? payload.connectionId;
    const connection = new DataConnection({ ...init, label, serialization, reliable: payload.reliable === true });
    this.add(connection);
    connection._start();
    this.#hooks.connection(connection);
  }

  #leave(src: string, payload: unknown): void {
    const closing = readExtension(payload)?.close;
    if (closing !== undefined) {
      this.find(src, closing)?._closeFromRemote(null);
      return;
    }
    for (const connection of [...(this.#byPeer.get(src) ?? [])]) {
      connection._closeFromRemote(null);
    }
  }

  /** The server could not deliver to `src` in time: it is not there. Connections to it that never opened close. */
  #expire(src: string): void {
    const error = new PeerError('peer-unavailable', 'PEER_NOT_FOUND', `Could not connect to peer ${src}`, {
      detail: { peer: src },
    });
    this.#hooks.error(error);
    for (const connection of [...(this.#byPeer.get(src) ?? [])]) {
      if (!connection.open) {
        connection._closeFromRemote(null);
      }
    }
  }
}
