/** The SFU's rows of the option table (see config-options.ts). */
import { isIP } from 'node:net';
import { z } from 'zod';
import { DEFAULT_SFU_LIMITS, DEFAULT_SFU_PORT } from '@rendezvous/sfu';
import { DEFAULT_LIMITS as SIGNALING_DEFAULTS } from '@rendezvous/signaling';
import { bool, port, positiveInt, type OptionSpec } from './config-option-spec.js';

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
} satisfies Record<string, OptionSpec>;
