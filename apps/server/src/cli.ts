import { startRendezvous } from './app.js';
import { runUntilSignal, startFailed } from './command-lifecycle.js';
import { ConfigError, configHelp, loadConfig } from './config.js';
import { reachableUrls } from './lan-urls.js';
import { VERSION } from './version.js';

const USAGE = `Rendezvous ${VERSION}: self-hosted video calls, rooms and signaling.

Usage: rendezvous [start] [options]
       rendezvous peerjs [--port 9000] [--path /myapp] [PeerServer's options]
       rendezvous netcheck [URL] [--insecure] [--timeout ms]
       rendezvous help | version

peerjs runs only a PeerServer-compatible endpoint, with PeerServer's flags and defaults
("rendezvous peerjs --help" lists them).

netcheck checks from this machine the STUN/TURN servers that the server at URL (default
http://localhost:8080) offers: STUN Binding, TURN allocation over UDP, TCP and TLS.

Options:
${configHelp()}
  --no-https                   Turn HTTPS off even when HTTPS=1 is set.
`;

/** Commands with their own options and help, loaded only when run. */
const SUBCOMMANDS: Record<string, (args: string[], env: NodeJS.ProcessEnv) => Promise<number>> = {
  netcheck: async (args) => (await import('./netcheck/command.js')).netcheckCommand(args),
  peerjs: async (args, env) => (await import('./peerjs-standalone-command.js')).peerjsCommand(args, env),
};

/** Runs the command line; resolves with the exit code when the command is over (start: on shutdown). */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [first, ...rest] = argv;
  const command = first === undefined || first.startsWith('-') ? 'start' : first;
  const args = command === 'start' && first !== 'start' ? argv : rest;
  const subcommand = SUBCOMMANDS[command];
  if (subcommand !== undefined) {
    return subcommand(args, env);
  }
  if (command === 'help' || args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command === 'version' || args.includes('--version')) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (command !== 'start') {
    process.stderr.write(`Unknown command "${command}". Run "rendezvous help".\n`);
    return 2;
  }

  let config;
  try {
    config = loadConfig({ argv: args, env });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nRun "rendezvous help" for every option.\n`);
      return 2;
    }
    throw error;
  }

  let server;
  try {
    server = await startRendezvous(config);
  } catch (error) {
    return startFailed(error, config.port, '--port or PORT');
  }

  const urls = reachableUrls(config.host, server.port, server.scheme);
  const lines = [`Rendezvous ${VERSION} is running.`, `  Local:   ${urls.local}`, ...urls.lan.map((u) => `  Network: ${u}`)];
  if (server.scheme === 'http' && urls.lan.length > 0) {
    lines.push('  Phones and other devices need HTTPS for camera and microphone: restart with --https.');
  }
  if (server.selfSignedCert) {
    lines.push('  Using a self-signed certificate: accept the browser warning once per device.');
  }
  const turn = server.turn;
  if (turn === undefined) {
    lines.push('  STUN/TURN: off (--no-turn).');
  } else {
    const tls = turn.addresses.tlsPort === undefined ? '' : `, TLS ${turn.addresses.tlsPort}`;
    lines.push(`  STUN/TURN: UDP+TCP ${turn.addresses.port}${tls}; clients get credentials automatically.`);
    if (turn.randomSecret) {
      // Anyone with the secret can mint relay credentials, and start-up output ends up in logs: never print it whole.
      lines.push(`  TURN secret: random for this run (${turn.secret.slice(0, 4)}…); set TURN_SECRET to choose one.`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  return runUntilSignal(server);
}
