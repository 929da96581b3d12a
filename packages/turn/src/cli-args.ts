/** Command-line flags of the standalone `rendezvous-turn`, parsed into TurnServerOptions. Pure (reads no file). */
import { parseArgs } from 'node:util';
import type { TurnServerOptions } from './options.js';

export const USAGE = `Usage: rendezvous-turn [options]
  --port <n>             STUN/TURN port, UDP and TCP (default 3478; 0 picks a free one)
  --host <address>       listen address (default 0.0.0.0: every local address, each bound on its own)
  --realm <realm>        REALM (default rendezvous)
  --secret <secret>      TURN REST API shared secret (username = expiry:user)
  --user <name:pass>     static long-term credential (repeatable)
  --allow-peer <cidr>    relay to this loopback/private block anyway (repeatable)
  --relay-ports <lo-hi>  relay port range (default 49152-65535)
  --relay-address <ip>   relayed address to advertise (server behind 1:1 NAT)
  --user-quota <n>       allocations per user (default 30)
  --total-quota <n>      allocations in total (default 10000)
  --address-quota <n>    allocations per client IP address (IPv6: per /64), whatever the user (default 512)
  --tcp-per-address <n>  TCP/TLS connections per client IP address (IPv6: per /64) (default 512)
  --relay-bytes-per-second <n>  relayed bytes per allocation and direction (default 1250000; 0: unlimited)
  --max-credential-ttl <s>      refuse REST credentials valid longer than this (default 14400)
  --legacy-channels      accept RFC 5766 channel numbers up to 0x7FFF (coturn's turnutils_uclient uses them)
  --tls-port <n>         TURN over TLS port (default 5349), with --cert and --key
  --cert <file>          TLS certificate (PEM)
  --key <file>           TLS private key (PEM)
  --help                 this text`;

export type CliResult =
  | { kind: 'run'; options: TurnServerOptions; certFile: string | undefined; keyFile: string | undefined }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

function integer(text: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new Error(`${flag}: expected an integer ${min}-${max}`);
  }
  return Number(text);
}

/** `--user name:password` entries as a map of users. */
function parseUsers(entries: readonly string[]): Record<string, string> {
  const users: Record<string, string> = {};
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    if (colon <= 0) {
      throw new Error(`--user ${entry}: expected name:password`);
    }
    users[entry.slice(0, colon)] = entry.slice(colon + 1);
  }
  return users;
}

type Limits = NonNullable<TurnServerOptions['limits']>;
type LimitFlag =
  | 'relay-ports'
  | 'user-quota'
  | 'total-quota'
  | 'address-quota'
  | 'tcp-per-address'
  | 'relay-bytes-per-second'
  | 'max-credential-ttl';

/** The relay port range, quotas, relay rate and credential lifetime flags as engine limits. */
function parseLimits(values: Partial<Record<LimitFlag, string>>): Limits {
  const limits: Limits = {};
  if (values['relay-ports'] !== undefined) {
    const range = /^(\d{1,5})-(\d{1,5})$/.exec(values['relay-ports']);
    const [low, high] = [Number(range?.[1]), Number(range?.[2])];
    if (range === null || low < 1 || low > high || high > 65535) {
      throw new Error('--relay-ports: expected LOW-HIGH within 1-65535');
    }
    limits.relayPortMin = low;
    limits.relayPortMax = high;
  }
  const userQuota = integer(values['user-quota'], '--user-quota', 1, 1_000_000);
  if (userQuota !== undefined) {
    limits.maxAllocationsPerUser = userQuota;
  }
  const totalQuota = integer(values['total-quota'], '--total-quota', 1, 1_000_000);
  if (totalQuota !== undefined) {
    limits.maxAllocations = totalQuota;
  }
  const addressQuota = integer(values['address-quota'], '--address-quota', 1, 1_000_000);
  if (addressQuota !== undefined) {
    limits.maxAllocationsPerAddress = addressQuota;
  }
  const tcpPerAddress = integer(values['tcp-per-address'], '--tcp-per-address', 1, 1_000_000);
  if (tcpPerAddress !== undefined) {
    limits.maxStreamConnectionsPerAddress = tcpPerAddress;
  }
  const relayRate = integer(values['relay-bytes-per-second'], '--relay-bytes-per-second', 0, 1e12);
  if (relayRate !== undefined) {
    limits.maxRelayBytesPerSecond = relayRate;
  }
  const credentialTtl = integer(values['max-credential-ttl'], '--max-credential-ttl', 1, 1e9);
  if (credentialTtl !== undefined) {
    limits.maxCredentialTtlSec = credentialTtl;
  }
  return limits;
}

export function parseCli(argv: readonly string[]): CliResult {
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        realm: { type: 'string' },
        secret: { type: 'string' },
        user: { type: 'string', multiple: true },
        'allow-peer': { type: 'string', multiple: true },
        'relay-ports': { type: 'string' },
        'relay-address': { type: 'string' },
        'user-quota': { type: 'string' },
        'total-quota': { type: 'string' },
        'address-quota': { type: 'string' },
        'tcp-per-address': { type: 'string' },
        'relay-bytes-per-second': { type: 'string' },
        'max-credential-ttl': { type: 'string' },
        'tls-port': { type: 'string' },
        cert: { type: 'string' },
        key: { type: 'string' },
        'legacy-channels': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
    if (values.help === true) {
      return { kind: 'help' };
    }
    const users = parseUsers(values.user ?? []);
    const limits = parseLimits(values);
    if ((values.cert === undefined) !== (values.key === undefined)) {
      throw new Error('--cert and --key go together');
    }
    const options: TurnServerOptions = {
      port: integer(values.port, '--port', 0, 65535),
      host: values.host,
      realm: values.realm,
      secret: values.secret,
      users: Object.keys(users).length > 0 ? users : undefined,
      allowPeers: values['allow-peer'],
      relayAddressOverride: values['relay-address'],
      legacyChannelNumbers: values['legacy-channels'] === true ? true : undefined,
      tlsPort: integer(values['tls-port'], '--tls-port', 0, 65535),
      limits,
    };
    return { kind: 'run', options, certFile: values.cert, keyFile: values.key };
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
}
