/** The SFU's rows of the option table (see config-options.ts). */
import { isIP } from 'node:net';
import { z } from 'zod';
import { DEFAULT_SFU_LIMITS, DEFAULT_SFU_PORT } from '@rendezvous/sfu';
import { DEFAULT_LIMITS as SIGNALING_DEFAULTS } from '@rendezvous/signaling';
import { bool, port, positiveInt, type OptionSpec } from './config-option-spec.js';
import { WHIP_DEFAULTS } from './whip-ingest.js';

/** A WHIP stream key: a bearer token (RFC 6750 token68 allows fewer characters; printable ASCII without spaces is what OBS sends as is). */
const streamKey = z.string().regex(/^[\x21-\x7e]{16,256}$/, 'expected 16 to 256 printable ASCII characters, no spaces');

const ipAddress = z.string().refine((value) => isIP(value) !== 0, 'expected an IPv4 or IPv6 address');

export const SFU_OPTIONS = {
  sfu: {
    flag: 'sfu',
    env: 'SFU',
    schema: bool,
    default: true,
    help: 'Run the built-in SFU, which carries the media of rooms in SFU mode (--no-sfu turns it off: every room is a mesh).',
    kind: 'boolean',
  },
  sfuPort: {
    flag: 'sfu-port',
    env: 'SFU_PORT',
    schema: port,
    default: DEFAULT_SFU_PORT,
    help: 'The one UDP port of every SFU media connection (0 picks a free port).',
    kind: 'string',
  },
  sfuHost: {
    flag: 'sfu-host',
    env: 'SFU_HOST',
    schema: ipAddress.optional(),
    default: undefined,
    help: 'Address the SFU port binds to (default: the --host address).',
    kind: 'string',
  },
  sfuAnnouncedAddress: {
    flag: 'sfu-announced-address',
    env: 'SFU_ANNOUNCED_ADDRESSES',
    schema: z.array(ipAddress),
    default: [],
    help: 'Address clients reach the SFU port at, written into its answers (repeatable; default: --turn-external-ip if set, else the local addresses).',
    kind: 'list',
  },
  roomMode: {
    flag: 'room-mode',
    env: 'ROOM_MODE',
    schema: z.enum(['mesh', 'sfu']),
    default: 'mesh',
    help: 'Mode of a room whose first member asks for none: mesh (each member connects to each other) or sfu (through the server).',
    kind: 'string',
  },
  sfuRoomCapacity: {
    flag: 'sfu-room-capacity',
    env: 'SFU_ROOM_CAPACITY',
    schema: positiveInt.max(10_000),
    default: SIGNALING_DEFAULTS.sfuRoomCapacity,
    help: 'Maximum peers in one room in SFU mode (ROOM_FULL past it).',
    kind: 'string',
  },
  sfuMaxConnections: {
    flag: 'sfu-max-connections',
    env: 'SFU_MAX_CONNECTIONS',
    schema: positiveInt,
    default: DEFAULT_SFU_LIMITS.maxConnections,
    help: 'SFU media connections in all: one per published source, one per member and source group received (SFU_LIMIT past it).',
    kind: 'string',
  },
  sfuMaxConnectionsPerAddress: {
    flag: 'sfu-max-connections-per-address',
    env: 'SFU_MAX_CONNECTIONS_PER_ADDRESS',
    schema: positiveInt,
    default: DEFAULT_SFU_LIMITS.maxConnectionsPerAddress,
    help: 'SFU media connections of the clients behind one network address (SFU_LIMIT past it).',
    kind: 'string',
  },
  sfuConnectTimeoutMs: {
    flag: 'sfu-connect-timeout-ms',
    env: 'SFU_CONNECT_TIMEOUT_MS',
    schema: positiveInt,
    default: DEFAULT_SFU_LIMITS.connectTimeoutMs,
    help: 'An SFU media connection not connected this long after its answer is closed (the client gets sfu-closed).',
    kind: 'string',
  },
  liveStreamKey: {
    flag: 'live-stream-key',
    env: 'LIVE_STREAM_KEY',
    schema: streamKey.optional(),
    default: undefined,
    help: 'Bearer token a WHIP client (OBS) must send to publish into /live/<name>/whip (16 to 256 printable characters; unset: WHIP ingest is off).',
    kind: 'string',
  },
  whipMaxPublishers: {
    flag: 'whip-max-publishers',
    env: 'WHIP_MAX_PUBLISHERS',
    schema: positiveInt,
    default: WHIP_DEFAULTS.maxPublishers,
    help: 'WHIP publishers (OBS streams) in all (503 past it).',
    kind: 'string',
  },
  whipMaxPublishersPerAddress: {
    flag: 'whip-max-publishers-per-address',
    env: 'WHIP_MAX_PUBLISHERS_PER_ADDRESS',
    schema: positiveInt,
    default: WHIP_DEFAULTS.maxPublishersPerAddress,
    help: 'WHIP publishers from one network address (503 past it).',
    kind: 'string',
  },
  whipKeyFailuresPerMinute: {
    flag: 'whip-key-failures-per-minute',
    env: 'WHIP_KEY_FAILURES_PER_MINUTE',
    schema: positiveInt,
    default: 10,
    help: 'Wrong stream keys one network address may send per minute; past it every WHIP request from there gets 429 HTTP_RATE_LIMITED until it refills.',
    kind: 'string',
  },
} satisfies Record<string, OptionSpec>;
