import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { OPTIONS, type OptionKey } from './config-options.js';

export interface Config {
  host: string;
  port: number;
  https: boolean;
  cert: string | undefined;
  key: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  webRoot: string | undefined;
  roomCapacity: number;
  maxRooms: number;
  maxSessions: number;
  maxFrameBytes: number;
  maxRoomEventBytes: number;
  relayBytesPerSecond: number;
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  rateLimitHoldFrames: number;
  heartbeatIntervalMs: number;
  resumeGraceMs: number;
  ringTimeoutMs: number;
  maxConnectionsPerAddress: number;
  maxSessionsPerAddress: number;
  joinsPerAddressPerMinute: number;
  callsPerCallerPerMinute: number;
  memoryBudgetBytes: number;
  maxQueuedBytesWhileDetached: number;
  maxQueuedBytesPerAddress: number;
  drainTimeoutMs: number;
  resumeProbeMs: number;
  turn: boolean;
  turnHost: string | undefined;
  turnPort: number;
  turnExternalIp: string | undefined;
  turnTlsPort: number | undefined;
  turnSecret: string | undefined;
  turnRealm: string;
  turnCredentialTtl: number;
  turnAllowPeers: string[];
  turnUsers: string[];
  turnRelayPorts: string;
  turnMaxAllocationsPerUser: number;
  turnMaxAllocations: number;
  turnMaxAllocationsPerAddress: number;
  turnMaxStreamConnectionsPerAddress: number;
  turnMaxRelayBytesPerSecond: number;
  turnMaxCredentialTtl: number;
  allowedOrigins: string[];
  publicHost: string | undefined;
  trustProxy: boolean;
  frameAncestors: string;
  peerjsPath: string;
  peerjsKey: string;
  peerjsAllowDiscovery: boolean;
  peerjsConcurrentLimit: number;
  peerjsAliveTimeoutMs: number;
  peerjsExpireTimeoutMs: number;
  peerjsLeaveTimeoutMs: number;
  sfu: boolean;
  sfuPort: number;
  sfuHost: string | undefined;
  sfuAnnouncedAddress: string[];
  roomMode: 'mesh' | 'sfu';
  sfuRoomCapacity: number;
  sfuMaxConnections: number;
  sfuMaxConnectionsPerAddress: number;
  sfuConnectTimeoutMs: number;
  liveStreamKey: string | undefined;
  whipMaxPublishers: number;
  whipMaxPublishersPerAddress: number;
  whipKeyFailuresPerMinute: number;
  iceServersPerAddressPerMinute: number;
  httpHeadersTimeoutMs: number;
  httpRequestTimeoutMs: number;
  maxHttpConnectionsPerAddress: number;
}

/** A configuration that cannot be used. `problems` holds one line per bad setting. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Source = 'flag' | 'env' | 'file' | 'default';

interface LoadInput {
  argv: string[];
  env: NodeJS.ProcessEnv;
  /** Values that win over everything (used by tests and embedders). */
  overrides?: Partial<Config>;
}

const keys = Object.keys(OPTIONS) as OptionKey[];

function parseFlags(argv: string[]): { values: Record<string, unknown>; problems: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = { config: { type: 'string' } };
  for (const key of keys) {
    const kind = OPTIONS[key].kind;
    options[OPTIONS[key].flag] = kind === 'list' ? { type: 'string', multiple: true } : { type: kind };
  }
  options['no-https'] = { type: 'boolean' };
  options['no-turn'] = { type: 'boolean' };
  try {
    const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
    return { values, problems: [] };
  } catch (error) {
    return { values: {}, problems: [error instanceof Error ? error.message : String(error)] };
  }
}

function readConfigFile(path: string): { values: Record<string, unknown>; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return {
      values: {},
      problems: [`--config ${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`],
    };
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { values: {}, problems: [`--config ${path}: expected a JSON object`] };
    }
    const values: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const [name, value] of Object.entries(parsed)) {
      const key = keys.find((k) => k === name || OPTIONS[k].flag === name);
      if (key === undefined) {
        problems.push(`--config ${path}: unknown setting "${name}"`);
      } else {
        values[key] = value;
      }
    }
    return { values, problems };
  } catch (error) {
    return { values: {}, problems: [`--config ${path}: not valid JSON (${(error as Error).message})`] };
  }
}

/** Builds the configuration from flags > env > config file > defaults, and validates every setting. */
export function loadConfig({ argv, env, overrides = {} }: LoadInput): Config {
  const flags = parseFlags(argv);
  const problems = [...flags.problems];
  const configPath = flags.values['config'];
  const file = typeof configPath === 'string' ? readConfigFile(configPath) : { values: {}, problems: [] };
  problems.push(...file.problems);

  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const spec = OPTIONS[key];
    let raw: unknown = spec.default;
    let source: Source = 'default';
    if (key in overrides) {
      raw = overrides[key];
      source = 'flag';
    } else if (flags.values[spec.flag] !== undefined) {
      raw = flags.values[spec.flag];
      source = 'flag';
    } else if (spec.env !== undefined && env[spec.env] !== undefined && env[spec.env] !== '') {
      raw =
        spec.kind === 'list'
          ? String(env[spec.env])
              .split(',')
              .map((v) => v.trim())
              .filter((v) => v !== '')
          : env[spec.env];
      source = 'env';
    } else if (key in file.values) {
      raw = file.values[key];
      source = 'file';
    }
    if (key === 'https' && flags.values['no-https'] === true) {
      raw = false;
    }
    if (key === 'turn' && flags.values['no-turn'] === true) {
      raw = false;
    }
    const result = spec.schema.safeParse(raw);
    if (result.success) {
      out[key] = result.data;
    } else {
      const where =
        source === 'flag'
          ? `--${spec.flag}`
          : source === 'env'
            ? `${spec.env}`
            : source === 'file'
              ? `"${key}" in --config`
              : key;
      const issue = result.error.issues[0]?.message ?? 'invalid value';
      problems.push(`${where}: ${issue} (got ${JSON.stringify(raw)})`);
    }
  }
  if ((out['cert'] === undefined) !== (out['key'] === undefined)) {
    problems.push('--cert and --key go together: give both or neither');
  }
  if (out['cert'] !== undefined) {
    out['https'] = true;
  }
  const range = /^(\d+)-(\d+)$/.exec(String((out['turnRelayPorts'] as string | undefined) ?? ''));
  if (range !== null && !(Number(range[1]) >= 1024 && Number(range[1]) <= Number(range[2]) && Number(range[2]) <= 65535)) {
    problems.push('--turn-relay-ports: expected LOW-HIGH with 1024 <= LOW <= HIGH <= 65535');
  }
  if (Number(out['turnCredentialTtl']) > Number(out['turnMaxCredentialTtl'])) {
    problems.push(
      '--turn-credential-ttl: longer than --turn-max-credential-ttl, so TURN would refuse its own credentials; raise both',
    );
  }
  if (Number(out['httpHeadersTimeoutMs']) > Number(out['httpRequestTimeoutMs'])) {
    problems.push('--http-headers-timeout-ms: must not be longer than --http-request-timeout-ms');
  }
  if (out['trustProxy'] !== true && Number(out['maxHttpConnectionsPerAddress']) <= Number(out['maxConnectionsPerAddress'])) {
    problems.push(
      '--http-connections-per-address: must be above --max-connections-per-address, or the HTTP cap cuts signaling sockets before the signaling cap can answer ADDRESS_LIMIT',
    );
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return out as unknown as Config;
}

/** `--help` text, written from the options table. */
export function configHelp(): string {
  const lines = keys.map((key) => {
    const spec = OPTIONS[key];
    const flag =
      spec.kind === 'boolean' ? `--${spec.flag}` : spec.kind === 'list' ? `--${spec.flag} <value>...` : `--${spec.flag} <value>`;
    const env = spec.env === undefined ? '' : ` [env ${spec.env}]`;
    const def = spec.default === undefined ? '' : ` (default ${String(spec.default)})`;
    return `  ${flag.padEnd(28)} ${spec.help}${def}${env}`;
  });
  return [...lines, `  ${'--config <file.json>'.padEnd(28)} Read settings from a JSON file (flags and env win over it).`].join(
    '\n',
  );
}
