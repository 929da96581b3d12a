import { isIP } from 'node:net';
import { z } from 'zod';
import { DEFAULT_LIMITS as SIGNALING_DEFAULTS } from '@rendezvous/signaling';
import { DEFAULT_LIMITS as TURN_DEFAULTS } from '@rendezvous/turn';

/**
 * Every setting of the server, in one table: its flag, its environment variable, its default and what it
 * means. `--help` and docs/configuration.md are written from this table. Precedence: flags > env >
 * config file (--config) > defaults.
 */
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().nonnegative();
const bool = z.preprocess((v) => {
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(s)) {
      return true;
    }
    if (['0', 'false', 'no', 'off', ''].includes(s)) {
      return false;
    }
  }
  return v;
}, z.boolean());

export interface OptionSpec {
  flag: string;
  env?: string;
  schema: z.ZodType;
  default: unknown;
  /** Shown in --help and the docs. */
  help: string;
  /** How the flag is parsed: booleans take no value; lists repeat the flag (env: comma-separated). */
  kind: 'string' | 'boolean' | 'list';
}

export const OPTIONS = {
  host: {
    flag: 'host',
    env: 'HOST',
    schema: z.string().min(1),
    default: '0.0.0.0',
    help: 'Address to listen on (0.0.0.0 lets phones on the LAN connect).',
    kind: 'string',
  },
  port: {
    flag: 'port',
    env: 'PORT',
    schema: port,
    default: 8080,
    help: 'HTTP(S) port for the web app, /ws, /api, /healthz, /metrics (0 picks a free port).',
    kind: 'string',
  },
  https: {
    flag: 'https',
    env: 'HTTPS',
    schema: bool,
    default: false,
    help: 'Serve over HTTPS. Without --cert/--key a self-signed certificate is generated (kept in .rendezvous/tls).',
    kind: 'boolean',
  },
  cert: {
    flag: 'cert',
    env: 'TLS_CERT',
    schema: z.string().min(1).optional(),
    default: undefined,
    help: 'PEM certificate file for HTTPS.',
    kind: 'string',
  },
  key: {
    flag: 'key',
    env: 'TLS_KEY',
    schema: z.string().min(1).optional(),
    default: undefined,
    help: 'PEM private key file for HTTPS.',
    kind: 'string',
  },
  logLevel: {
    flag: 'log-level',
    env: 'LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    help: 'Log level: fatal, error, warn, info, debug, trace or silent.',
    kind: 'string',
  },
  webRoot: {
    flag: 'web-root',
    env: 'WEB_ROOT',
    schema: z.string().min(1).optional(),
    default: undefined,
    help: 'Folder with the built web app (default: apps/web/dist of this install).',
    kind: 'string',
  },
  roomCapacity: {
    flag: 'room-capacity',
    env: 'ROOM_CAPACITY',
    schema: positiveInt.max(100),
    default: 6,
    help: 'Maximum peers in one room (ROOM_FULL past it).',
    kind: 'string',
  },
  maxRooms: {
    flag: 'max-rooms',
    env: 'MAX_ROOMS',
    schema: positiveInt,
    default: 10_000,
    help: 'Maximum rooms on this server (ROOM_LIMIT past it).',
    kind: 'string',
  },
  maxSessions: {
    flag: 'max-sessions',
    env: 'MAX_SESSIONS',
    schema: positiveInt,
    default: 10_000,
    help: 'Maximum signaling sessions (SESSION_LIMIT past it).',
    kind: 'string',
  },
  maxFrameBytes: {
    flag: 'max-frame-bytes',
    env: 'MAX_FRAME_BYTES',
    schema: positiveInt.min(1024),
    default: 65_536,
    help: 'Largest signaling frame accepted (FRAME_TOO_LARGE past it).',
    kind: 'string',
  },
  maxRoomEventBytes: {
    flag: 'max-room-event-bytes',
    env: 'MAX_ROOM_EVENT_BYTES',
    schema: positiveInt,
    default: 4096,
    help: 'Largest `data` of a signaling `room-event` (a raised hand, a reaction), in bytes of its JSON (FRAME_TOO_LARGE past it); the whole frame must also fit --max-frame-bytes.',
    kind: 'string',
  },
  rateLimitPerSecond: {
    flag: 'rate-limit',
    env: 'RATE_LIMIT',
    schema: positiveInt,
    default: 50,
    help: 'Signaling messages per second per session, sustained (RATE_LIMITED past it).',
    kind: 'string',
  },
  rateLimitBurst: {
    flag: 'rate-burst',
    env: 'RATE_BURST',
    schema: positiveInt,
    default: 200,
    help: 'Signaling messages a session may send in a burst.',
    kind: 'string',
  },
  rateLimitHoldFrames: {
    flag: 'rate-hold-frames',
    env: 'RATE_HOLD_FRAMES',
    schema: nonNegativeInt,
    default: SIGNALING_DEFAULTS.rateLimitHoldFrames,
    help: 'Signaling messages past the burst held (the socket stops reading) until the rate allows them, instead of refused; RATE_LIMITED past it (0: refuse at once).',
    kind: 'string',
  },
  heartbeatIntervalMs: {
    flag: 'heartbeat-ms',
    env: 'HEARTBEAT_MS',
    schema: positiveInt.min(100),
    default: 10_000,
    help: 'Server ping interval; a socket silent for two intervals is dropped.',
    kind: 'string',
  },
  resumeGraceMs: {
    flag: 'resume-grace-ms',
    env: 'RESUME_GRACE_MS',
    schema: nonNegativeInt,
    default: 15_000,
    help: 'How long a dropped session keeps its peer id and room, waiting to be resumed.',
    kind: 'string',
  },
  ringTimeoutMs: {
    flag: 'ring-timeout-ms',
    env: 'RING_TIMEOUT_MS',
    schema: positiveInt.min(1000),
    default: 30_000,
    help: 'How long a 1:1 call rings before it times out.',
    kind: 'string',
  },
  maxConnectionsPerAddress: {
    flag: 'max-connections-per-address',
    env: 'MAX_CONNECTIONS_PER_ADDRESS',
    schema: positiveInt,
    default: SIGNALING_DEFAULTS.maxConnectionsPerAddress,
    help: 'Open signaling sockets per client address (ADDRESS_LIMIT past it). Sized for an office behind one NAT.',
    kind: 'string',
  },
  maxSessionsPerAddress: {
    flag: 'max-sessions-per-address',
    env: 'MAX_SESSIONS_PER_ADDRESS',
    schema: positiveInt,
    default: SIGNALING_DEFAULTS.maxSessionsPerAddress,
    help: "Signaling sessions (attached or detached) per client address; a new one first ends the address's oldest detached one (ADDRESS_LIMIT past it).",
    kind: 'string',
  },
  joinsPerAddressPerMinute: {
    flag: 'joins-per-minute',
    env: 'JOINS_PER_MINUTE',
    schema: positiveInt,
    default: SIGNALING_DEFAULTS.joinsPerAddressPerMinute,
    help: 'Room joins per client address per minute (JOIN_RATE_LIMITED past it).',
    kind: 'string',
  },
  callsPerCallerPerMinute: {
    flag: 'calls-per-minute',
    env: 'CALLS_PER_MINUTE',
    schema: positiveInt,
    default: SIGNALING_DEFAULTS.callsPerCallerPerMinute,
    help: '1:1 calls (rings) one session may start per minute (CALL_RATE_LIMITED past it).',
    kind: 'string',
  },
  memoryBudgetBytes: {
    flag: 'memory-budget-bytes',
    env: 'MEMORY_BUDGET_BYTES',
    schema: positiveInt,
    default: SIGNALING_DEFAULTS.memoryBudgetBytes,
    help: 'Bytes of unsent signaling output plus detached-session queues, summed over all clients (SLOW_CONSUMER / SERVER_BUSY past it).',
    kind: 'string',
  },
  maxQueuedBytesWhileDetached: {
    flag: 'max-detached-queue-bytes',
    env: 'MAX_DETACHED_QUEUE_BYTES',
    schema: nonNegativeInt,
    default: SIGNALING_DEFAULTS.maxQueuedBytesWhileDetached,
    help: 'Bytes queued for one session waiting to be resumed (SERVER_BUSY to senders past it).',
    kind: 'string',
  },
  maxQueuedBytesPerAddress: {
    flag: 'max-queued-bytes-per-address',
    env: 'MAX_QUEUED_BYTES_PER_ADDRESS',
    schema: positiveInt,
    default: SIGNALING_DEFAULTS.maxQueuedBytesPerAddress,
    help: "Bytes one client address may have queued across all sessions waiting to be resumed, charged to the sender's address (SERVER_BUSY past it).",
    kind: 'string',
  },
  drainTimeoutMs: {
    flag: 'drain-timeout-ms',
    env: 'DRAIN_TIMEOUT_MS',
    schema: positiveInt,
    default: SIGNALING_DEFAULTS.drainTimeoutMs,
    help: 'How long a socket may leave its output undrained before it is cut with SLOW_CONSUMER.',
    kind: 'string',
  },
  resumeProbeMs: {
    flag: 'resume-probe-ms',
    env: 'RESUME_PROBE_MS',
    schema: positiveInt,
    default: SIGNALING_DEFAULTS.resumeProbeMs,
    help: "How long a resume waits for the session's current socket to answer a ping; a live socket keeps its session.",
    kind: 'string',
  },
  turn: {
    flag: 'turn',
    env: 'TURN',
    schema: bool,
    default: true,
    help: 'Run the built-in STUN/TURN server (--no-turn turns it off).',
    kind: 'boolean',
  },
  turnHost: {
    flag: 'turn-host',
    env: 'TURN_HOST',
    schema: z.string().min(1).optional(),
    default: undefined,
    help: 'Address STUN/TURN listens on (default: every local address, each bound on its own).',
    kind: 'string',
  },
  turnPort: {
    flag: 'turn-port',
    env: 'TURN_PORT',
    schema: port,
    default: 3478,
    help: 'STUN/TURN port, UDP and TCP (0 picks a free port).',
    kind: 'string',
  },
  turnExternalIp: {
    flag: 'turn-external-ip',
    env: 'TURN_EXTERNAL_IP',
    schema: z
      .string()
      .refine((value) => isIP(value) !== 0, 'expected an IPv4 or IPv6 address')
      .optional(),
    default: undefined,
    help: 'Public address to advertise for relayed candidates when the server sits behind 1:1 NAT (cloud VMs).',
    kind: 'string',
  },
  turnTlsPort: {
    flag: 'turn-tls-port',
    env: 'TURN_TLS_PORT',
    schema: port.optional(),
    default: undefined,
    help: 'TURN over TLS port. On when given, or at 5349 when --cert/--key are set.',
    kind: 'string',
  },
  turnSecret: {
    flag: 'turn-secret',
    env: 'TURN_SECRET',
    schema: z.string().min(16, 'use at least 16 characters').optional(),
    default: undefined,
    help: 'Shared secret for TURN REST API credentials (default: random per start).',
    kind: 'string',
  },
  turnRealm: {
    flag: 'turn-realm',
    env: 'TURN_REALM',
    schema: z.string().min(1).max(128),
    default: 'rendezvous',
    help: 'TURN realm.',
    kind: 'string',
  },
  turnCredentialTtl: {
    flag: 'turn-credential-ttl',
    env: 'TURN_CREDENTIAL_TTL',
    schema: positiveInt.min(60),
    default: 14_400,
    help: 'Seconds a minted TURN credential stays valid (a long call); the TURN server refuses credentials valid for longer.',
    kind: 'string',
  },
  turnAllowPeers: {
    flag: 'turn-allow-peer',
    env: 'TURN_ALLOW_PEERS',
    schema: z.array(z.string().regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, 'expected a CIDR such as 10.0.0.0/8')),
    default: [],
    help: 'CIDR the relay may send to although it is loopback/private (repeatable; env: comma-separated).',
    kind: 'list',
  },
  turnUsers: {
    flag: 'turn-user',
    env: 'TURN_USERS',
    schema: z.array(z.string().regex(/^[^:\s]+:.+$/, 'expected name:password')),
    default: [],
    help: 'Static TURN user as name:password, besides the REST credentials (repeatable; env: comma-separated).',
    kind: 'list',
  },
  turnRelayPorts: {
    flag: 'turn-relay-ports',
    env: 'TURN_RELAY_PORTS',
    schema: z.string().regex(/^\d{1,5}-\d{1,5}$/, 'expected a range such as 49152-65535'),
    default: '49152-65535',
    help: 'UDP port range for relayed addresses.',
    kind: 'string',
  },
  turnMaxAllocationsPerUser: {
    flag: 'turn-user-quota',
    env: 'TURN_USER_QUOTA',
    schema: positiveInt,
    default: TURN_DEFAULTS.maxAllocationsPerUser,
    help: 'TURN allocations one user may hold at once (486 past it).',
    kind: 'string',
  },
  turnMaxAllocations: {
    flag: 'turn-total-quota',
    env: 'TURN_TOTAL_QUOTA',
    schema: positiveInt,
    default: 10_000,
    help: 'TURN allocations on this server at once (486 past it); lowered to half the open-file limit (ulimit -n) when that is smaller.',
    kind: 'string',
  },
  turnMaxAllocationsPerAddress: {
    flag: 'turn-address-quota',
    env: 'TURN_ADDRESS_QUOTA',
    schema: positiveInt,
    default: TURN_DEFAULTS.maxAllocationsPerAddress,
    help: 'TURN allocations clients at one IP address may hold at once, whatever their user (486 past it).',
    kind: 'string',
  },
  turnMaxStreamConnectionsPerAddress: {
    flag: 'turn-tcp-per-address',
    env: 'TURN_TCP_PER_ADDRESS',
    schema: positiveInt,
    default: TURN_DEFAULTS.maxStreamConnectionsPerAddress,
    help: 'TURN TCP and TLS connections from one IP address (closed at once past it).',
    kind: 'string',
  },
  turnMaxRelayBytesPerSecond: {
    flag: 'turn-relay-bytes-per-second',
    env: 'TURN_RELAY_BYTES_PER_SECOND',
    schema: nonNegativeInt,
    default: TURN_DEFAULTS.maxRelayBytesPerSecond,
    help: 'Relayed bytes per second per allocation and direction (10 Mbit/s; past it datagrams are dropped; 0: unlimited).',
    kind: 'string',
  },
  turnMaxCredentialTtl: {
    flag: 'turn-max-credential-ttl',
    env: 'TURN_MAX_CREDENTIAL_TTL',
    schema: positiveInt.min(60),
    default: TURN_DEFAULTS.maxCredentialTtlSec,
    help: 'Longest validity the TURN server accepts in a REST credential, ours or minted elsewhere (401 past it); at least --turn-credential-ttl.',
    kind: 'string',
  },
  allowedOrigins: {
    flag: 'allowed-origin',
    env: 'ALLOWED_ORIGINS',
    schema: z.array(
      z
        .string()
        .refine(
          (value) => /^https?:\/\/[^/?#\s]+\/?$/.test(value) && URL.canParse(value),
          'expected an origin such as https://meet.example.org',
        ),
    ),
    default: [],
    help: "Origin (besides the server's own) whose pages may open /ws (repeatable; env: comma-separated). Others get 403 ORIGIN_REFUSED.",
    kind: 'list',
  },
  publicHost: {
    flag: 'public-host',
    env: 'PUBLIC_HOST',
    schema: z
      .string()
      .regex(/^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)$/, 'expected a host name or address, without port')
      .optional(),
    default: undefined,
    help: 'Host name clients reach this server by; ICE URLs always name it, and it counts as an allowed host.',
    kind: 'string',
  },
  trustProxy: {
    flag: 'trust-proxy',
    env: 'TRUST_PROXY',
    schema: bool,
    default: false,
    help: 'Behind a reverse proxy: take the client address from the last X-Forwarded-For hop, scheme and host from X-Forwarded-Proto/Host.',
    kind: 'boolean',
  },
  frameAncestors: {
    flag: 'frame-ancestors',
    env: 'FRAME_ANCESTORS',
    // Printable ASCII without ';' or ',': anything else would end the directive or be refused as a header value.
    schema: z
      .string()
      .trim()
      .min(1)
      .regex(
        /^[\x20-\x2b\x2d-\x3a\x3c-\x7e]+$/,
        "expected CSP sources such as 'self' https://intranet.example.org (ASCII: punycode for international names)",
      ),
    default: "'self'",
    help: "CSP frame-ancestors: which pages may embed the app in a frame ('none', 'self', or origins; ASCII, punycode for international names).",
    kind: 'string',
  },
  peerjsPath: {
    flag: 'peerjs-path',
    env: 'PEERJS_PATH',
    schema: z
      .string()
      .trim()
      .regex(/^\/[A-Za-z0-9._~-]+(?:\/[A-Za-z0-9._~-]+)*$/, 'expected a path such as /peerjs')
      .refine((path) => !['/ws', '/api', '/healthz', '/metrics'].some((own) => path === own || path.startsWith(`${own}/`)), {
        message: 'expected a path not used by the server itself (/ws, /api, /healthz, /metrics)',
      }),
    default: '/peerjs',
    help: 'Path of the PeerServer-compatible endpoint for the unmodified peerjs client (its `path` option); any origin may use it, as with PeerServer.',
    kind: 'string',
  },
  iceServersPerAddressPerMinute: {
    flag: 'ice-servers-per-minute',
    env: 'ICE_SERVERS_PER_MINUTE',
    schema: positiveInt,
    default: 30,
    help: 'Requests to /api/ice-servers one client address may make per minute (429 HTTP_RATE_LIMITED past it).',
    kind: 'string',
  },
  httpHeadersTimeoutMs: {
    flag: 'http-headers-timeout-ms',
    env: 'HTTP_HEADERS_TIMEOUT_MS',
    schema: positiveInt.min(1000),
    default: 30_000,
    help: 'Time a client may take to send a request head, from connecting (408 past it). Keep it above 10 s: browsers open spare connections and use them seconds later.',
    kind: 'string',
  },
  httpRequestTimeoutMs: {
    flag: 'http-request-timeout-ms',
    env: 'HTTP_REQUEST_TIMEOUT_MS',
    schema: positiveInt.min(1000),
    default: 60_000,
    help: 'Time a client may take to send a whole request (408 past it).',
    kind: 'string',
  },
  maxHttpConnectionsPerAddress: {
    flag: 'http-connections-per-address',
    env: 'HTTP_CONNECTIONS_PER_ADDRESS',
    schema: positiveInt,
    default: 512,
    help: 'Open HTTP(S) connections per client address, WebSockets included (must be above --max-connections-per-address); past it a new one is closed at once. Off with --trust-proxy (every connection then comes from the proxy).',
    kind: 'string',
  },
} satisfies Record<string, OptionSpec>;

export type OptionKey = keyof typeof OPTIONS;
