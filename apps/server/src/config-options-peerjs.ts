/** The PeerServer-compatible endpoint's rows of the option table (see config-options.ts). */
import { z } from 'zod';
import { PEERJS_DEFAULTS } from '@rendezvous/peerjs';
import { bool, positiveInt, type OptionSpec } from './config-option-spec.js';

export const PEERJS_OPTIONS = {
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
  peerjsKey: {
    flag: 'peerjs-key',
    env: 'PEERJS_KEY',
    schema: z.string().regex(/^[A-Za-z0-9._~-]{1,64}$/, 'expected 1-64 letters, digits or ._~-'),
    default: PEERJS_DEFAULTS.key,
    help: "PeerServer's `key`: the API key peerjs clients must present (others get INVALID-KEY).",
    kind: 'string',
  },
  peerjsAllowDiscovery: {
    flag: 'peerjs-allow-discovery',
    env: 'PEERJS_ALLOW_DISCOVERY',
    schema: bool,
    default: PEERJS_DEFAULTS.allow_discovery,
    help: "PeerServer's `allow_discovery`: GET <path>/<key>/peers lists connected ids (401 when off).",
    kind: 'boolean',
  },
  peerjsConcurrentLimit: {
    flag: 'peerjs-concurrent-limit',
    env: 'PEERJS_CONCURRENT_LIMIT',
    schema: positiveInt,
    default: PEERJS_DEFAULTS.concurrent_limit,
    help: "PeerServer's `concurrent_limit`: ids held at once, peerjs clients and SDK peers together (ERROR / PEER_ID_LIMIT past it).",
    kind: 'string',
  },
  peerjsAliveTimeoutMs: {
    flag: 'peerjs-alive-timeout-ms',
    env: 'PEERJS_ALIVE_TIMEOUT_MS',
    schema: positiveInt,
    default: PEERJS_DEFAULTS.alive_timeout,
    help: "PeerServer's `alive_timeout`: a peerjs socket silent (no message, no HEARTBEAT) this long is closed.",
    kind: 'string',
  },
  peerjsExpireTimeoutMs: {
    flag: 'peerjs-expire-timeout-ms',
    env: 'PEERJS_EXPIRE_TIMEOUT_MS',
    schema: positiveInt,
    default: PEERJS_DEFAULTS.expire_timeout,
    help: "PeerServer's `expire_timeout`: a message held for a peer that has not connected is dropped after this long, and its sender gets EXPIRE.",
    kind: 'string',
  },
  peerjsLeaveTimeoutMs: {
    flag: 'peerjs-leave-timeout-ms',
    env: 'PEERJS_LEAVE_TIMEOUT_MS',
    schema: positiveInt,
    default: PEERJS_DEFAULTS.leave_timeout,
    help: 'After a peer drops, how long its id may come back before the peers it talked to get LEAVE (an SDK peer keeps its id reserved as long).',
    kind: 'string',
  },
} as const satisfies Record<string, OptionSpec>;
