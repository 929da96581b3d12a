/**
 * Starts the two TURN servers under test as child processes with the same settings: coturn's
 * `turnserver` and ours (`packages/turn`'s standalone bin), each on a free port, loopback peers allowed,
 * REST credentials with one shared secret. CPU time is read from /proc, so it is the server's alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TurnUnderTest {
  name: 'coturn' | 'rendezvous';
  port: number;
  pid: number;
  secret: string;
  /** Seconds of CPU (user + system) the server process has used so far. */
  cpuSeconds(): number;
  /** Resident memory of the server process, in bytes. */
  rssBytes(): number;
  stop(): Promise<void>;
}

const TICKS_PER_SECOND = 100;

function procStat(pid: number): string[] {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** Seconds of CPU (user + system) process `pid` has used so far, from /proc. */
export function processCpuSeconds(pid: number): number {
  const fields = procStat(pid);
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** A port free for both UDP and TCP on 127.0.0.1. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (udpFree) {
      return port;
    }
  }
}

function waitForOutput(child: ChildProcess, pattern: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready:\n${seen.slice(-2000)}`)));
  });
}

function wrap(name: TurnUnderTest['name'], child: ChildProcess, port: number, secret: string): TurnUnderTest {
  const pid = child.pid!;
  return {
    name,
    port,
    pid,
    secret,
    cpuSeconds: () => processCpuSeconds(pid),
    rssBytes() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) {
          return resolve();
        }
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}

// Each range holds more than the 10,000 allocations of the scale run, and stays below Linux's ephemeral
// ports (32768-60999), where the bench's own client sockets would take relay ports away.
const RELAY_PORTS = { coturn: [10000, 21499], rendezvous: [21500, 32767] } as const;

export async function startCoturn(secret: string): Promise<TurnUnderTest> {
  const port = await freePort();
  const [min, max] = RELAY_PORTS.coturn;
  const child = spawn(
    'turnserver',
    [
      '-n',
      '--listening-ip',
      '127.0.0.1',
      '--relay-ip',
      '127.0.0.1',
      '--listening-port',
      String(port),
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '--realm',
      'bench',
      '--allow-loopback-peers',
      '--no-cli',
      '--no-tls',
      '--no-dtls',
      '--min-port',
      String(min),
      '--max-port',
      String(max),
      '--total-quota',
      '0',
      '--user-quota',
      '0',
      '--log-file',
      '/dev/null',
      '--no-stdout-log',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.resume();
  const server = wrap('coturn', child, port, secret);
  await waitForUdpListener(port);
  return server;
}

async function waitForUdpListener(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const udp = readFileSync('/proc/net/udp', 'utf8');
    if (udp.includes(`0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`)) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on UDP ${port}`);
}

/**
 * Our server from the working tree (its build when there is one), or, with `tree`, from the sources of the
 * tree rooted there (for example an older commit's, exported by bench/hardening/baseline.ts).
 */
export async function startRendezvousTurn(secret: string, extra: string[] = [], tree?: string): Promise<TurnUnderTest> {
  const port = await freePort();
  const [min, max] = RELAY_PORTS.rendezvous;
  const built = fileURLToPath(new URL('../../packages/turn/dist/main.js', import.meta.url));
  const source =
    tree === undefined
      ? fileURLToPath(new URL('../../packages/turn/src/main.ts', import.meta.url))
      : join(tree, 'packages/turn/src/main.ts');
  const entry = tree === undefined && existsSync(built) ? [built] : ['--conditions=source', '--import', 'tsx', source];
  // The working tree's per-address caps would bind: every bench client comes from 127.0.0.1, and coturn's
  // turnutils_uclient mints REST credentials valid for a day. An older tree does not know these flags.
  const loadLimits =
    tree === undefined ? ['--address-quota', '1000000', '--tcp-per-address', '1000000', '--max-credential-ttl', '172800'] : [];
  const child = spawn(
    process.execPath,
    [
      ...entry,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--secret',
      secret,
      '--realm',
      'bench',
      '--allow-peer',
      '127.0.0.0/8',
      '--relay-ports',
      `${min}-${max}`,
      '--user-quota',
      '100000',
      '--total-quota',
      '100000',
      '--legacy-channels',
      ...loadLimits,
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const ready = waitForOutput(child, new RegExp(`:${port}`), 'rendezvous-turn');
  child.stderr.resume();
  await ready;
  child.stdout.resume();
  return wrap('rendezvous', child, port, secret);
}
