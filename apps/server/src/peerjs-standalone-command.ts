import { runUntilSignal, startFailed } from './command-lifecycle.js';
import { ConfigError } from './config.js';
import { startPeerjsStandalone } from './peerjs-standalone.js';
import { loadPeerjsStandaloneConfig, peerjsStandaloneHelp, readStandaloneTls } from './peerjs-standalone-options.js';
import { VERSION } from './version.js';

export const PEERJS_USAGE = `Usage: rendezvous peerjs [options]

Runs only a PeerServer-compatible endpoint, for apps on the unmodified peerjs client
(new Peer(id, { host, port, path, key })). Flags are PeerServer's, with its defaults:
"peerjs --port 9000 --path /myapp" becomes "rendezvous peerjs --port 9000 --path /myapp".
GET /healthz and /metrics are served beside it.

Options:
${peerjsStandaloneHelp()}
`;

/** `rendezvous peerjs [options]`: resolves with the exit code (2 for bad flags, 0 after SIGINT/SIGTERM). */
export async function peerjsCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(PEERJS_USAGE);
    return 0;
  }
  let config;
  let tls;
  try {
    config = loadPeerjsStandaloneConfig(args, env);
    tls = readStandaloneTls(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nRun "rendezvous peerjs --help" for every option.\n`);
      return 2;
    }
    throw error;
  }

  let server;
  try {
    server = await startPeerjsStandalone(config, { tls });
  } catch (error) {
    return startFailed(error, config.port, '--port');
  }
  const secure = tls === undefined ? '' : ', secure: true';
  process.stdout.write(
    [
      `Rendezvous ${VERSION} PeerServer endpoint is running at ${server.url}`,
      `  Clients: new Peer(id, { host: '<this host>', port: ${server.port}, path: '${config.path}', key: '${config.key}'${secure} })`,
      `  Health:  ${server.origin}/healthz   Metrics: ${server.origin}/metrics`,
    ].join('\n') + '\n',
  );

  return runUntilSignal(server);
}
