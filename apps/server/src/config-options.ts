import { z } from 'zod';
import { DEFAULT_LIMITS as SIGNALING_DEFAULTS } from '@rendezvous/signaling';
import { bool, nonNegativeInt, port, positiveInt, type OptionSpec } from './config-option-spec.js';
import { PEERJS_OPTIONS } from './config-options-peerjs.js';
import { SFU_OPTIONS } from './config-options-sfu.js';
import { TURN_OPTIONS } from './config-options-turn.js';

/**
 * Every setting of the server, in one table: its flag, its environment variable, its default and what it
 * means. `--help` and docs/configuration.md are written from this table. Precedence: flags > env >
 * config file (--config) > defaults.
 */
export type { OptionSpec } from './config-option-spec.js';

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
  relayBytesPerSecond: {
    flag: 'relay-bytes-per-second',
    env: 'RELAY_BYTES_PER_SECOND',
    schema: positiveInt,
    default: 16 * 1024 * 1024,
    help: 'Bytes of data (chat, files, app messages) one member of an SFU room may have the server relay per second, counted once per recipient (RATE_LIMITED past it).',
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
  ...TURN_OPTIONS,
  ...PEERJS_OPTIONS,
  ...SFU_OPTIONS,
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
