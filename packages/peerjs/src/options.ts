import type { IncomingMessage, Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { Clock, Logger } from '@rendezvous/common';

/** PeerServer's settings, with its names and defaults. */
export interface PeerjsLimits {
  /** The API key clients must present. */
  key: string;
  /** A socket silent (no message, no HEARTBEAT) this long is closed. */
  alive_timeout: number;
  /** A message to a peer not connected is dropped after this long, and its sender gets EXPIRE. */
  expire_timeout: number;
  /**
   * After a peer's socket closes, how long its id may come back before the peers it talked to get LEAVE
   * (PeerServer sends none; peerjs closes its connections to that peer on LEAVE). An SDK peer's id stays
   * reserved for its token for as long.
   */
  leave_timeout: number;
  /** Connected peers at most; more get ERROR. */
  concurrent_limit: number;
  /** Whether GET <path>/<key>/peers lists connected ids. */
  allow_discovery: boolean;
  /** Messages held for one peer not yet connected; more are dropped with EXPIRE. */
  max_queued_per_peer: number;
  /** Largest frame accepted from a client, in bytes. */
  max_message_bytes: number;
  /** Bytes held for peers not yet connected, all senders together; past it, a message expires at once. */
  max_queued_bytes: number;
  /** Messages one sender may have waiting for peers not yet connected; past it, its messages expire at once. */
  max_queued_per_sender: number;
  /** Open peerjs sockets from one client address (an IPv6 /64 counts as one when the host says so); more get 429. */
  max_connections_per_address: number;
  /** Messages per second one socket may send (token bucket); past the burst, reading pauses until tokens come. */
  rate_limit_per_second: number;
  rate_limit_burst: number;
  /** Messages held while reading is paused; past it, the socket is closed (1008). */
  rate_limit_hold_frames: number;
}

export const PEERJS_DEFAULTS: PeerjsLimits = {
  key: 'peerjs',
  alive_timeout: 60_000,
  expire_timeout: 5_000,
  leave_timeout: 5_000,
  concurrent_limit: 5_000,
  allow_discovery: false,
  max_queued_per_peer: 100,
  max_message_bytes: 64 * 1024,
  max_queued_bytes: 16 * 1024 * 1024,
  max_queued_per_sender: 200,
  max_connections_per_address: 256,
  rate_limit_per_second: 50,
  rate_limit_burst: 200,
  rate_limit_hold_frames: 32,
};

export interface PeerjsOptions {
  server: Server;
  /** Where the endpoint lives, like PeerServer's `path`. Default '/peerjs'. */
  path?: string;
  clock?: Clock;
  logger?: Logger;
  limits?: Partial<PeerjsLimits>;
  /**
   * Upgrade paths other listeners on `server` own. When given, an upgrade on any other path gets 404 here;
   * without it, other paths are left alone.
   */
  otherUpgradePaths?: readonly string[];
  /** Metrics are registered here when given. */
  registry?: Registry;
  /** The key of per-address limits. Default: the socket's remote address. */
  clientAddress?: (request: IncomingMessage) => string;
  /** A fresh id for GET <path>/<key>/id. Default: a random UUID. */
  newId?: () => string;
}
