/**
 * The two SFUs under test, each a child process pinned to core 0 (when `taskset` works and there are two cores; the
 * load takes core 1): ours (bench/sfu/ours-server.ts) and Janus's VideoRoom with a minimal configuration generated in
 * a temporary folder (only the VideoRoom plugin and the HTTP transport, everything on 127.0.0.1), so no system
 * configuration is read or touched. CPU is the process's own, from /proc.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childOutput, readyLine, stopChild } from '../child-process.js';
import { freePort, processCpuSeconds } from '../turn/servers.js';
import { MEDIA_ADDRESS_IN_NETNS } from './netns.js';

export type SfuName = 'rendezvous' | 'janus';

export interface SfuUnderTest {
  name: SfuName;
  pid: number;
  /** Base URL of its HTTP API on loopback. */
  url: string;
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export const PINNING = cpus().length >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const JANUS_LIBS = '/usr/lib/x86_64-linux-gnu/janus';

/** Inside the bench's namespace every media socket binds 127.0.0.2 (see netns.ts); the HTTP APIs stay on 127.0.0.1. */
export const mediaEnv = (prefix: string[]): Record<string, string> =>
  prefix.length > 0 ? { BENCH_SFU_MEDIA_ADDRESS: MEDIA_ADDRESS_IN_NETNS } : {};

export function janusAvailable(): boolean {
  return (
    spawnSync('janus', ['--help'], { stdio: 'ignore' }).status === 0 && existsSync(`${JANUS_LIBS}/plugins/libjanus_videoroom.so`)
  );
}

/** Runs `command` pinned to `core` (when pinning works), behind `prefix` (the namespace's `ip netns exec`, which execs: same pid). */
export function pinned(core: number, command: string, args: string[], prefix: string[] = []): ChildProcess {
  const [cmd, ...rest] = [...prefix, ...(PINNING ? ['taskset', '-c', String(core)] : []), command, ...args];
  return spawn(cmd!, rest, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...mediaEnv(prefix) } });
}

export async function startOurs(prefix: string[]): Promise<SfuUnderTest> {
  const script = fileURLToPath(new URL('./ours-server.ts', import.meta.url));
  const child = pinned(0, process.execPath, ['--conditions=source', '--import', 'tsx', script], prefix);
  const output = childOutput(child, 8192);
  child.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk
      .toString()
      .split('\n')
      .filter((l) => l.startsWith('sfu-closed'))) {
      console.log(`  rendezvous ${line}`);
    }
  });
  const port = Number((await readyLine(child, output, /^ready (\d+)$/m, 'our SFU'))[1]);
  const pid = child.pid!;
  return {
    name: 'rendezvous',
    pid,
    url: `http://127.0.0.1:${port}`,
    cpuSeconds: () => processCpuSeconds(pid),
    stop: stopChild(child),
  };
}

function janusConfig(dir: string, httpPort: number, rtpFrom: number, iface: string): void {
  for (const folder of ['conf', 'plugins', 'transports', 'none']) {
    mkdirSync(join(dir, folder));
  }
  symlinkSync(`${JANUS_LIBS}/plugins/libjanus_videoroom.so`, join(dir, 'plugins/libjanus_videoroom.so'));
  symlinkSync(`${JANUS_LIBS}/transports/libjanus_http.so`, join(dir, 'transports/libjanus_http.so'));
  const conf = (name: string, text: string) => writeFileSync(join(dir, 'conf', name), text);
  conf(
    'janus.jcfg',
    `general: {
  configs_folder = "${dir}/conf"
  plugins_folder = "${dir}/plugins"
  transports_folder = "${dir}/transports"
  events_folder = "${dir}/none"
  loggers_folder = "${dir}/none"
  debug_level = 2
  session_timeout = 0
}
media: {
  rtp_port_range = "${rtpFrom}-${rtpFrom + 4999}"
}
nat: {
  ice_enforce_list = "${iface}"
}
`,
  );
  conf(
    'janus.transport.http.jcfg',
    `general: {\n  json = "plain"\n  base_path = "/janus"\n  http = true\n  port = ${httpPort}\n  ip = "127.0.0.1"\n  https = false\n}\nadmin: {\n  admin_http = false\n}\n`,
  );
  conf('janus.plugin.videoroom.jcfg', 'general: {\n}\n');
}

/** Whether something listens on TCP 127.0.0.1:`port` in the network namespace of process `pid`. */
function listening(pid: number, port: number): boolean {
  try {
    const needle = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 0A`;
    return readFileSync(`/proc/${pid}/net/tcp`, 'utf8').includes(needle);
  } catch {
    return false;
  }
}

/** Janus in the namespace behind `prefix`, its ICE candidates on `iface` (127.0.0.2, see netns.ts). */
export async function startJanus(prefix: string[], iface: string): Promise<SfuUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-janus-'));
  const httpPort = await freePort();
  janusConfig(dir, httpPort, 42000, iface);
  const child = pinned(0, 'janus', ['-F', join(dir, 'conf'), '-i', MEDIA_ADDRESS_IN_NETNS, '-o'], prefix);
  const output = childOutput(child, 8192);
  const pid = child.pid!;
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const stop = stopChild(child, cleanup);
  const deadline = Date.now() + 15_000;
  while (!listening(pid, httpPort)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`janus did not start listening on ${httpPort}:\n${output().slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { name: 'janus', pid, url: `http://127.0.0.1:${httpPort}/janus`, cpuSeconds: () => processCpuSeconds(pid), stop };
}
