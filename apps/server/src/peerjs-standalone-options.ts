import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { PEERJS_DEFAULTS } from '@rendezvous/peerjs';
import { bool, port, positiveInt } from './config-option-spec.js';
import { ConfigError } from './config.js';

/**
 * `rendezvous peerjs`: PeerServer's own command line (`peerjs --port 9000 --path /myapp`), with its flag
 * names, short aliases and defaults, so a PeerServer start script works after renaming the command.
 */
export interface PeerjsStandaloneConfig {
  port: number;
  /** Undefined: every interface (IPv6 and IPv4 where the system has both), as PeerServer listens. */
  host: string | undefined;
  /** Where the endpoint lives, with a leading slash (`/`, `/myapp`). */
  path: string;
  key: string;
  expire_timeout: number;
  alive_timeout: number;
  leave_timeout: number;
  concurrent_limit: number;
  allow_discovery: boolean;
  proxied: boolean;
  sslkey: string | undefined;
  sslcert: string | undefined;
  /** Origins allowed to read the HTTP routes; undefined: any origin, as PeerServer by default. */
  cors: string[] | undefined;
  logLevel: string;
}

interface FlagSpec {
  key: keyof PeerjsStandaloneConfig;
  alias?: string;
  env?: string;
  kind: 'string' | 'boolean' | 'list';
  schema: z.ZodType;
  default: string | number | boolean | undefined;
  help: string;
}

const PATH_SEGMENTS = /^\/?(?:[A-Za-z0-9._~-]+(?:\/[A-Za-z0-9._~-]+)*)?\/?$/;
const OWN_ROUTES = ['/healthz', '/metrics'];

const pathSchema = z
  .string()
  .trim()
  .regex(PATH_SEGMENTS, 'expected a path such as / or /myapp')
  .transform((path) => `/${path.replace(/^\/+|\/+$/g, '')}`)
  .refine((path) => !OWN_ROUTES.some((own) => path === own || path.startsWith(`${own}/`)), {
    message: 'expected a path other than /healthz and /metrics (served beside the endpoint)',
  });

const corsOrigin = z.string().refine(
  (value) => {
    try {
      return new URL(value).origin === value;
    } catch {
      return false;
    }
  },
  { message: 'expected origins such as https://app.example.org (scheme, host and port only)' },
);

/** The flags in PeerServer's order; names are PeerServer's (underscores), not our usual kebab-case. */
const FLAGS: Record<string, FlagSpec> = {
  port: { key: 'port', alias: 'p', env: 'PORT', kind: 'string', schema: port, default: 9000, help: 'Port to listen on.' },
  host: {
    key: 'host',
    alias: 'H',
    kind: 'string',
    schema: z.string().min(1).optional(),
    default: undefined,
    help: 'Address to listen on (default: every interface).',
  },
  path: {
    key: 'path',
    env: 'PEERSERVER_PATH',
    kind: 'string',
    schema: pathSchema,
    default: '/',
    help: "Path of the endpoint, the client's `path` option.",
  },
  key: {
    key: 'key',
    alias: 'k',
    kind: 'string',
    schema: z.string().regex(/^[A-Za-z0-9._~-]+$/, 'expected letters, digits, ".", "_", "~" or "-"'),
    default: PEERJS_DEFAULTS.key,
    help: "Connection key, the client's `key` option.",
  },
  expire_timeout: {
    key: 'expire_timeout',
    alias: 't',
    kind: 'string',
    schema: positiveInt,
    default: PEERJS_DEFAULTS.expire_timeout,
    help: 'Milliseconds a message to a peer not connected waits before its sender gets EXPIRE.',
  },
  alive_timeout: {
    key: 'alive_timeout',
    kind: 'string',
    schema: positiveInt,
    default: PEERJS_DEFAULTS.alive_timeout,
    help: 'Milliseconds of silence (no message, no HEARTBEAT) after which a socket is closed.',
  },
  leave_timeout: {
    key: 'leave_timeout',
    kind: 'string',
    schema: positiveInt,
    default: PEERJS_DEFAULTS.leave_timeout,
    help: "Ours, not PeerServer's: milliseconds a dropped id may take to come back before the peers it talked to get LEAVE.",
  },
  concurrent_limit: {
    key: 'concurrent_limit',
    alias: 'c',
    kind: 'string',
    schema: positiveInt,
    default: PEERJS_DEFAULTS.concurrent_limit,
    help: 'Connected peers at most.',
  },
  allow_discovery: {
    key: 'allow_discovery',
    kind: 'boolean',
    schema: bool,
    default: PEERJS_DEFAULTS.allow_discovery,
    help: 'List connected ids at GET <path>/<key>/peers.',
  },
  proxied: {
    key: 'proxied',
    kind: 'boolean',
    schema: bool,
    default: false,
    help: 'Behind a reverse proxy: no per-address connection cap (every connection comes from the proxy).',
  },
  sslkey: { key: 'sslkey', kind: 'string', schema: z.string().min(1).optional(), default: undefined, help: 'PEM key file.' },
  sslcert: {
    key: 'sslcert',
    kind: 'string',
    schema: z.string().min(1).optional(),
    default: undefined,
    help: 'PEM certificate file (with --sslkey: serve HTTPS and WSS).',
  },
  cors: {
    key: 'cors',
    kind: 'list',
    schema: z.array(corsOrigin).min(1).optional(),
    default: undefined,
    help: 'Origins allowed to read the HTTP routes (default: any).',
  },
  'log-level': {
    key: 'logLevel',
    env: 'LOG_LEVEL',
    kind: 'string',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    help: 'Log level of the JSON log lines on stdout.',
  },
};

const ALIASES = new Map(Object.entries(FLAGS).flatMap(([name, spec]) => (spec.alias === undefined ? [] : [[spec.alias, name]])));

type Raw = Map<string, string | string[]>;

function lookup(token: string): { name: string; inline: string | undefined; negated: boolean } | string {
  const long = token.startsWith('--');
  const body = token.slice(long ? 2 : 1);
  const eq = body.indexOf('=');
  let name = eq === -1 ? body : body.slice(0, eq);
  const inline = eq === -1 ? undefined : body.slice(eq + 1);
  const negated = long && name.startsWith('no-') && FLAGS[name.slice(3)]?.kind === 'boolean';
  name = negated ? name.slice(3) : long ? name : (ALIASES.get(name) ?? `-${name}`);
  if (FLAGS[name] !== undefined) {
    return { name, inline, negated };
  }
  const underscored = name.replaceAll('-', '_');
  const hint = FLAGS[underscored] === undefined ? '' : ` (did you mean --${underscored}? PeerServer's names use "_")`;
  return `unknown option ${token.split('=')[0]}${hint}`;
}

/** Splits argv the way PeerServer's parser reads it: `--name value`, `--name=value`, `-p value`, `--flag [true|false]`. */
function tokenize(argv: string[]): { raw: Raw; problems: string[] } {
  const raw: Raw = new Map();
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (!token.startsWith('-') || token === '-' || token === '--') {
      problems.push(`unexpected argument "${token}"`);
      continue;
    }
    const found = lookup(token);
    if (typeof found === 'string') {
      problems.push(found);
      continue;
    }
    const { name, inline, negated } = found;
    const kind = FLAGS[name]?.kind;
    const next = argv[i + 1];
    if (kind === 'boolean') {
      const takesNext = inline === undefined && (next === 'true' || next === 'false');
      raw.set(name, negated ? 'false' : (inline ?? (takesNext ? (argv[++i] ?? '') : 'true')));
    } else if (kind === 'list') {
      const values = inline === undefined ? [] : [inline];
      while (inline === undefined && argv[i + 1] !== undefined && !(argv[i + 1] ?? '').startsWith('-')) {
        values.push(argv[++i] ?? '');
      }
      raw.set(name, [...((raw.get(name) as string[] | undefined) ?? []), ...values]);
    } else if (inline !== undefined) {
      raw.set(name, inline);
    } else if (next === undefined || next.startsWith('--')) {
      problems.push(`--${name} needs a value`);
    } else {
      raw.set(name, next);
      i++;
    }
  }
  return { raw, problems };
}

/** Reads flags > env > PeerServer's defaults and validates them; throws ConfigError listing every bad one. */
export function loadPeerjsStandaloneConfig(argv: string[], env: NodeJS.ProcessEnv): PeerjsStandaloneConfig {
  const { raw, problems } = tokenize(argv);
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(FLAGS)) {
    const fromEnv = spec.env === undefined || env[spec.env] === '' ? undefined : env[spec.env];
    const value = raw.get(name) ?? fromEnv ?? spec.default;
    const result = spec.schema.safeParse(value);
    if (result.success) {
      out[spec.key] = result.data;
    } else {
      const where = raw.has(name) ? `--${name}` : spec.env !== undefined && fromEnv !== undefined ? spec.env : name;
      problems.push(`${where}: ${result.error.issues[0]?.message ?? 'invalid value'} (got ${JSON.stringify(value)})`);
    }
  }
  if ((out['sslkey'] === undefined) !== (out['sslcert'] === undefined)) {
    problems.push('--sslkey and --sslcert go together: give both or neither');
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return out as unknown as PeerjsStandaloneConfig;
}

/** The key and certificate named by --sslkey/--sslcert, or undefined for plain HTTP; ConfigError when unreadable. */
export function readStandaloneTls(config: PeerjsStandaloneConfig): { key: Buffer; cert: Buffer } | undefined {
  if (config.sslkey === undefined || config.sslcert === undefined) {
    return undefined;
  }
  const read = (flag: string, path: string): Buffer => {
    try {
      return readFileSync(resolve(path));
    } catch (error) {
      throw new ConfigError([`--${flag} ${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
    }
  };
  return { key: read('sslkey', config.sslkey), cert: read('sslcert', config.sslcert) };
}

/** The option lines of `rendezvous peerjs --help`, written from the table. */
export function peerjsStandaloneHelp(): string {
  return Object.entries(FLAGS)
    .map(([name, spec]) => {
      const value = spec.kind === 'boolean' ? '' : spec.kind === 'list' ? ' <origin>...' : ' <value>';
      const flag = `${spec.alias === undefined ? '    ' : `-${spec.alias}, `}--${name}${value}`;
      const def = spec.default === undefined ? '' : ` (default ${String(spec.default)})`;
      const envName = spec.env === undefined ? '' : ` [env ${spec.env}]`;
      return `  ${flag.padEnd(32)} ${spec.help}${def}${envName}`;
    })
    .join('\n');
}
