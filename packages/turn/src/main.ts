/**
 * The standalone STUN/TURN server: `rendezvous-turn --port 3478 --secret ...`. Prints its addresses, one per
 * line ("udp 192.0.2.1:3478"), and closes cleanly on SIGTERM or SIGINT (exit 0).
 */
import { readFileSync } from 'node:fs';
import { parseCli, USAGE } from './cli-args.js';
import type { Logger } from './options.js';
import { createTurnServer } from './server.js';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const stderrLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: (obj: object | string, msg?: string) =>
    console.error(typeof obj === 'string' ? obj : (msg ?? ''), typeof obj === 'string' ? '' : obj),
  error: (obj: object | string, msg?: string) =>
    console.error(typeof obj === 'string' ? obj : (msg ?? ''), typeof obj === 'string' ? '' : obj),
};

async function main(): Promise<number> {
  const parsed = parseCli(process.argv.slice(2));
  if (parsed.kind === 'help') {
    out(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(`rendezvous-turn: ${parsed.message}\n\n${USAGE}`);
    return 2;
  }
  const options = parsed.options;
  if (parsed.certFile !== undefined && parsed.keyFile !== undefined) {
    options.tls = { cert: readFileSync(parsed.certFile), key: readFileSync(parsed.keyFile) };
  }
  const server = createTurnServer({ ...options, logger: stderrLogger });
  const addresses = await server.listen();
  out('rendezvous-turn listening');
  for (const transport of ['udp', 'tcp', 'tls'] as const) {
    for (const { address, port } of addresses[transport]) {
      out(`${transport} ${address.includes(':') ? `[${address}]` : address}:${port}`);
    }
  }
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await server.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`rendezvous-turn: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
