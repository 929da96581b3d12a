/**
 * `rendezvous netcheck [URL] [--insecure] [--timeout ms]`: fetches URL/api/ice-servers and checks, from this
 * machine, every STUN and TURN url it offers. Exit code 0 when everything offered works, 1 otherwise, 2 for bad
 * arguments.
 */
import { parseArgs } from 'node:util';
import { formatTable, planChecks, runChecks } from './checks.js';
import { fetchIceServers, iceServersUrl } from './fetch-ice-servers.js';
import { ProbeError } from './stun-client.js';

export const NETCHECK_USAGE = `Usage: rendezvous netcheck [URL] [--insecure] [--timeout ms]

Checks, from this machine, the STUN and TURN servers a Rendezvous server offers (URL, default
http://localhost:8080): a STUN Binding to each STUN url, and a TURN allocation over UDP, TCP and TLS
(made with the server's credential, then freed). Prints a table; exits 0 when everything offered works.

  --insecure     Accept self-signed TLS certificates (HTTPS fetch and TURN over TLS).
  --timeout ms   How long to wait for each answer (default 5000).
`;

export const DEFAULT_NETCHECK_URL = 'http://localhost:8080';

interface Output {
  write(text: string): unknown;
}

export async function netcheckCommand(
  argv: string[],
  io: { stdout: Output; stderr: Output } = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { insecure: { type: 'boolean' }, timeout: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${NETCHECK_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout.write(NETCHECK_USAGE);
    return 0;
  }
  const timeoutMs = values.timeout === undefined ? 5000 : Number(values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000) {
    io.stderr.write(`--timeout must be a number of milliseconds (1-600000), not "${values.timeout}".\n`);
    return 2;
  }
  if (positionals.length > 1) {
    io.stderr.write(`One URL at most, got ${positionals.length}.\n${NETCHECK_USAGE}`);
    return 2;
  }
  const insecure = values.insecure === true;

  let url: URL;
  let iceServers;
  try {
    url = iceServersUrl(positionals[0] ?? DEFAULT_NETCHECK_URL);
    iceServers = await fetchIceServers(url, { insecure, timeoutMs });
  } catch (error) {
    io.stderr.write(`${error instanceof ProbeError ? error.message : String(error)}\n`);
    return 1;
  }

  const checks = planChecks(iceServers);
  io.stdout.write(`Network check against ${url.href}\n`);
  if (checks.length === 0) {
    io.stdout.write('The server offers no STUN or TURN servers (started with --no-turn?): nothing to check.\n');
    return 0;
  }
  const results = await runChecks(checks, { timeoutMs, insecure });
  io.stdout.write(`\n${formatTable(results)}\n\n`);

  const offered = new Set(results.map((r) => r.label));
  const missing = ['TURN UDP', 'TURN TCP', 'TURN TLS'].filter((label) => !offered.has(label));
  const failed = results.filter((r) => !r.ok);
  if (missing.length > 0) {
    io.stdout.write(`Not offered by this server: ${missing.join(', ')}.\n`);
  }
  if (failed.length === 0) {
    io.stdout.write(`All ${results.length} checks passed.\n`);
    return 0;
  }
  io.stdout.write(`${failed.length} of ${results.length} checks failed: ${failed.map((r) => r.label).join(', ')}.\n`);
  return 1;
}
