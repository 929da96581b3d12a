import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { DeliveredDirectoryMessage, DirectoryMessage, IceServer, RoomMode } from '@rendezvous/protocol';
import type { ExternalMember, ExternalMemberInit } from './external-member.js';
import type { SfuPort } from './sfu-port.js';
import type { Registry } from 'prom-client';
import { resolveLimits as resolveLimitsWith, type ChildLogger as Logger, type Clock } from '@rendezvous/common';

/** The server logs through child loggers (per connection, per peer), so its logger must have `child()`. */
export type { Clock, Logger };
export type { LogFn } from '@rendezvous/common';
export { realClock, silentLogger } from '@rendezvous/common';

/** Every limit the signaling server enforces. Each has a default in `DEFAULT_LIMITS`. */
export interface SignalingLimits {
  /** Largest text frame handled. Bigger frames get FRAME_TOO_LARGE (socket stays); ws closes with 1009 past 4x. */
  maxFrameBytes: number;
  /** Members per room of mode `mesh` (ROOM_FULL past it): each member connects to each other one. */
  roomCapacity: number;
  /** Members per room of mode `sfu` (ROOM_FULL past it): each member sends its media once, to the server. */
  sfuRoomCapacity: number;
  /** Rooms clients may create (ROOM_LIMIT past it). Private 1:1 call rooms do not count. */
  maxRooms: number;
  /**
   * Sessions, attached or detached (SESSION_LIMIT past it, then the socket is closed). Sized from memory:
   * one idle session over a real socket costs ~15.5 KiB of server RSS (measured with 2,000 idle sessions:
   * +15.2 to 16.1 KB RSS and 5.9 KB V8 heap each, Node 20, ws 8), plus kernel socket buffers. Giving idle
   * sessions an eighth of a small 1 GiB server (128 MiB) allows 128 MiB / 16 KiB = 8,192, hence 8,000.
   * Messages in flight are bounded separately by memoryBudgetBytes.
   */
  maxSessions: number;
  /** Token-bucket refill per second, per socket. */
  rateLimitPerSecond: number;
  /** Token-bucket size: frames a socket may send in a burst (then frames are held, see below). */
  rateLimitBurst: number;
  /**
   * Frames past the bucket that are held until tokens come, instead of refused: the socket stops reading
   * meanwhile, so a sender a little ahead of the limit (frames bunched by the network or a busy event loop)
   * loses nothing and a flooder is slowed by TCP flow control. Past this many held frames, RATE_LIMITED.
   * 0 refuses every frame past the bucket at once.
   */
  rateLimitHoldFrames: number;
  /** Server ping period. A socket that has not answered the previous ping by the next tick is terminated. */
  heartbeatIntervalMs: number;
  /** How long a session whose socket dropped keeps its peer id, room and call, waiting for a resume. */
  resumeGraceMs: number;
  /** How long an unanswered 1:1 call rings. */
  ringTimeoutMs: number;
  /** How long a new socket may take to say hello before it is closed. */
  helloTimeoutMs: number;
  /**
   * Messages kept for a detached session. A relayed message past it (or past half of it from one sender)
   * is refused to its sender with SERVER_BUSY; room events are collapsed (the resume's room snapshot
   * replaces them). The session is never ended for a full queue.
   */
  maxQueuedWhileDetached: number;
  /** Bytes kept for a detached session, in addition to the count above (same rules). */
  maxQueuedBytesWhileDetached: number;
  /**
   * Bytes one client address may have queued across all detached sessions, charged to the sender's
   * address (server events to the address of the detached session itself). Past it the sender gets
   * SERVER_BUSY. Without it one address could fill the queues' whole half of memoryBudgetBytes; the
   * default is 1/16 of the default budget (16 of 256 MiB), sixteen full queues of 1 MiB.
   */
  maxQueuedBytesPerAddress: number;
  /**
   * Outgoing bytes a socket may have unsent. A message for a socket past it is not dropped: the socket is
   * cut at once as a slow consumer (SLOW_CONSUMER) and its session detaches, so the message and later
   * ones wait in the detached queue and are delivered on resume.
   */
  maxBufferedBytes: number;
  /**
   * Open WebSockets per client address. Past it the new socket gets ADDRESS_LIMIT and is closed with
   * 1013. An office of ~100 people behind one NAT, each with a tab or two open, stays well below 256.
   */
  maxConnectionsPerAddress: number;
  /**
   * Sessions (attached and detached) per client address. A new session from an address at the limit
   * first ends that address's oldest detached session; with none detached it gets ADDRESS_LIMIT (1013).
   * Sized like maxConnectionsPerAddress: one session per open tab of a large office behind one NAT.
   */
  maxSessionsPerAddress: number;
  /**
   * `join` messages per client address per minute (fixed one-minute windows), JOIN_RATE_LIMITED past
   * it. 240 lets 100 people behind one NAT each (re)join twice a minute (reconnects included).
   */
  joinsPerAddressPerMinute: number;
  /**
   * `call` messages per session per minute (fixed one-minute windows), CALL_RATE_LIMITED past it. A
   * person redials a few times a minute at most; 20 stops one socket ringing a victim 50 times a second.
   */
  callsPerCallerPerMinute: number;
  /**
   * Bytes the server may hold in total for all clients: unsent outbound bytes of every socket plus
   * every detached session's queue. A send past it cuts the socket with the most unsent bytes
   * (SLOW_CONSUMER). The queues together may use at most half of it (QUEUED_SHARE), so they never crowd
   * out live sockets; a message for a detached session past that is refused with SERVER_BUSY.
   */
  memoryBudgetBytes: number;
  /**
   * How long a socket's unsent bytes may stay above the drain threshold (64 KiB) without dropping to
   * it. A socket that does not drain in time gets SLOW_CONSUMER and is cut; its session detaches.
   */
  drainTimeoutMs: number;
  /**
   * A hello with the resume token of a session still attached to an open socket pings that socket
   * first. If it answers (pong or any frame) within this time, the token is not honoured and the new
   * socket gets a fresh session; only a silent socket (half-open TCP) loses its session.
   */
  resumeProbeMs: number;
  /**
   * Largest `data` of a `room-event`, in bytes of its JSON (FRAME_TOO_LARGE past it, with `detail`
   * `{ bytes, maxBytes }`). The whole frame must also fit maxFrameBytes. 4 KiB carries a reaction or a raised
   * hand with room to spare; anything bigger belongs on a data channel, not on the server.
   */
  maxRoomEventBytes: number;
  /**
   * Bytes of `relay` data (data in SFU rooms: chat, files, app messages) one session may have the server deliver per
   * second, counted once per recipient, with a burst of one second's worth. Past it a frame is refused with
   * RATE_LIMITED. 16 MiB/s is ~35 rate-limited frames a second of 48 KiB to ten members, far above what a person's
   * chat and file transfers need, and bounds what one member can make the server send to a large room.
   */
  relayBytesPerSecond: number;
}

export const DEFAULT_LIMITS: Readonly<SignalingLimits> = Object.freeze({
  maxFrameBytes: 65_536,
  roomCapacity: 6,
  sfuRoomCapacity: 100,
  maxRooms: 10_000,
  maxSessions: 8_000,
  rateLimitPerSecond: 50,
  rateLimitBurst: 200,
  rateLimitHoldFrames: 32,
  heartbeatIntervalMs: 10_000,
  resumeGraceMs: 15_000,
  ringTimeoutMs: 30_000,
  helloTimeoutMs: 10_000,
  maxQueuedWhileDetached: 256,
  maxQueuedBytesWhileDetached: 1024 * 1024,
  maxQueuedBytesPerAddress: 16 * 1024 * 1024,
  maxBufferedBytes: 4 * 1024 * 1024,
  maxConnectionsPerAddress: 256,
  maxSessionsPerAddress: 256,
  joinsPerAddressPerMinute: 240,
  callsPerCallerPerMinute: 20,
  memoryBudgetBytes: 256 * 1024 * 1024,
  drainTimeoutMs: 15_000,
  resumeProbeMs: 2_000,
  maxRoomEventBytes: 4096,
  relayBytesPerSecond: 16 * 1024 * 1024,
});

/** Limits that may be zero (everything else must be a positive integer). */
const MAY_BE_ZERO: ReadonlySet<keyof SignalingLimits> = new Set([
  'resumeGraceMs',
  'rateLimitHoldFrames',
  'maxQueuedWhileDetached',
  'maxQueuedBytesWhileDetached',
]);

/** Merges overrides onto the defaults and checks every value. Throws RangeError on a bad limit. */
export function resolveLimits(overrides: Partial<SignalingLimits> = {}): SignalingLimits {
  return resolveLimitsWith(DEFAULT_LIMITS, overrides, { mayBeZero: MAY_BE_ZERO, name: 'signaling' });
}

export interface AuthContext {
  /** The `token` field of hello, if any (for example a JWT). */
  token?: string;
  displayName: string;
  /** The HTTP upgrade request (headers, remote address). */
  request: IncomingMessage;
}

/** A session's hold on a peer directory id (see PeerDirectory). */
export interface DirectoryMember {
  readonly id: string;
  readonly token: string;
  send(message: DirectoryMessage): void;
  release(): void;
}

/**
 * The peer directory behind `peer-open` and `peer-signal` (the PeerJS model): ids shared with the
 * PeerServer-compatible endpoint, so an SDK `Peer` and a peerjs client reach each other. Without it,
 * `peer-open` is refused.
 */
export interface PeerDirectory {
  openMember(
    request: { id?: string | undefined; token?: string | undefined },
    deliver: (message: DeliveredDirectoryMessage) => void,
  ): DirectoryMember | 'PEER_ID_TAKEN' | 'PEER_ID_LIMIT';
}

export interface SignalingOptions {
  /** Attached through its 'upgrade' event; the signaling server opens no port of its own. */
  server: HttpServer | HttpsServer;
  /** Upgrade path served. Default '/ws'. Other paths are left to other handlers. */
  path?: string;
  limits?: Partial<SignalingLimits>;
  /** pino-compatible logger. Default: silent. */
  logger?: Logger;
  /** Metrics are registered here when given. */
  registry?: Registry;
  /**
   * ICE servers for the welcome message. Default: none. A hook that throws yields none (and is logged).
   * `request` is the WebSocket upgrade request: its Host header tells which address the client reached.
   */
  iceServers?: (session: { peerId: string; userId?: string; request: IncomingMessage }) => IceServer[] | Promise<IceServer[]>;
  /** Backs `peer-open` and `peer-signal`; apps/server passes the /peerjs endpoint's directory. */
  directory?: PeerDirectory;
  /** The media server of rooms in `sfu` mode. Without it every room is a mesh. */
  sfu?: SfuPort;
  /** The mode of a room whose creating join asks for none. Default `mesh`. */
  defaultRoomMode?: RoomMode;
  /** Called on every hello. Throwing refuses the session with UNAUTHORIZED. */
  authenticate?: (ctx: AuthContext) => Promise<{ userId?: string } | void> | { userId?: string } | void;
  /** Room admission. `false` (or throwing) refuses the join with UNAUTHORIZED. */
  admit?: (ctx: { peerId: string; userId?: string; room: string }) => boolean | Promise<boolean>;
  /** Default: real time and timers. */
  clock?: Clock;
  /**
   * The client's address, the key of every per-address limit. Default: the socket's remote address,
   * with IPv4-mapped IPv6 ('::ffff:a.b.c.d') written as 'a.b.c.d'. Pass a trust-proxy aware function
   * when the server sits behind a reverse proxy.
   */
  clientAddress?: (request: IncomingMessage) => string;
  /**
   * Whether a socket from `origin` (the Origin header, if any) may open. False refuses the upgrade with
   * HTTP 403 and `{"error":"ORIGIN_REFUSED"}`. Default: every origin is allowed.
   */
  checkOrigin?: (origin: string | undefined, request: IncomingMessage) => boolean;
}

export interface SignalingStats {
  /** Sessions, attached or detached. */
  sessions: number;
  /** Rooms, including private 1:1 call rooms. */
  rooms: number;
  /** Sessions whose socket dropped and that wait for a resume. */
  detached: number;
  /** Outbound bytes handed to sockets and not yet written out, summed over every socket. */
  bufferedBytes: number;
  /** Bytes queued for detached sessions, summed. */
  queuedBytes: number;
}

export interface SignalingServer {
  stats(): SignalingStats;
  /** Cuts a session's socket abruptly (no close frame), like a network drop. False if it has no socket. */
  terminate(peerId: string): boolean;
  /** Sends `shutdown` to every socket, closes them with 1001 and clears every timer. Idempotent. */
  close(reason?: string): Promise<void>;
  /** Adds a server-side member (no socket) to a room in `sfu` mode: a WHIP publisher. See external-member.ts. */
  joinExternal(init: ExternalMemberInit): ExternalMember;
}
