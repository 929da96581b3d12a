/** Test helpers for the real-socket tests: running coturn's tools, a throwaway certificate. */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunResult {
  code: number | null;
  output: string;
}

/** Runs a command to completion (or `timeoutMs`), stdout and stderr together. */
export function run(command: string, args: readonly string[], timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, [...args], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** True when `command` is installed (on PATH or as an absolute path). */
export function installed(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** What turnutils_uclient reports at the end of a run. */
export interface UclientReport {
  sent: number;
  received: number;
  lost: number;
}

/** Parses "tot_send_msgs=N, tot_recv_msgs=M" and "Total lost packets L" from turnutils_uclient's output. */
export function parseUclient(output: string): UclientReport | undefined {
  const totals = [...output.matchAll(/start_mclient: tot_send_msgs=(\d+), tot_recv_msgs=(\d+)/g)].at(-1);
  const lost = /Total lost packets (\d+)/.exec(output);
  if (totals === undefined || lost === null) {
    return undefined;
  }
  return { sent: Number(totals[1]), received: Number(totals[2]), lost: Number(lost[1]) };
}

/** A self-signed certificate for "localhost" and 127.0.0.1 (needs the openssl command). */
export function selfSignedCertificate(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'turn-cert-'));
  try {
    const result = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]);
    if (result.status !== 0) {
      throw new Error(`openssl failed: ${result.stderr.toString()}`);
    }
    return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
